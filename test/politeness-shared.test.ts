import type { CrawlResult } from '@frameline/pipeline';
import { type FixtureServer, startFixtureServer } from '@frameline/testkit';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { crawlOnceJson, runCli, startCli } from './helpers/cli.js';
import { fixture } from './helpers/fixtures.js';
import { type Distributed, distributed } from './helpers/redis.js';

/**
 * Per-host politeness is shared through Redis: a host that answered one worker with a long Retry-After is
 * held back for every worker and every later crawl, and its other sources are put off without an error
 * instead of waiting out their timeouts.
 */
let server: FixtureServer;
let setup: Distributed;
let db: Distributed['db'];
let env: Record<string, string>;
let worker: ReturnType<typeof startCli>;

beforeAll(async () => {
  server = await startFixtureServer({
    routes: {
      '/busy.xml': {
        status: 429,
        headers: { 'retry-after': '7200' },
        body: 'come back later',
        contentType: 'text/plain',
      },
      '/other.xml': { body: fixture('alpha.xml') },
    },
  });
  setup = await distributed({ FRAMELINE_FETCH_TIMEOUT_MS: '3000' });
  ({ db, env } = setup);
  for (const [path, tag] of [
    ['/busy.xml', 'first'],
    ['/other.xml', 'second'],
  ] as const) {
    const added = await runCli(['sources', 'add', '--no-discover', '--tag', tag, server.url(path)], env);
    expect(added.code, added.stderr).toBe(0);
  }
  worker = startCli(['worker'], env);
});

afterAll(async () => {
  await setup?.teardown(worker ? [worker] : [], 'SIGTERM');
  await server?.close();
});

function crawl(tag: string): Promise<CrawlResult> {
  return crawlOnceJson<CrawlResult>(env, ['--tag', tag]);
}

test('a long Retry-After holds the host back for later crawls; its other sources wait without an error', async () => {
  const first = await crawl('first');
  expect(first.sources[0]).toMatchObject({ ok: false, errorCode: 'http_429' });

  const second = await crawl('second');
  expect(second.sources[0]).toMatchObject({ ok: false, errorCode: 'host_deferred' });
  // Nothing was sent to the held-back host for that source.
  expect(server.requests.filter((r) => r.path === '/other.xml')).toEqual([]);
  const [other] = await db.sql<{ errorCount: number; lastErrorCode: string | null; waitS: number }[]>`
    select error_count as "errorCount", last_error_code as "lastErrorCode",
           extract(epoch from next_fetch_at - now())::int as "waitS"
    from sources where url = ${server.url('/other.xml')}`;
  expect(other).toMatchObject({ errorCount: 0, lastErrorCode: null });
  expect(other?.waitS).toBeGreaterThan(7000);
});
