import { type JobMap, PROCESSORS, type QueueName, type StageContext, stageBase } from '@frameline/pipeline';
import { addSource } from '@frameline/store';
import type { RuleSet } from '@frameline/tag';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { recordFetchedBody } from './helpers/fetched.js';
import { fixture } from './helpers/fixtures.js';
import { type InProcess, inProcessRuntime } from './helpers/runtime.js';

/**
 * A parse extracts what it stored in the same job; when that extraction fails (here: the rules it holds are
 * broken), the documents are not lost: they go to the extract queue, whose job extracts them.
 */
let env: InProcess;

beforeAll(async () => {
  env = await inProcessRuntime('extract-fallback');
});
afterAll(async () => {
  await env?.close();
});

test('a batch whose extraction fails in the parse job goes to the extract queue, which extracts it', async () => {
  const { rt } = env;
  const { source } = await addSource(rt.store.sql, {
    url: 'https://example.org/alpha.xml',
    articleMode: 'never',
  });
  const fetchId = await recordFetchedBody(rt.store.sql, source, {
    body: fixture('alpha.xml'),
    contentType: 'application/rss+xml',
  });
  const queued: { queue: QueueName; payload: unknown }[] = [];
  const enqueue = async <Q extends QueueName>(queue: Q, payload: JobMap[Q]) => {
    queued.push({ queue, payload });
  };
  // The same version, but tagging with it throws: the in-line extraction fails.
  const broken = { ...rt.ruleSet, tables: undefined } as unknown as RuleSet;
  const ctx: StageContext = { ...stageBase(rt), ruleSet: broken, enqueue };
  const attempt = { jobId: 'parse-test', number: 1, isLast: false };
  await PROCESSORS.parse({ fetchId, sourceId: source.id, crawlId: null }, ctx, attempt);

  const extracted = () =>
    rt.store.sql<{ n: number }[]>`select count(*)::int as n from extractions`.then((r) => r[0]?.n);
  const [{ n: documents } = { n: 0 }] = await rt.store.sql<{ n: number }[]>`
    select count(*)::int as n from documents`;
  expect(documents).toBeGreaterThan(0);
  expect(await extracted()).toBe(0);
  expect(queued.map((q) => q.queue)).toEqual(['extract']);
  const job = queued[0]?.payload as JobMap['extract'];
  expect(job.ruleSet).toBe(rt.ruleSet.version);
  expect(job.documents).toHaveLength(documents);

  // The extract job builds its rules by version (the runtime's own, intact) and extracts every document.
  await PROCESSORS.extract(job, { ...stageBase(rt), enqueue }, { ...attempt, jobId: 'extract-test' });
  expect(await extracted()).toBe(documents);
});
