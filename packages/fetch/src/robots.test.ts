import { PermanentError } from '@frameline/core';
import { type FetchFixture, startFetchFixture } from '@frameline/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FetchOptions, fetchUrl } from './fetch-url.js';
import { RobotsCache } from './robots.js';
import { userAgent } from './user-agent.js';

const UA = userAgent('https://example.org/contact');
let server: FetchFixture;
beforeAll(async () => {
  server = await startFetchFixture();
});
afterAll(async () => {
  await server.close();
});

const robots = (allowHosts = ['127.0.0.1']) =>
  new RobotsCache({ userAgent: UA, timeoutMs: 2_000, connectTimeoutMs: 1_000, allowHosts });
const opts = (cache: RobotsCache): FetchOptions => ({
  userAgent: UA,
  timeoutMs: 5_000,
  connectTimeoutMs: 2_000,
  maxBodyBytes: 1024 * 1024,
  allowHosts: ['127.0.0.1'],
  robots: cache,
});

describe('RobotsCache', () => {
  it('applies the group for our product token, not the * group', async () => {
    const cache = robots();
    // The fixture robots.txt: "frameline" may not fetch /private/; every other bot may fetch nothing.
    expect(await cache.isAllowed(`${server.origin}/feed`)).toBe(true);
    expect(await cache.isAllowed(`${server.origin}/private/feed`)).toBe(false);
  });

  it('fetches robots.txt once per origin, even for concurrent checks', async () => {
    const cache = robots();
    const before = server.requests.filter((r) => r.path === '/robots.txt').length;
    await Promise.all([
      cache.isAllowed(`${server.origin}/a`),
      cache.isAllowed(`${server.origin}/b`),
      cache.isAllowed(`${server.origin}/private/c`),
    ]);
    await cache.isAllowed(`${server.origin}/d`);
    const fetched = server.requests.filter((r) => r.path === '/robots.txt');
    expect(fetched.length - before).toBe(1);
    expect(fetched.at(-1)?.headers['user-agent']).toBe(UA);
  });

  it('allows everything when robots.txt is missing (4xx), and keeps that answer', async () => {
    const missing = await startFetchFixture({ robots: 'missing' });
    try {
      const cache = robots();
      expect(await cache.isAllowed(`${missing.origin}/private/feed`)).toBe(true);
      expect(await cache.isAllowed(`${missing.origin}/anything`)).toBe(true);
      expect(missing.requests.filter((r) => r.path === '/robots.txt').length).toBe(1);
    } finally {
      await missing.close();
    }
  });

  it('allows for now on a 5xx and asks again once retryMs has passed', async () => {
    const broken = await startFetchFixture({ robots: 'error' });
    try {
      const cache = new RobotsCache({
        userAgent: UA,
        timeoutMs: 2_000,
        connectTimeoutMs: 1_000,
        allowHosts: ['127.0.0.1'],
        retryMs: 0,
      });
      expect(await cache.isAllowed(`${broken.origin}/private/feed`)).toBe(true);
      expect(await cache.isAllowed(`${broken.origin}/private/feed`)).toBe(true);
      expect(broken.requests.filter((r) => r.path === '/robots.txt').length).toBe(2);
    } finally {
      await broken.close();
    }
  });

  it('allows for now when the host is unreachable', async () => {
    const gone = await startFetchFixture();
    await gone.close();
    expect(await robots().isAllowed(`${gone.origin}/private/feed`)).toBe(true);
  });

  it('makes fetchUrl refuse a disallowed URL without requesting it', async () => {
    const cache = robots();
    const before = server.requests.filter((r) => r.path === '/private/feed').length;
    try {
      await fetchUrl(`${server.origin}/private/feed`, null, opts(cache));
      throw new Error('expected robots_disallowed');
    } catch (err) {
      expect(err).toBeInstanceOf(PermanentError);
      expect((err as PermanentError).code).toBe('robots_disallowed');
      expect((err as Error).message).toContain('robots.txt asks crawlers not to fetch');
    }
    expect(server.requests.filter((r) => r.path === '/private/feed').length).toBe(before);
    const ok = await fetchUrl(`${server.origin}/feed`, null, opts(cache));
    expect(ok.status).toBe(200);
  });
});
