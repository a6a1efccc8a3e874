import {
  activateRuleSet,
  activeRuleSet,
  countScope,
  type ExtractionRows,
  extractionRows,
  getDocuments,
  type ReextractScope,
  registerRuleSet,
  type ScopedDocument,
  type Sql,
  scopePage,
} from '@frameline/store';
import type { RuleSet } from '@frameline/tag';
import type { JobFailure } from './context.js';
import { newCrawlId } from './crawl.js';
import { type DiffReport, ExtractionDiff } from './extraction-diff.js';
import { openLane, type WorkLane } from './lane.js';
import { EXTRACT_BATCH, type JobMap } from './queues.js';
import type { Runtime } from './runtime.js';
import { extractionOf } from './stages/extract.js';

export interface ReextractOptions extends ReextractScope {
  /** The rule set to extract with (the runtime's own when left out). */
  ruleSet?: RuleSet;
  /** Compute the report and write nothing. */
  dryRun?: boolean;
  /** Documents per batch (per extract job). */
  batchSize?: number;
  signal?: AbortSignal;
  /** Called as documents are done: how many of how many. */
  onProgress?: (done: number, total: number) => void;
}

export interface ReextractReport extends DiffReport {
  ruleSet: string;
  /** The rule set the changes are measured against: the one active when the run started (null: none yet). */
  baseline: string | null;
  dryRun: boolean;
  /** Documents in scope, and how many this run extracted (the rest were done by an earlier, stopped run). */
  documents: { inScope: number; extracted: number };
  /** Whether every document in scope now has an extraction by the rule set. */
  complete: boolean;
  /** Whether the rule set was made the active one (a complete run that is not a dry run). */
  activated: boolean;
  mode: 'in-process' | 'bullmq' | 'dry-run';
  failures: JobFailure[];
  durationMs: number;
}

/**
 * Re-run the tagger over stored documents with a rule set, then report what changed against the active rule
 * set's extractions. Documents are streamed from the database in batches by id; each batch is one extract
 * job, fanned out over the queue when there is one (at a lower priority than live crawling) or run in this
 * process. Resumable: a document already extracted by the rule set at its current content is not done again,
 * so a stopped run started again continues where it stopped. The new extractions are written beside the old
 * ones, and the rule set becomes the active one (atomically) only when every document in scope has one; until
 * then the timeline reads the old ones. A dry run tags in memory and writes nothing.
 */
export async function reextract(rt: Runtime, opts: ReextractOptions = {}): Promise<ReextractReport> {
  const started = performance.now();
  const sql = rt.store.sql;
  const ruleSet = opts.ruleSet ?? rt.ruleSet;
  const scope: ReextractScope = {
    since: opts.since ?? null,
    until: opts.until ?? null,
    sourceId: opts.sourceId ?? null,
  };
  const batchSize = opts.batchSize ?? EXTRACT_BATCH;
  const dryRun = opts.dryRun ?? false;
  const baseline = await activeRuleSet(sql);
  const inScope = await countScope(sql, scope);
  const diff = new ExtractionDiff();
  const before = (ids: number[]) => (baseline ? extractionRows(sql, baseline, ids) : emptyRows());
  let extracted = 0;
  // Documents in scope the rule set had extracted before this run started (an earlier, stopped run's).
  let alreadyDone = 0;
  let failures: JobFailure[] = [];
  let mode: ReextractReport['mode'] = 'dry-run';

  if (dryRun) {
    // Tag each batch in memory and compare it with the baseline's stored rows.
    for await (const page of pages(sql, scope, { limit: batchSize, signal: opts.signal })) {
      const ids = page.map((d) => d.id);
      const docs = await getDocuments(sql, ids);
      diff.add(docs, await before(ids), rowsOf(docs.map((d) => extractionOf(d, ruleSet))));
      extracted += docs.length;
      opts.onProgress?.(extracted, inScope);
    }
  } else {
    await registerRuleSet(sql, {
      version: ruleSet.version,
      name: ruleSet.source,
      files: ruleSet.files,
      entities: ruleSet.entities,
    });
    alreadyDone = inScope - (await countScope(sql, scope, ruleSet.version));
    const run: RunOptions = {
      batchSize,
      signal: opts.signal,
      progress: (n: number) => opts.onProgress?.(alreadyDone + n, inScope),
    };
    run.progress(0);
    ({ failures, mode } = await runBatches(rt, ruleSet, scope, run));
    // The report reads back what is stored, so a run that was stopped and resumed reports the whole change.
    // (Against itself, a rule set changes nothing.)
    if (baseline !== ruleSet.version) {
      for await (const page of pages(sql, scope, { limit: 1000 })) {
        const ids = page.map((d) => d.id);
        diff.add(page, await before(ids), await extractionRows(sql, ruleSet.version, ids));
      }
    }
  }

  const missing = dryRun ? inScope - extracted : await countScope(sql, scope, ruleSet.version);
  // What this run extracted is read back from what is stored: a stopped run's queued batches may not all have run.
  if (!dryRun) extracted = inScope - missing - alreadyDone;
  const complete = missing === 0 && !(opts.signal?.aborted ?? false);
  const activated = !dryRun && complete && failures.length === 0;
  if (activated) await activateRuleSet(sql, ruleSet.version);
  return {
    ruleSet: ruleSet.version,
    baseline,
    dryRun,
    documents: { inScope, extracted },
    complete,
    activated,
    mode,
    failures,
    durationMs: Math.round(performance.now() - started),
    ...diff.report(),
  };
}

interface RunOptions {
  batchSize: number;
  signal: AbortSignal | undefined;
  progress: (done: number) => void;
}

/**
 * The documents of a scope page by page, by id (with `missing`, those that rule set has not extracted at
 * their current content), until none are left or the signal fires.
 */
async function* pages(
  sql: Sql,
  scope: ReextractScope,
  o: { limit: number; missing?: string; signal?: AbortSignal | undefined },
) {
  let after = 0;
  for (;;) {
    if (o.signal?.aborted) return;
    const page = await scopePage(sql, scope, { after, limit: o.limit, missing: o.missing ?? null });
    if (page.length === 0) return;
    after = (page[page.length - 1] as ScopedDocument).id;
    yield page;
  }
}

/** Batches of documents the rule set has not extracted at their current content, as bulk extract jobs. */
async function* batchesToDo(rt: Runtime, ruleSet: RuleSet, scope: ReextractScope, o: RunOptions) {
  const opts = { limit: o.batchSize, missing: ruleSet.version, signal: o.signal };
  for await (const page of pages(rt.store.sql, scope, opts)) {
    const documents = page.map((d) => ({ id: d.id, contentHash: d.contentHash }));
    const payload: JobMap['extract'] = { documents, ruleSet: ruleSet.version, crawlId: null, bulk: true };
    yield payload;
  }
}

/**
 * One bulk extract job per batch, on the run's lane: the queue for the workers when there is one, else the
 * extract stage in this process; waits until they are done.
 */
async function runBatches(
  rt: Runtime,
  ruleSet: RuleSet,
  scope: ReextractScope,
  o: RunOptions,
): Promise<{ failures: JobFailure[]; mode: WorkLane['mode'] }> {
  const runId = newCrawlId();
  let queued = 0;
  const lane = await openLane(rt, runId, {
    signal: o.signal,
    // (Documents done, counted in batches: the last batch may be short.)
    onProgress: (left, total) => o.progress(Math.min(queued, (total - left) * o.batchSize)),
  });
  try {
    for await (const payload of batchesToDo(rt, ruleSet, scope, o)) {
      await lane.enqueue('extract', { ...payload, crawlId: runId });
      queued += payload.documents.length;
    }
    return { failures: await lane.wait(), mode: lane.mode };
  } finally {
    await lane.close();
  }
}

function emptyRows(): ExtractionRows {
  return { mentions: [], announcements: [] };
}

/**
 * The rows an extraction would store, for a dry run's comparison: mentions counted per document and entity
 * over all fields, and announcements once per stored key (as `replaceExtractions` keeps them).
 */
function rowsOf(extractions: ReturnType<typeof extractionOf>[]): ExtractionRows {
  const rows = emptyRows();
  for (const e of extractions) {
    const counts = new Map<string, number>();
    const seen = new Set<string>();
    for (const { field, result } of e.fields) {
      for (const entity of result.entities)
        counts.set(entity.id, (counts.get(entity.id) ?? 0) + entity.mentions.length);
      for (const a of result.announcements) {
        const key = JSON.stringify([field, a.evidence.start, a.type, a.subject, a.objects, a.rule]);
        if (seen.has(key)) continue;
        seen.add(key);
        rows.announcements.push({
          documentId: e.id,
          type: a.type,
          subject: a.subject,
          objects: a.objects,
          version: a.version,
          evidence: a.evidence.text,
        });
      }
    }
    for (const [entity, count] of counts) rows.mentions.push({ documentId: e.id, entity, count });
  }
  return rows;
}
