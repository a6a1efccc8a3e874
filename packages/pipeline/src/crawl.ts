import { randomBytes } from 'node:crypto';
import {
  type CrawlSummary,
  crawlSummary,
  dueSources,
  NOT_FETCHED,
  type SourceOutcome,
  type SourceRow,
} from '@frameline/store';
import type { Enqueue, JobFailure } from './context.js';
import { openLane } from './lane.js';
import { type JobMap, jobIdFor } from './queues.js';
import { whenAvailable } from './retry.js';
import type { Runtime } from './runtime.js';

export interface CrawlOptions {
  /** Fetch every unpaused source, due or not. */
  force?: boolean;
  /** Only sources with this tag. */
  tag?: string | null;
  /** Only these source ids. */
  sourceIds?: number[] | null;
  signal?: AbortSignal;
  /** Told things a person should know while waiting (no workers listening, ...). */
  onNotice?: (message: string) => void;
}

export interface CrawlResult extends CrawlSummary {
  mode: 'in-process' | 'bullmq';
  durationMs: number;
  /** Jobs of this crawl that failed for good, in either mode. */
  failures: JobFailure[];
}

/** A crawl id: sortable by time, unique, and safe inside BullMQ job ids. */
export function newCrawlId(): string {
  return `c${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
}

function fetchPayload(s: SourceRow, crawlId: string, force: boolean): JobMap['fetch'] {
  // Scheduled fetches are keyed by their due time, so two crawls started together fetch a source once.
  return { sourceId: s.id, slot: force ? crawlId : String(s.nextFetchAt.getTime()), crawlId };
}

function enqueueFetches(enqueue: Enqueue, sources: SourceRow[], crawlId: string, force: boolean) {
  return Promise.all(sources.map((s) => enqueue('fetch', fetchPayload(s, crawlId, force))));
}

/**
 * A source that ended with no fetch recorded says what this process knows beyond the database: that its
 * fetch job failed (and why), or that the crawl was stopped.
 */
function explainNotFetched(
  outcomes: SourceOutcome[],
  sources: SourceRow[],
  failures: JobFailure[],
  crawl: { crawlId: string; force: boolean; stopped: boolean },
): SourceOutcome[] {
  const jobOf = new Map(
    sources.map((s) => [s.id, jobIdFor('fetch', fetchPayload(s, crawl.crawlId, crawl.force))]),
  );
  const failed = new Map(failures.filter((f) => f.queue === 'fetch').map((f) => [f.jobId, f.error]));
  return outcomes.map((o) => {
    if (o.errorCode !== NOT_FETCHED) return o;
    const error = failed.get(jobOf.get(o.sourceId) ?? '');
    if (error) return { ...o, error: `its fetch job failed without recording a fetch: ${error}` };
    if (crawl.stopped) return { ...o, error: 'the crawl was stopped before this source was fetched' };
    return o;
  });
}

/**
 * One pass over the due sources through the whole pipeline, waiting until the work it caused has drained.
 * With REDIS_URL the jobs go to BullMQ for `frameline worker` processes; without, they run in this process.
 */
export async function crawlOnce(rt: Runtime, opts: CrawlOptions = {}): Promise<CrawlResult> {
  const started = performance.now();
  const crawlId = newCrawlId();
  const force = opts.force ?? false;
  const sources = await dueSources(rt.store.sql, {
    force,
    tag: opts.tag ?? null,
    ids: opts.sourceIds ?? null,
  });
  const lane = await openLane(rt, crawlId, { signal: opts.signal });
  let failures: JobFailure[];
  try {
    await enqueueFetches(lane.enqueue, sources, crawlId, force);
    const idle = sources.length > 0 ? await lane.idleStages() : [];
    if (idle.length > 0) {
      opts.onNotice?.(`no worker is listening on: ${idle.join(', ')}; start \`frameline worker\` (waiting)`);
    }
    failures = await lane.wait();
  } finally {
    await lane.close();
  }
  // Every scheduled source is listed, including one whose job never got as far as recording a fetch.
  const summary = await whenAvailable(
    'reading the crawl summary',
    () => crawlSummary(rt.store.sql, crawlId, sources),
    rt.log,
  );
  const stopped = opts.signal?.aborted ?? false;
  return {
    ...summary,
    sources: explainNotFetched(summary.sources, sources, failures, { crawlId, force, stopped }),
    mode: lane.mode,
    durationMs: Math.round(performance.now() - started),
    failures,
  };
}
