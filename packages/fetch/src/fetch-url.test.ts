import { HostBusyError, PermanentError, TransientError } from '@frameline/core';
import {
  BOMB_MEMBERS,
  ETAG,
  FEED_BODY,
  type FetchFixture,
  LAST_MODIFIED,
  startFetchFixture,
} from '@frameline/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FetchOptions, fetchUrl } from './fetch-url.js';
import { memoryHostLimiter } from './memory-limiter.js';
import { userAgent } from './user-agent.js';

let server: FetchFixture;
let base: string;
const UA = userAgent('https://example.org/contact');

const opts = (extra: Partial<FetchOptions> = {}): FetchOptions => ({
  userAgent: UA,
  timeoutMs: 5_000,
  connectTimeoutMs: 2_000,
  maxBodyBytes: 1024 * 1024,
  allowHosts: ['127.0.0.1'],
  ...extra,
});

/** The rejection of `promise`, which must reject. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the fetch to fail, but it succeeded');
}

beforeAll(async () => {
  server = await startFetchFixture();
  base = server.origin;
});
afterAll(async () => {
  await server.close();
});

describe('fetchUrl: conditional GET', () => {
  it('returns the body and validators, then 304 when asked with them', async () => {
    const first = await fetchUrl(`${base}/feed`, null, opts());
    expect(first.status).toBe(200);
    expect(first.notModified).toBe(false);
    expect(Buffer.from(first.body).toString()).toBe(FEED_BODY);
    expect(first.bytes).toBe(Buffer.byteLength(FEED_BODY));
    expect(first.contentType).toBe('application/rss+xml; charset=utf-8');
    expect(first.validators).toEqual({ etag: ETAG, lastModified: LAST_MODIFIED });
    expect(first.permanentRedirect).toBeNull();
    expect(first.url).toBe(`${base}/feed`);

    const second = await fetchUrl(`${base}/feed`, first.validators, opts());
    expect(second.status).toBe(304);
    expect(second.notModified).toBe(true);
    expect(second.body.length).toBe(0);
    const conditional = server.requests.filter((r) => r.path === '/feed').at(-1);
    expect(conditional?.headers['if-none-match']).toBe(ETAG);
    expect(conditional?.headers['if-modified-since']).toBe(LAST_MODIFIED);
  });

  it('sends the frameline User-Agent and asks for compression', async () => {
    await fetchUrl(`${base}/feed`, null, opts());
    const req = server.requests.filter((r) => r.path === '/feed').at(-1);
    expect(req?.headers['user-agent']).toBe('frameline/0.1 (+https://example.org/contact)');
    expect(req?.headers['accept-encoding']).toBe('gzip, deflate, br');
  });
});

describe('fetchUrl: redirects', () => {
  it('reports the new URL when every hop was permanent (301, 308)', async () => {
    const res = await fetchUrl(`${base}/moved/a`, null, opts());
    expect(res.status).toBe(200);
    expect(res.url).toBe(`${base}/feed`);
    expect(res.permanentRedirect).toBe(`${base}/feed`);
  });

  it('does not report a permanent redirect for 302 or a mixed chain', async () => {
    const found = await fetchUrl(`${base}/found`, null, opts());
    expect(found.url).toBe(`${base}/feed`);
    expect(found.permanentRedirect).toBeNull();
    const mixed = await fetchUrl(`${base}/mixed`, null, opts());
    expect(mixed.url).toBe(`${base}/feed`);
    expect(mixed.permanentRedirect).toBeNull();
  });

  it('follows up to 5 redirects and refuses a sixth', async () => {
    const five = await fetchUrl(`${base}/chain/5`, null, opts());
    expect(five.url).toBe(`${base}/chain/0`);
    const err = await failure(fetchUrl(`${base}/chain/6`, null, opts()));
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as PermanentError).code).toBe('redirect_loop');
    expect(err.message).toContain('more than 5 redirects');
  });

  it('detects a redirect loop', async () => {
    const err = await failure(fetchUrl(`${base}/loop/a`, null, opts()));
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as PermanentError).code).toBe('redirect_loop');
    expect(err.message).toContain('redirect loop');
  });
});

describe('fetchUrl: error statuses', () => {
  it.each([
    [404, 'not found'],
    [410, 'gone'],
    [401, 'login'],
    [403, 'forbidden'],
  ])('HTTP %i is a permanent error', async (status, words) => {
    const err = await failure(fetchUrl(`${base}/status/${status}`, null, opts()));
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as PermanentError).code).toBe(`http_${status}`);
    expect(err.message).toContain(`${base}/status/${status}`);
    expect(err.message).toContain(words);
  });

  it('HTTP 500 and 503 are transient; 503 carries Retry-After', async () => {
    const e500 = await failure(fetchUrl(`${base}/status/500`, null, opts()));
    expect(e500).toBeInstanceOf(TransientError);
    expect((e500 as TransientError).code).toBe('http_500');
    const e503 = await failure(fetchUrl(`${base}/503`, null, opts()));
    expect(e503).toBeInstanceOf(TransientError);
    expect((e503 as TransientError).retryAfterMs).toBe(30_000);
  });

  it('HTTP 429 is transient with Retry-After in seconds', async () => {
    const err = await failure(fetchUrl(`${base}/429-seconds`, null, opts()));
    expect(err).toBeInstanceOf(TransientError);
    expect((err as TransientError).code).toBe('http_429');
    expect((err as TransientError).retryAfterMs).toBe(7_000);
    expect(err.message).toContain('wait 7 s');
  });

  it('HTTP 429 is transient with Retry-After as an HTTP date', async () => {
    const err = (await failure(fetchUrl(`${base}/429-date`, null, opts()))) as TransientError;
    expect(err.code).toBe('http_429');
    // The date has one-second resolution and was written ~120 s ahead.
    expect(err.retryAfterMs).toBeGreaterThan(100_000);
    expect(err.retryAfterMs).toBeLessThanOrEqual(120_000);
  });

  it('a 429 Retry-After defers the host in the limiter', async () => {
    const limiter = memoryHostLimiter({ maxConcurrent: 1, minDelayMs: 0 });
    await failure(fetchUrl(`${base}/429-seconds`, null, opts({ limiter })));
    // The host is now deferred by 7 s: an acquire must still be waiting after the others below finish.
    const order: string[] = [];
    const deferred = limiter.acquire('127.0.0.1').then(() => order.push('127.0.0.1'));
    const other = await limiter.acquire('other.example');
    order.push('other.example');
    await other();
    await new Promise((r) => setTimeout(r, 50));
    expect(order).toEqual(['other.example']);
    await limiter.close();
    await deferred.catch(() => undefined);
  });

  it('a host held back longer than the fetch may take fails at once with how long, sending nothing', async () => {
    const limiter = memoryHostLimiter({ maxConcurrent: 1, minDelayMs: 0 });
    await limiter.deferHost('127.0.0.1', 60_000);
    const err = (await failure(
      fetchUrl(`${base}/feed`, null, opts({ limiter, timeoutMs: 2_000 })),
    )) as TransientError;
    expect(err).toBeInstanceOf(TransientError);
    expect(err.code).toBe('host_deferred');
    expect(err.retryAfterMs).toBeGreaterThan(50_000);
    expect(err.message).toContain('127.0.0.1');
    // A short hold that fits in the fetch's time is waited for instead.
    const short = memoryHostLimiter({ maxConcurrent: 1, minDelayMs: 0 });
    await short.deferHost('127.0.0.1', 200);
    expect((await fetchUrl(`${base}/feed`, null, opts({ limiter: short }))).status).toBe(200);
    await limiter.close();
    await short.close();
  });

  it('a refused connection is a transient network error naming the cause', async () => {
    const err = await failure(fetchUrl('http://127.0.0.1:9/feed', null, opts()));
    expect(err).toBeInstanceOf(TransientError);
    expect((err as TransientError).code).toBe('network');
    expect(err.message).toContain('http://127.0.0.1:9/feed');
    expect(err.message).toContain('refused the connection');
  });

  it('rejects addresses that are not http(s)', async () => {
    const err = await failure(fetchUrl('file:///etc/passwd', null, opts()));
    expect((err as PermanentError).code).toBe('unsupported_scheme');
  });
});

describe('fetchUrl: politeness', () => {
  it('a host limiter keeps concurrent requests to a host within maxConcurrent', async () => {
    const limiter = memoryHostLimiter({ maxConcurrent: 2, minDelayMs: 0 });
    const results = await Promise.all(
      Array.from({ length: 8 }, () => fetchUrl(`${base}/hold`, null, opts({ limiter }))),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(server.peakHolds()).toBe(2);
    await limiter.close();
  });

  it('waiting for a politeness slot does not count against the fetch timeout', async () => {
    const limiter = memoryHostLimiter({ maxConcurrent: 1, minDelayMs: 0 });
    const held = await limiter.acquire('127.0.0.1');
    setTimeout(() => void held(), 600);
    const started = performance.now();
    const res = await fetchUrl(`${base}/feed`, null, opts({ limiter, timeoutMs: 300 }));
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(550);
    await limiter.close();
  });

  it('with slotWaitMs, a host that stays busy longer gives HostBusyError, not a failure', async () => {
    const limiter = memoryHostLimiter({ maxConcurrent: 1, minDelayMs: 0 });
    const held = await limiter.acquire('127.0.0.1');
    const err = await failure(fetchUrl(`${base}/feed`, null, opts({ limiter, slotWaitMs: 100 })));
    expect(err).toBeInstanceOf(HostBusyError);
    expect((err as HostBusyError).retryInMs).toBe(100);
    await held();
    // The slot it gave up waiting for was not taken: the next fetch gets it at once.
    expect((await fetchUrl(`${base}/feed`, null, opts({ limiter, slotWaitMs: 100 }))).status).toBe(200);
    await limiter.close();
  });
});

describe('fetchUrl: timeouts', () => {
  it('the total timeout ends a body that never finishes', async () => {
    const err = await failure(
      fetchUrl(`${base}/slow-body`, null, opts({ timeoutMs: 400, connectTimeoutMs: 5_000 })),
    );
    expect(err).toBeInstanceOf(TransientError);
    expect((err as TransientError).code).toBe('timeout');
    expect(err.message).toContain('no complete response within 400 ms');
    expect(err.message).toContain('while reading the body');
  });

  it('the connect timeout ends a server that never sends headers', async () => {
    const err = await failure(
      fetchUrl(`${base}/slow-headers`, null, opts({ timeoutMs: 10_000, connectTimeoutMs: 300 })),
    );
    expect(err).toBeInstanceOf(TransientError);
    expect((err as TransientError).code).toBe('timeout');
    expect(err.message).toContain('did not connect and answer within 300 ms');
  });

  it("the caller's signal cancels a fetch", async () => {
    const ctl = new AbortController();
    const pending = fetchUrl(`${base}/slow-headers`, null, opts({ signal: ctl.signal, timeoutMs: 10_000 }));
    setTimeout(() => ctl.abort(), 50);
    const err = await failure(pending);
    expect((err as TransientError).code).toBe('aborted');
  });
});

describe('fetchUrl: bodies', () => {
  it('refuses a body whose Content-Length is over the cap', async () => {
    const err = await failure(fetchUrl(`${base}/big`, null, opts()));
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as PermanentError).code).toBe('body_too_large');
    expect(err.message).toContain('1 MiB');
  });

  it('refuses a chunked body once it passes the cap', async () => {
    const err = await failure(fetchUrl(`${base}/big-chunked`, null, opts()));
    expect((err as PermanentError).code).toBe('body_too_large');
    const ok = await fetchUrl(`${base}/big-chunked`, null, opts({ maxBodyBytes: 2 * 1024 * 1024 }));
    expect(ok.bytes).toBe(2 * 1024 * 1024);
  });

  it('stops a gzip bomb early: body_too_large without reading the whole stream', async () => {
    const err = await failure(fetchUrl(`${base}/bomb`, null, opts()));
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as PermanentError).code).toBe('body_too_large');
    expect(err.message).toContain('decompressed');
    // 1024 members of 16 MiB each were on offer; the client hung up after the first one passed 1 MiB, so
    // the server only got as far as the socket buffers let it.
    expect(server.bombMembersWritten()).toBeLessThan(BOMB_MEMBERS / 2);
  });

  it.each(['gzip', 'br', 'deflate', 'deflate-raw'])('decodes a %s body', async (kind) => {
    const res = await fetchUrl(`${base}/${kind}`, null, opts());
    const text = Buffer.from(res.body).toString();
    expect(text.startsWith('frameline decodes this text. ')).toBe(true);
    expect(res.bytes).toBe('frameline decodes this text. '.length * 200);
  });

  it.each(['gzip', 'br'])('a corrupt %s body is an error that says so', async (kind) => {
    const err = await failure(fetchUrl(`${base}/corrupt-${kind}`, null, opts()));
    expect((err as TransientError).code).toBe('bad_body');
    expect(err.message).toContain(`the ${kind} compressed body is corrupt`);
  });
});
