import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchUrl } from './fetch-url.js';
import { RobotsCache } from './robots.js';
import { userAgent } from './user-agent.js';

const UA = userAgent('https://example.org/contact');
let server: Server;
let origin: string;
let robotsRequests = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/robots.txt') {
      robotsRequests++;
      res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /private/\n');
    } else res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** A check may carry the allowance of the fetch it guards (a source allowed to reach a private host). */
describe('RobotsCache with a per-check allowance', () => {
  it("reads a private host's robots.txt when the check is allowed to reach that host", async () => {
    const cache = new RobotsCache({ userAgent: UA, timeoutMs: 2_000, connectTimeoutMs: 1_000 });
    // Without the allowance the guard refuses robots.txt, which counts as "no rules" and is not cached...
    expect(await cache.isAllowed(`${origin}/private/feed`)).toBe(true);
    const before = robotsRequests;
    // ...so a check with the allowance reads the rules and applies them.
    expect(await cache.isAllowed(`${origin}/private/feed`, { allowHosts: ['127.0.0.1'] })).toBe(false);
    expect(await cache.isAllowed(`${origin}/feed`, { allowHosts: ['127.0.0.1'] })).toBe(true);
    expect(robotsRequests - before).toBe(1);
  });

  it('makes fetchUrl apply those rules with the fetch’s own allowHosts', async () => {
    const robots = new RobotsCache({ userAgent: UA, timeoutMs: 2_000, connectTimeoutMs: 1_000 });
    const opts = {
      userAgent: UA,
      timeoutMs: 5_000,
      connectTimeoutMs: 2_000,
      maxBodyBytes: 1024,
      allowHosts: ['127.0.0.1'],
      robots,
    };
    await expect(fetchUrl(`${origin}/private/feed`, null, opts)).rejects.toMatchObject({
      code: 'robots_disallowed',
    });
    expect((await fetchUrl(`${origin}/feed`, null, opts)).status).toBe(200);
  });
});
