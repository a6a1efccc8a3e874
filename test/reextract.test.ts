import { crawlOnce, type ReextractReport, type Runtime, reextract } from '@frameline/pipeline';
import { activeRuleSet, addSource, queryTimeline } from '@frameline/store';
import { loadRuleSet, type RuleSet, tag } from '@frameline/tag';
import { type FixtureServer, startFixtureServer } from '@frameline/testkit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestDatabase } from './helpers/db.js';
import { quasarflowFeed, rulesWithQuasarflow } from './helpers/rules.js';
import { type InProcess, inProcessRuntime } from './helpers/runtime.js';

const ITEMS = 12;

describe('reextract over stored documents (Postgres, in-process)', () => {
  let server: FixtureServer;
  let setup: InProcess;
  let db: TestDatabase;
  let rt: Runtime;
  let dir: string;
  let newer: RuleSet;
  let old: string;
  let oldRules: RuleSet;

  beforeAll(async () => {
    server = await startFixtureServer({ routes: { '/q.xml': { body: quasarflowFeed(ITEMS) } } });
    setup = await inProcessRuntime('reextract');
    ({ db, rt, dir } = setup);
    await addSource(rt.store.sql, { url: server.url('/q.xml'), articleMode: 'never' });
    await crawlOnce(rt, { force: true });
    old = rt.ruleSet.version;
    oldRules = rt.ruleSet;
    newer = loadRuleSet(rulesWithQuasarflow(dir));
  });

  afterAll(async () => {
    await setup?.close();
    await server?.close();
  });

  /** Rows stored per rule set, to see that a dry run writes nothing. */
  async function stored(): Promise<Record<string, number>> {
    const rows = await db.sql<{ ruleSet: string; n: number }[]>`
      select rule_set as "ruleSet", count(*)::int as n from mentions group by rule_set`;
    return Object.fromEntries(rows.map((r) => [r.ruleSet, r.n]));
  }

  /** What the newer rules add over the old ones on the feed's texts, counted as the report counts. */
  function expectedQuasarflowMentions(): number {
    let docs = 0;
    for (let k = 0; k < ITEMS; k += 3) {
      const text = `Amazon SageMaker now supports qflow for PyTorch training (post ${k}).`;
      if (tag(text, oldRules).entities.some((e) => e.id === 'quasarflow'))
        throw new Error('the old rules find qflow');
      if (tag(text, newer).entities.some((e) => e.id === 'quasarflow')) docs++;
    }
    return docs;
  }

  let dry: ReextractReport;
  test('a dry run reports what the new rules change, and writes nothing', async () => {
    const before = await stored();
    dry = await reextract(rt, { ruleSet: newer, dryRun: true, batchSize: 5 });
    expect(dry).toMatchObject({ dryRun: true, baseline: old, ruleSet: newer.version, activated: false });
    expect(dry.documents).toEqual({ inScope: ITEMS, extracted: ITEMS });
    const quasar = dry.groups.find((g) => g.type === 'mention' && g.entity === 'quasarflow');
    expect(quasar?.added).toBe(expectedQuasarflowMentions());
    expect(quasar?.examples[0]?.title).toMatch(/^Post \d+$/);
    expect(dry.totals.announcements.added + dry.totals.announcements.changed).toBeGreaterThan(0);
    expect(await stored()).toEqual(before);
    expect(await activeRuleSet(db.sql)).toBe(old);
  });

  test('stopped part-way, the old extraction stays the active one; run again, it resumes and switches', async () => {
    const controller = new AbortController();
    // (One document per batch: the stages run a few batches at once, so a stop leaves most of them undone.)
    const first = await reextract(rt, {
      ruleSet: newer,
      batchSize: 1,
      signal: controller.signal,
      onProgress: (done) => {
        if (done >= 1) controller.abort();
      },
    });
    expect(first).toMatchObject({ complete: false, activated: false, mode: 'in-process' });
    expect(first.documents.extracted).toBeLessThan(ITEMS);
    expect(await activeRuleSet(db.sql)).toBe(old);
    // The timeline still reads the old rule set for every document.
    const timeline = await queryTimeline(db.sql, { limit: 100 });
    expect(timeline.every((e) => e.subject !== 'quasarflow')).toBe(true);

    const second = await reextract(rt, { ruleSet: newer, batchSize: 5 });
    expect(second).toMatchObject({ complete: true, activated: true, baseline: old });
    expect(first.documents.extracted + second.documents.extracted).toBe(ITEMS);
    // The report covers every document, those done before the stop included: the dry run's figures.
    expect(second.totals).toEqual(dry.totals);
    expect(await activeRuleSet(db.sql)).toBe(newer.version);
    const now = await queryTimeline(db.sql, { entity: 'quasarflow', limit: 100 });
    expect(now.length).toBeGreaterThan(0);
    // "As of" the old rule set, the timeline is what it was.
    const asOf = await queryTimeline(db.sql, { entity: 'quasarflow', limit: 100, ruleSet: old });
    expect(asOf).toEqual([]);
  });

  test('a run with nothing left to do extracts nothing and changes nothing', async () => {
    const again = await reextract(rt, { ruleSet: newer });
    expect(again.documents.extracted).toBe(0);
    expect(again).toMatchObject({ complete: true, baseline: newer.version });
    expect(again.totals.mentions).toEqual({ added: 0, removed: 0, changed: 0 });
  });

  test('--since/--until and --source limit the documents', async () => {
    const scoped = await reextract(rt, {
      ruleSet: newer,
      dryRun: true,
      since: new Date('2019-01-03T00:00:00Z'),
      until: new Date('2019-01-06T00:00:00Z'),
    });
    expect(scoped.documents.inScope).toBe(3);
    const none = await reextract(rt, { ruleSet: newer, dryRun: true, sourceId: 999_999 });
    expect(none.documents.inScope).toBe(0);
  });
});
