import { createServer } from 'node:net';
import type { CrawlResult } from '@frameline/pipeline';
import { addSource } from '@frameline/store';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type CliResult, crawlOnceJson, eventually, jsonLines, runCli, startCli } from './helpers/cli.js';
import { createTestDatabase, type TestDatabase } from './helpers/db.js';
import { TEST_REDIS_URL } from './helpers/env.js';
import { deleteKeys, randomPrefix } from './helpers/redis.js';

/** The demo's sample feeds (packages/cli/demo), and the names `crawl --demo` gives them. */
const DEMO_FILES = ['cloud-support.atom', 'hardware-kernels.json', 'pytorch-devcon-2018.xml'];
const DEMO_SOURCES = ['demo: cloud-support', 'demo: hardware-kernels', 'demo: pytorch-devcon-2018'];
/** The one linked page the demo server serves, fetched by the article stage. */
const DEMO_ARTICLE_PATH = '/demo/framework-notes/pytorch-1-0-preview';

/** A port nothing listens on at the moment (the demo server binds it next). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function summaryOf(result: CliResult): CrawlResult {
  expect(result.code, result.stderr).toBe(0);
  const [summary] = jsonLines<CrawlResult>(result);
  if (!summary) throw new Error(`crawl printed no summary; stderr:\n${result.stderr}`);
  return summary;
}

/** Every demo source fetched and parsed, its items stored, and the demo's linked page read. */
async function expectDemoCrawled(summary: CrawlResult, db: TestDatabase, port: number): Promise<void> {
  expect(summary.sources.map((s) => s.name).sort()).toEqual(DEMO_SOURCES);
  for (const s of summary.sources) {
    expect(s, `${s.name}: ${s.error}`).toMatchObject({ ok: true, errorCode: null });
    expect(s.items).toBeGreaterThan(0);
  }
  const stored = await db.sql<{ name: string; n: number }[]>`
    select s.name, count(d.id)::int as n from sources s left join documents d on d.source_id = s.id
    group by s.name order by s.name`;
  expect(stored).toEqual(summary.sources.map((s) => ({ name: s.name, n: s.items })).sort(byName));
  expect(summary.documents.new).toBe(summary.sources.reduce((n, s) => n + s.items, 0));
  const [article] = await db.sql<{ articleText: string | null; articleError: string | null }[]>`
    select article_text as "articleText", article_error as "articleError" from documents
    where url = ${`http://127.0.0.1:${port}${DEMO_ARTICLE_PATH}`}`;
  expect(article?.articleError ?? null).toBeNull();
  expect(article?.articleText).toMatch(/PyTorch/);
}

function byName(a: { name: string | null }, b: { name: string | null }): number {
  return (a.name ?? '').localeCompare(b.name ?? '');
}

/** `crawl --demo` without REDIS_URL: the stages run in the crawl process, under the same allowance. */
describe('crawl --demo in-process', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  test('the demo feeds and their linked page are fetched; the summary lists every demo source', async () => {
    const port = await freePort();
    // The demo sources as an older frameline left them: no allowance, and paused after ten refusals.
    for (const [i, file] of DEMO_FILES.entries()) {
      const name = DEMO_SOURCES[i] ?? null;
      await addSource(db.sql, { url: `http://127.0.0.1:${port}/${file}`, name, tags: ['demo'] });
    }
    await db.sql`update sources set paused_at = now(), error_count = 10`;
    const env = { DATABASE_URL: db.url };
    const summary = summaryOf(await runCli(['crawl', '--demo', '--demo-port', String(port), '--json'], env));
    expect(summary.mode).toBe('in-process');
    await expectDemoCrawled(summary, db, port);
  });
});

/**
 * `crawl --demo` with REDIS_URL: the crawl process serves the demo feeds and only enqueues; a separate
 * `frameline worker` process fetches them. Neither has FRAMELINE_ALLOW_HOSTS: the demo sources themselves carry
 * the allowance for the demo server's loopback address.
 */
describe('crawl --demo through BullMQ with a separate worker process', () => {
  let db: TestDatabase;
  let prefix: string;
  let env: Record<string, string>;
  let worker: ReturnType<typeof startCli>;

  beforeAll(async () => {
    db = await createTestDatabase();
    prefix = randomPrefix();
    env = { DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL, FRAMELINE_QUEUE_PREFIX: prefix };
    worker = startCli(['worker', '--concurrency', '2'], env);
  });

  afterAll(async () => {
    if (worker && worker.exitCode === null) {
      worker.kill('SIGKILL');
      await worker.done;
    }
    await db?.drop();
    if (prefix) await deleteKeys(prefix);
  });

  test('the worker fetches the demo feeds and their linked page; the summary lists every demo source', async () => {
    const port = await freePort();
    const summary = summaryOf(await runCli(['crawl', '--demo', '--demo-port', String(port), '--json'], env));
    expect(summary.mode).toBe('bullmq');
    await expectDemoCrawled(summary, db, port);
  });

  test('a demo on another port crawls its own feeds, not those left from the last one', async () => {
    const port = await freePort();
    const summary = summaryOf(await runCli(['crawl', '--demo', '--demo-port', String(port), '--json'], env));
    expect(summary.sources.map((s) => new URL(s.url).port)).toEqual([
      String(port),
      String(port),
      String(port),
    ]);
    expect(summary.sources.every((s) => s.ok)).toBe(true);
  });

  test('the allowance is the demo sources’ own: another source on a private address is refused, and listed', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/not-a-demo.xml`;
    const added = await runCli(['sources', 'add', '--no-discover', '--tag', 'private', url], env);
    expect(added.code, added.stderr).toBe(0);
    const summary = await crawlOnceJson<CrawlResult>(env, ['--force', '--tag', 'private']);
    expect(summary.sources).toEqual([
      expect.objectContaining({ url, ok: false, errorCode: 'blocked_address', items: 0 }),
    ]);
    expect(summary.sources[0]?.error).toMatch(/private or internal address/);
  });
});

/**
 * A source paused after the crawl scheduled it is skipped by the worker and never fetched; the summary still
 * lists it, saying why, as it lists a source whose fetch failed.
 */
describe('a crawl summary lists every source it scheduled', () => {
  let db: TestDatabase;
  let prefix: string;
  let env: Record<string, string>;
  let redis: Redis;

  beforeAll(async () => {
    db = await createTestDatabase();
    prefix = randomPrefix();
    env = { DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL, FRAMELINE_QUEUE_PREFIX: prefix };
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  });

  afterAll(async () => {
    redis?.disconnect();
    await db?.drop();
    if (prefix) await deleteKeys(prefix);
  });

  test('a failed source and a source paused before its fetch both appear, with their outcomes', async () => {
    const [closed, paused] = [await freePort(), await freePort()];
    const failing = `http://127.0.0.1:${closed}/feed.xml`;
    const skipped = `http://127.0.0.1:${paused}/feed.xml`;
    const added = await runCli(['sources', 'add', '--no-discover', failing, skipped], env);
    expect(added.code, added.stderr).toBe(0);
    // No worker yet: the crawl schedules both fetches and waits.
    const crawl = startCli(['crawl', '--once', '--json', '--force'], env);
    crawl.stdin?.end();
    await eventually(
      'the crawl to schedule its fetches',
      async () => (await redis.llen(`${prefix}:fetch:wait`)) === 2,
      {
        process: crawl,
      },
    );
    await db.sql`update sources set paused_at = now() where url = ${skipped}`;
    const worker = startCli(['worker', '--once'], env);
    try {
      const summary = summaryOf(await crawl.done);
      expect(summary.sources).toEqual([
        expect.objectContaining({ url: failing, ok: false, errorCode: 'blocked_address' }),
        expect.objectContaining({
          url: skipped,
          ok: false,
          errorCode: 'not_fetched',
          error: expect.stringContaining('paused'),
        }),
      ]);
    } finally {
      const done = await worker.done;
      expect(done.code, done.stderr).toBe(0);
    }
  });
});
