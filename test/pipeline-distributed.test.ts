import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CrawlResult, ReextractReport } from '@frameline/pipeline';
import { type FixtureServer, startFixtureServer } from '@frameline/testkit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { crawlOnceJson, jsonLines, runCli, startCli } from './helpers/cli.js';
import {
  changeAlpha,
  expectFirstCrawl,
  expectStoredFixtures,
  FIXTURE_PATHS,
  fixtureRoutes,
  snapshotCounts,
} from './helpers/expect-crawl.js';
import { type Distributed, distributed } from './helpers/redis.js';
import { rulesWithQuasarflow } from './helpers/rules.js';

/** Postgres + BullMQ: `crawl` only enqueues and waits; a separate `frameline worker` process does the work. */
describe('crawl through BullMQ with a separate worker process', () => {
  let server: FixtureServer;
  let setup: Distributed;
  let db: Distributed['db'];
  let env: Record<string, string>;
  let worker: ReturnType<typeof startCli>;

  async function crawl(...flags: string[]): Promise<CrawlResult> {
    const summary = await crawlOnceJson<CrawlResult>(env, flags);
    expect(summary.mode).toBe('bullmq');
    return summary;
  }

  beforeAll(async () => {
    server = await startFixtureServer({ routes: fixtureRoutes() });
    setup = await distributed();
    ({ db, env } = setup);
    const added = await runCli(
      ['sources', 'add', '--no-discover', ...FIXTURE_PATHS.map((p) => server.url(p))],
      env,
    );
    expect(added.code, added.stderr).toBe(0);
    worker = startCli(['worker', '--concurrency', '2'], env);
  });

  afterAll(async () => {
    await setup?.teardown(worker ? [worker] : []);
    await server?.close();
  });

  test('a crawl stores the right documents, mentions and announcements; bad sources end as recorded errors', async () => {
    const summary = await crawl();
    expectFirstCrawl(summary, server);
    await expectStoredFixtures(db.sql);
    const [broken] = await db.sql<{ lastErrorCode: string; errorCount: number }[]>`
      select last_error_code as "lastErrorCode", error_count as "errorCount" from sources where url = ${server.url('/broken.xml')}`;
    // A permanent error fails the job at once: one attempt, one recorded error.
    expect(broken).toEqual({ lastErrorCode: 'unparsable_feed', errorCount: 1 });
    const missingFetches = await db.sql`
      select 1 from fetches f join sources s on s.id = f.source_id where s.url = ${server.url('/missing.xml')}`;
    expect(missingFetches.length).toBe(1);
  });

  test('a second crawl adds no duplicates; a changed item updates its document', async () => {
    const before = await snapshotCounts(db.sql);
    expect((await crawl('--force')).documents).toEqual({ new: 0, updated: 0, unchanged: 5 });
    expect(await snapshotCounts(db.sql)).toEqual(before);
    changeAlpha(server);
    expect((await crawl('--force')).documents).toEqual({ new: 0, updated: 1, unchanged: 4 });
    expect((await snapshotCounts(db.sql))?.documents).toBe(before?.documents);
  });

  test('a crawl with nothing due finishes at once', async () => {
    const summary = await crawl();
    expect(summary.sources).toEqual([]);
  });

  test('reextract with new rules fans out to the worker, which builds them from the database', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'frameline-rules-'));
    try {
      const run = await runCli(['reextract', '--rules', rulesWithQuasarflow(dir), '--json'], env);
      expect(run.code, run.stderr).toBe(0);
      const [report] = jsonLines<ReextractReport>(run);
      expect(report).toMatchObject({ mode: 'bullmq', complete: true, activated: true, failures: [] });
      expect(report?.documents).toEqual({ inScope: 5, extracted: 5 });
      const stored = await db.sql<{ n: number }[]>`
        select count(*)::int as n from extractions where rule_set = ${report?.ruleSet as string}`;
      expect(stored[0]?.n).toBe(5);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('SIGTERM stops the worker gracefully', async () => {
    worker.kill('SIGTERM');
    const result = await worker.done;
    expect(result.code, result.stderr).toBe(0);
  });
});
