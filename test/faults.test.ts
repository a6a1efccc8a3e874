import type { CrawlResult } from '@frameline/pipeline';
import { PG_TYPES } from '@frameline/store';
import { type FixtureServer, startFixtureServer } from '@frameline/testkit';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually, jsonLines, runCli, startCli } from './helpers/cli.js';
import { createTestDatabase, type TestDatabase } from './helpers/db.js';
import { TEST_REDIS_URL } from './helpers/env.js';
import { deleteKeys, randomPrefix } from './helpers/redis.js';
import {
  type PrivatePostgres,
  type PrivateRedis,
  privatePostgres,
  privateRedis,
} from './helpers/services.js';

/**
 * The services frameline runs on go away mid-crawl and come back: Postgres is stopped for a few seconds, Redis
 * is killed and restarted. Workers ride it out (their jobs wait, uncharged, and run again), `crawl --once`
 * ends by itself, and every document is stored and extracted exactly once.
 */

const FEEDS = 16;
const ITEMS = 5;

function feed(n: number): string {
  const items = Array.from(
    { length: ITEMS },
    (_, i) => `<item><guid>fault${n}-item${i}</guid><title>Note ${n}.${i} on PyTorch</title>
      <link>{{origin}}/faults/${n}/${i}</link><pubDate>Mon, 0${i + 1} Jul 2024 10:00:00 GMT</pubDate>
      <description>NVIDIA announced support for PyTorch ${n}.${i} in its containers.</description></item>`,
  ).join('');
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Feed ${n}</title><link>{{origin}}/faults/${n}</link>${items}</channel></rss>`;
}

let server: FixtureServer;
const processes: ReturnType<typeof startCli>[] = [];

beforeAll(async () => {
  // Each feed answers slowly, so the crawl is still going when the service goes away.
  const routes = Object.fromEntries(
    Array.from({ length: FEEDS }, (_, n) => [`/fault${n}.xml`, { body: feed(n), delayMs: 700 }]),
  );
  server = await startFixtureServer({ routes });
});

afterAll(async () => {
  for (const p of processes) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  await server?.close();
});

function count(sql: postgres.Sql, what: 'documents' | 'extracted'): Promise<number> {
  const query =
    what === 'documents'
      ? sql<{ n: number }[]>`select count(*)::int as n from documents`
      : sql<{ n: number }[]>`select count(*)::int as n from documents d where exists
          (select 1 from extractions e where e.document_id = d.id and e.content_hash = d.content_hash)`;
  return query.then(([row]) => row?.n ?? 0).catch(() => -1);
}

/** Start workers and a crawl, wait for the first documents, break the service, then let the crawl end. */
async function crawlThroughOutage(
  env: Record<string, string>,
  sql: postgres.Sql,
  outage: () => Promise<void>,
): Promise<CrawlResult> {
  const added = await runCli(
    [
      'sources',
      'add',
      '--no-discover',
      ...Array.from({ length: FEEDS }, (_, n) => server.url(`/fault${n}.xml`)),
    ],
    env,
  );
  expect(added.code, added.stderr).toBe(0);
  const workers = [
    startCli(['worker', '--concurrency', '3'], env),
    startCli(['worker', '--concurrency', '3'], env),
  ];
  processes.push(...workers);
  const crawl = startCli(['crawl', '--once', '--json'], env);
  processes.push(crawl);
  await eventually('the first documents', async () => (await count(sql, 'documents')) > 0, {
    process: crawl,
  });
  await outage();
  const result = await crawl.done;
  expect(result.code, result.stderr).toBe(0);
  // The workers are still running: they waited the outage out rather than crash.
  for (const w of workers) expect(w.output.code, w.output.stderr).toBeNull();
  const [summary] = jsonLines<CrawlResult>(result);
  if (!summary) throw new Error('no summary');
  for (const w of workers) w.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.done));
  return summary;
}

/** Every item stored once and extracted with its current content, every source fetched without error. */
async function expectEverythingOnce(summary: CrawlResult, sql: postgres.Sql): Promise<void> {
  expect(summary.failures).toEqual([]);
  expect(summary.sources.filter((s) => s.ok).length).toBe(FEEDS);
  expect(summary.documents.new).toBe(FEEDS * ITEMS);
  const docs = await sql<{ guid: string }[]>`select guid from documents`;
  expect(docs.length).toBe(FEEDS * ITEMS);
  expect(new Set(docs.map((d) => d.guid)).size).toBe(FEEDS * ITEMS);
  expect(await count(sql, 'extracted')).toBe(FEEDS * ITEMS);
  // One extraction per document and rule set, and no mention written twice.
  const [doubles] = await sql<{ n: number }[]>`
    select count(*)::int as n from (select document_id, field, o.start, entity_id, rule_set
      from mentions cross join unnest(starts) as o(start) group by 1, 2, 3, 4, 5 having count(*) > 1) x`;
  expect(doubles?.n).toBe(0);
  const errors = await sql<{ url: string }[]>`select url from sources where last_error is not null`;
  expect(errors).toEqual([]);
}

describe('Postgres stopped for a few seconds mid-crawl', () => {
  let pg: PrivatePostgres;
  let sql: postgres.Sql;
  const prefix = randomPrefix();

  beforeAll(async () => {
    pg = await privatePostgres();
    sql = postgres(pg.url, { max: 2, onnotice: () => {}, types: PG_TYPES });
  });
  afterAll(async () => {
    await sql?.end({ timeout: 1 });
    await pg?.teardown();
    await deleteKeys(prefix);
  });

  test('workers wait for the database and the crawl ends with every document once', async () => {
    const env = {
      DATABASE_URL: pg.url,
      REDIS_URL: TEST_REDIS_URL,
      FRAMELINE_QUEUE_PREFIX: prefix,
      FRAMELINE_ALLOW_HOSTS: '127.0.0.1',
      FRAMELINE_JOB_LOCK_MS: '4000',
    };
    const summary = await crawlThroughOutage(env, sql, async () => {
      await pg.stop();
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      await pg.start();
    });
    await expectEverythingOnce(summary, sql);
  });
});

describe('Redis killed and restarted mid-crawl', () => {
  let redis: PrivateRedis;
  let db: TestDatabase;

  beforeAll(async () => {
    redis = await privateRedis();
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
    await redis?.teardown();
  });

  test('workers and the waiting crawl reconnect, and every document is stored once', async () => {
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      FRAMELINE_QUEUE_PREFIX: randomPrefix(),
      FRAMELINE_ALLOW_HOSTS: '127.0.0.1',
      FRAMELINE_JOB_LOCK_MS: '4000',
    };
    const summary = await crawlThroughOutage(env, db.sql, async () => {
      await redis.kill();
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      await redis.start();
    });
    await expectEverythingOnce(summary, db.sql);
  });
});
