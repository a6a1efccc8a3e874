import { describeError, PermanentError, toError } from '@frameline/core';
import type { Enqueue, JobFailure, StageContext } from './context.js';
import { ATTEMPTS, type JobMap, jobIdFor, QUEUES, type QueueName } from './queues.js';
import { logPutBack, OutageBackoff, putBackFor, retryDelayMs } from './retry.js';
import { PROCESSORS } from './stages/index.js';

/** Failures a long-running runner keeps (the newest). */
const KEEP_FAILURES = 1_000;

interface LocalJob {
  queue: QueueName;
  id: string;
  payload: JobMap[QueueName];
  attemptsMade: number;
}

/**
 * Runs the stage processors in this process, with the same job ids, attempts and backoff as the BullMQ
 * transport, at most `concurrency` jobs per stage at a time. Used when no REDIS_URL is set.
 */
export class LocalRunner {
  readonly failures: JobFailure[] = [];
  private readonly seen = new Set<string>();
  /** Jobs waiting per stage: live work first, bulk work (backfill, re-extraction) when no live job waits. */
  private readonly waiting = new Map<QueueName, { live: LocalJob[]; bulk: LocalJob[] }>(
    QUEUES.map((q) => [q, { live: [], bulk: [] }]),
  );
  private readonly running = new Map<QueueName, number>(QUEUES.map((q) => [q, 0]));
  private outstanding = 0;
  /** Jobs added so far (each id once). */
  private added = 0;
  private idle: (() => void)[] = [];
  private stopped = false;
  private readonly ctx: StageContext;
  private readonly outage = new OutageBackoff();

  constructor(
    base: Omit<StageContext, 'enqueue'>,
    private readonly opts: {
      concurrency: number;
      retryBaseMs: number;
      /**
       * A long-running runner (`frameline run`) forgets a job's id once it has settled and keeps only the last
       * failures; a crawl's runner keeps them all, to dedupe and report.
       */
      longRunning?: boolean;
      /** Hears, each time a job ends, how many of the jobs added so far are left, of how many. */
      onProgress?: (left: number, total: number) => void;
    },
  ) {
    this.ctx = { ...base, enqueue: this.enqueue };
  }

  /** Add a job; a job id seen before in this runner is ignored, as BullMQ ignores a duplicate id. */
  readonly enqueue: Enqueue = async (queue, payload) => {
    const id = jobIdFor(queue, payload);
    if (this.seen.has(id) || this.stopped) return;
    this.seen.add(id);
    this.outstanding++;
    this.added++;
    this.push({ queue, id, payload, attemptsMade: 0 });
    this.pump(queue);
  };

  /** Resolves when every job added so far, and every job those added, has completed or failed. */
  drain(): Promise<void> {
    if (this.outstanding === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Stop starting jobs (running ones finish); resolves when they have. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const q of QUEUES) {
      const lanes = this.waiting.get(q);
      if (!lanes) continue;
      this.outstanding -= lanes.live.splice(0).length + lanes.bulk.splice(0).length;
    }
    await this.drain();
  }

  private pump(queue: QueueName): void {
    const lanes = this.waiting.get(queue);
    if (!lanes) return;
    while (!this.stopped && (this.running.get(queue) ?? 0) < this.opts.concurrency) {
      const job = lanes.live.shift() ?? lanes.bulk.shift();
      if (!job) break;
      this.running.set(queue, (this.running.get(queue) ?? 0) + 1);
      void this.run(job).finally(() => {
        this.running.set(queue, (this.running.get(queue) ?? 0) - 1);
        this.pump(queue);
      });
    }
  }

  private async run(job: LocalJob): Promise<void> {
    const attempts = ATTEMPTS[job.queue];
    const processor = PROCESSORS[job.queue] as (p: JobMap[QueueName], ...rest: unknown[]) => Promise<unknown>;
    try {
      await processor(job.payload, this.ctx, {
        jobId: job.id,
        number: job.attemptsMade + 1,
        isLast: job.attemptsMade + 1 >= attempts,
      });
      this.outage.reset();
      this.settle(job);
    } catch (thrown) {
      const err = toError(thrown);
      const wait = this.stopped ? null : putBackFor(err, this.outage);
      if (wait !== null) {
        // The database is away, or the job's host is busy: it waits without being charged an attempt.
        logPutBack(this.ctx.log, wait, { jobId: job.id });
        return this.retryLater(job, wait.delayMs);
      }
      job.attemptsMade++;
      if (err instanceof PermanentError || job.attemptsMade >= attempts || this.stopped) {
        this.failures.push({ queue: job.queue, jobId: job.id, error: describeError(err) });
        if (this.opts.longRunning && this.failures.length > KEEP_FAILURES) this.failures.shift();
        this.settle(job);
        return;
      }
      const delay = retryDelayMs(job.attemptsMade, this.opts.retryBaseMs, err);
      this.ctx.log.debug({ jobId: job.id, delay, err: describeError(err) }, 'retrying job');
      this.retryLater(job, delay);
    }
  }

  private push(job: LocalJob): void {
    const lanes = this.waiting.get(job.queue);
    const bulk = 'bulk' in job.payload && job.payload.bulk === true;
    (bulk ? lanes?.bulk : lanes?.live)?.push(job);
  }

  private retryLater(job: LocalJob, delay: number): void {
    setTimeout(() => {
      if (this.stopped) return this.settle(job);
      this.push(job);
      this.pump(job.queue);
    }, delay);
  }

  private settle(job: LocalJob): void {
    if (this.opts.longRunning) this.seen.delete(job.id);
    this.outstanding--;
    this.opts.onProgress?.(this.outstanding, this.added);
    if (this.outstanding === 0) for (const resolve of this.idle.splice(0)) resolve();
  }
}
