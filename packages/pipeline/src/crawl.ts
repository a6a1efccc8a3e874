import { randomBytes } from 'node:crypto';
import { type CrawlSummary, crawlSummary, dueSources, type SourceRow } from '@frameline/store';
import { BullTransport } from './bullmq.js';
import type { Enqueue } from './context.js';
import { type JobFailure, LocalRunner } from './local-runner.js';
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
  /** Jobs that failed for good, in-process only (BullMQ keeps its own failed set). */
  failures: JobFailure[];
}

/** A crawl id: sortable by time, unique, and safe inside BullMQ job ids. */
export function newCrawlId(): string {
  return `c${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
}

function enqueueFetches(enqueue: Enqueue, sources: SourceRow[], crawlId: string, force: boolean) {
  return Promise.all(
    sources.map((s) =>
      enqueue('fetch', {
        sourceId: s.id,
        // Scheduled fetches are keyed by their due time, so two crawls started together fetch a source once.
        slot: force ? crawlId : String(s.nextFetchAt.getTime()),
        crawlId,
      }),
    ),
  );
}

/**
 * One pass over the due sources through the whole pipeline, waiting until the work it caused has drained.
 * With REDIS_URL the jobs go to BullMQ for `frameline worker` processes; without, they run in this process.
 */
export async function crawlOnce(rt: Runtime, opts: CrawlOptions = {}): Promise<CrawlResult> {
  const started = performance.now();
  const crawlId = newCrawlId();
  const sources = await dueSources(rt.store.sql, {
    force: opts.force ?? false,
    tag: opts.tag ?? null,
    ids: opts.sourceIds ?? null,
  });
  const base = {
    sql: rt.store.sql,
    log: rt.log,
    config: rt.config,
    ruleSet: rt.ruleSet,
    fetchOptions: rt.fetchOptions,
  };
  let failures: JobFailure[] = [];
  if (rt.config.redisUrl) {
    const transport = await BullTransport.connect({
      redisUrl: rt.config.redisUrl,
      prefix: rt.config.queuePrefix,
      log: rt.log,
    });
    try {
      await enqueueFetches(transport.enqueue, sources, crawlId, opts.force ?? false);
      if (sources.length > 0) {
        const counts = await transport.workerCounts();
        const idle = Object.entries(counts)
          .filter(([, n]) => n === 0)
          .map(([q]) => q);
        if (idle.length > 0) {
          opts.onNotice?.(
            `no worker is listening on: ${idle.join(', ')}; start \`frameline worker\` (waiting)`,
          );
        }
      }
      await transport.waitForCrawl(crawlId, opts.signal ? { signal: opts.signal } : {});
    } finally {
      await transport.close();
    }
  } else {
    const runner = new LocalRunner(base, {
      concurrency: rt.config.concurrency,
      retryBaseMs: rt.config.retryBaseMs,
    });
    const onAbort = () => void runner.stop();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await enqueueFetches(runner.enqueue, sources, crawlId, opts.force ?? false);
      await runner.drain();
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
    failures = runner.failures;
  }
  const summary = await crawlSummary(rt.store.sql, crawlId);
  return {
    ...summary,
    mode: rt.config.redisUrl ? 'bullmq' : 'in-process',
    durationMs: Math.round(performance.now() - started),
    failures,
  };
}
