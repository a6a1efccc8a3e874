import type { CrawlResult } from '@frameline/pipeline';
import { type FixtureServer, startFixtureServer } from '@frameline/testkit';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { crawlOnceJson, runCli, startCli } from './helpers/cli.js';
import { createTestDatabase, type TestDatabase } from './helpers/db.js';
import { TEST_REDIS_URL } from './helpers/env.js';
import { fixture } from './helpers/fixtures.js';
import { deleteKeys, randomPrefix } from './helpers/redis.js';

/**
 * Per-host politeness is shared through Redis: a host that answered one worker with a long Retry-After is
 * held back for every worker and every later crawl, and its other sources are put off without an error
 * instead of waiting out their timeouts.
 */
let server: FixtureServer;
let db: TestDatabase;
let prefix: string;
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
  db = await createTestDatabase();
  prefix = randomPrefix();
  env = {
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    FRAMELINE_QUEUE_PREFIX: prefix,
    FRAMELINE_ALLOW_HOSTS: '127.0.0.1',
    FRAMELINE_FETCH_TIMEOUT_MS: '3000',
  };
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
  if (worker && worker.exitCode === null) {
    worker.kill('SIGTERM');
    await worker.done;
  }
  await server?.close();
  await db?.drop();
  if (prefix) await deleteKeys(prefix);
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
