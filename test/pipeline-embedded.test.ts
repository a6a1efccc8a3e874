import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@frameline/core';
import type { CrawlResult, ReextractReport } from '@frameline/pipeline';
import { openStore, type Store } from '@frameline/store';
import { type FixtureServer, startFixtureServer } from '@frameline/testkit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { crawlOnceJson, jsonLines, runCli } from './helpers/cli.js';
import {
  changeAlpha,
  expectFirstCrawl,
  expectStoredFixtures,
  FIXTURE_PATHS,
  fixtureRoutes,
  snapshotCounts,
} from './helpers/expect-crawl.js';
import { rulesWithQuasarflow } from './helpers/rules.js';

/** The embedded default: no DATABASE_URL (PGlite under FRAMELINE_HOME), no REDIS_URL (stages in-process). */
describe('crawl on the embedded default', () => {
  let server: FixtureServer;
  let home: string;
  let env: Record<string, string>;

  /** PGlite serves one process at a time, so the test opens the store only between CLI runs. */
  async function withStore<T>(body: (store: Store) => Promise<T>): Promise<T> {
    const store = await openStore({ databaseUrl: undefined, home }, createLogger('silent'));
    try {
      return await body(store);
    } finally {
      await store.close();
    }
  }

  async function crawl(...flags: string[]): Promise<CrawlResult> {
    const summary = await crawlOnceJson<CrawlResult>(env, flags);
    expect(summary.mode).toBe('in-process');
    return summary;
  }

  beforeAll(async () => {
    server = await startFixtureServer({ routes: fixtureRoutes() });
    home = await mkdtemp(join(tmpdir(), 'frameline-home-'));
    env = { FRAMELINE_HOME: home, FRAMELINE_ALLOW_HOSTS: '127.0.0.1' };
    const added = await runCli(
      ['sources', 'add', '--no-discover', ...FIXTURE_PATHS.map((p) => server.url(p))],
      env,
    );
    expect(added.code, added.stderr).toBe(0);
  });

  afterAll(async () => {
    await server?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  test('a crawl stores the right documents, mentions and announcements; bad sources end as recorded errors', async () => {
    const summary = await crawl();
    expectFirstCrawl(summary, server);
    await withStore((store) => expectStoredFixtures(store.sql));

    const list = await runCli(['sources', 'list', '--json'], env);
    const sources = jsonLines<{
      url: string;
      lastErrorCode: string | null;
      lastError: string | null;
      documents: number;
    }>(list);
    const broken = sources.find((s) => s.url === server.url('/broken.xml'));
    expect(broken?.lastErrorCode).toBe('unparsable_feed');
    expect(broken?.lastError).toContain(server.url('/broken.xml'));
    expect(sources.find((s) => s.url === server.url('/alpha.xml'))).toMatchObject({
      lastErrorCode: null,
      documents: 3,
    });
  });

  test('a second crawl adds no duplicates', async () => {
    const before = await withStore((store) => snapshotCounts(store.sql));
    const summary = await crawl('--force');
    expect(summary.documents).toEqual({ new: 0, updated: 0, unchanged: 5 });
    expect(await withStore((store) => snapshotCounts(store.sql))).toEqual(before);
  });

  test('a changed item updates its document', async () => {
    const before = await withStore((store) => snapshotCounts(store.sql));
    changeAlpha(server);
    const summary = await crawl('--force');
    expect(summary.documents).toEqual({ new: 0, updated: 1, unchanged: 4 });
    await withStore(async (store) => {
      const after = await snapshotCounts(store.sql);
      expect(after?.documents).toBe(before?.documents);
      const [doc] = await store.sql<{ text: string; extracted: boolean }[]>`
        select text, exists (select 1 from extractions e
                  where e.document_id = documents.id and e.content_hash = documents.content_hash) as extracted from documents where guid = 'alpha-1'`;
      expect(doc?.text).toContain('NVIDIA announced support');
      expect(doc?.extracted).toBe(true);
      const nvidia = await store.sql`
        select 1 from announcements a join documents d on d.id = a.document_id
        where d.guid = 'alpha-1' and a.subject = 'nvidia' and a.type = 'support'`;
      expect(nvidia.length).toBe(1);
    });
  });

  test('the timeline answers "every PyTorch release and who announced support for it"', async () => {
    const result = await runCli(['timeline', '--entity', 'PyTorch', '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    const rows = jsonLines<{ type: string; subject: string; version: string | null; stage: string | null }>(
      result,
    );
    expect(rows).toContainEqual(
      expect.objectContaining({ type: 'release', subject: 'pytorch-1.0', version: '1.0', stage: 'beta' }),
    );
    expect(rows.filter((r) => r.type === 'support').map((r) => r.subject)).toEqual(
      expect.arrayContaining(['aws', 'nvidia']),
    );
    const human = await runCli(['timeline', '--entity', 'pytorch', '--type', 'release'], env);
    expect(human.stdout).toMatch(/^2018-10-02\s+release\s+PyTorch 1\.0 beta/m);
  });

  test('mindshare counts documents naming each framework per period', async () => {
    const result = await runCli(['mindshare', '--kind', 'framework', '--by', 'month', '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    const rows = jsonLines<{ period: string; entity: string; documents: number; share: number }>(result);
    // All three alpha posts (October 2018) name PyTorch; one post naming it in title and body counts once.
    expect(rows).toContainEqual(
      expect.objectContaining({ period: '2018-10', entity: 'pytorch', documents: 3, share: 1 }),
    );
    expect(rows).toContainEqual(expect.objectContaining({ period: '2023-05', entity: 'jax', documents: 1 }));
  });

  test('reextract with changed rules: a dry run writes nothing, the real run makes them active, the old stay readable', async () => {
    const rules = rulesWithQuasarflow(home);
    const dry = await runCli(['reextract', '--rules', rules, '--dry-run', '--json'], env);
    expect(dry.code, dry.stderr).toBe(0);
    const [planned] = jsonLines<ReextractReport>(dry);
    expect(planned).toMatchObject({ dryRun: true, mode: 'dry-run', activated: false });
    const old = planned?.baseline as string;
    expect(planned?.documents.inScope).toBe(5);
    const run = await runCli(['reextract', '--rules', rules, '--json'], env);
    expect(run.code, run.stderr).toBe(0);
    const [report] = jsonLines<ReextractReport>(run);
    expect(report).toMatchObject({ mode: 'in-process', complete: true, activated: true, baseline: old });
    expect(report?.totals).toEqual(planned?.totals);
    await withStore(async (store) => {
      const [active] = await store.sql<{ version: string }[]>`
        select version from rule_sets where activated_at is not null order by activated_at desc limit 1`;
      expect(active?.version).toBe(report?.ruleSet);
    });
    const before = await runCli(['timeline', '--entity', 'pytorch', '--rule-set', old, '--json'], env);
    const after = await runCli(['timeline', '--entity', 'pytorch', '--json'], env);
    expect(jsonLines(before).length).toBeGreaterThan(0);
    expect(jsonLines(after).length).toBeGreaterThan(0);
    const human = await runCli(['reextract', '--rules', rules], env);
    expect(human.stdout).toMatch(/0 extracted now/);
    expect(human.stdout).toMatch(/changes against itself \(already active\)/);
  });
});
