import { setTimeout as sleep } from 'node:timers/promises';
import { describeError, type Logger, PermanentError } from '@frameline/core';
import { DelayedError, type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Enqueue, JobFailure, StageContext } from './context.js';
import { ATTEMPTS, BULK_PRIORITY, type JobMap, jobIdFor, QUEUES, type QueueName } from './queues.js';
import { logPutBack, OutageBackoff, putBackFor, retryDelayMs } from './retry.js';
import { PROCESSORS } from './stages/index.js';

/** Finished jobs kept for inspection: bounded by age and count so Redis does not grow without end. */
const KEEP_COMPLETED = { age: 24 * 3600, count: 10_000 };
const KEEP_FAILED = { age: 7 * 24 * 3600, count: 10_000 };
/** A crawl's job ledger outlives any sane crawl, then Redis drops it by itself. */
const CRAWL_LEDGER_TTL_S = 7 * 24 * 3600;

export interface BullOptions {
  redisUrl: string;
  prefix: string;
  log: Logger;
}

/** A producer-side Redis connection: commands fail fast instead of queueing while Redis is away. */
function producerConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
}

/** A worker-side connection: BullMQ requires `maxRetriesPerRequest: null` so blocking commands wait out outages. */
function workerConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null });
}

/**
 * The BullMQ transport: one queue per stage, deterministic job ids, and a per-crawl ledger in Redis (a set of
 * `queue/jobId`) that lets `crawl` wait for exactly the work it caused, on whichever machines it runs.
 */
export class BullTransport {
  private readonly redis: Redis;
  private readonly queues: { [Q in QueueName]: Queue };
  private readonly workers: Worker[] = [];
  private workerRedis: Redis | null = null;

  private constructor(
    private readonly opts: BullOptions,
    redis: Redis,
  ) {
    this.redis = redis;
    const make = (name: QueueName) => {
      const queue = new Queue(name, { connection: redis, prefix: opts.prefix });
      queue.on('error', (err) => opts.log.error({ queue: name, err: describeError(err) }, 'queue error'));
      return queue;
    };
    this.queues = {
      fetch: make('fetch'),
      parse: make('parse'),
      article: make('article'),
      extract: make('extract'),
    };
  }

  static async connect(opts: BullOptions): Promise<BullTransport> {
    const redis = producerConnection(opts.redisUrl);
    redis.on('error', (err) => opts.log.debug({ err: describeError(err) }, 'redis connection error'));
    try {
      await redis.connect();
      await redis.ping();
    } catch (err) {
      redis.disconnect();
      throw new Error(`cannot reach Redis at ${redactUrl(opts.redisUrl)}: ${describeError(err)}`, {
        cause: err,
      });
    }
    return new BullTransport(opts, redis);
  }

  /**
   * A crawl's keys: its ledger (`jobs`, a set of `queue/jobId`), the jobs workers saw end (`done`, a list its
   * waiter blocks on) and the reasons of those that failed (`failed`, a hash).
   */
  private crawlKey(crawlId: string, part: 'jobs' | 'done' | 'failed'): string {
    return `${this.opts.prefix}:crawl:${crawlId}:${part}`;
  }

  /**
   * Add a job. The ledger entry is written first, so a worker that finishes the job at once finds it there to
   * remove; an entry whose job never got added (a crash in between) is settled by the waiter's reconciliation.
   */
  readonly enqueue: Enqueue = async (queue, payload) => {
    const jobId = jobIdFor(queue, payload);
    if (payload.crawlId) {
      const key = this.crawlKey(payload.crawlId, 'jobs');
      await this.redis.multi().sadd(key, `${queue}/${jobId}`).expire(key, CRAWL_LEDGER_TTL_S).exec();
    }
    await this.queues[queue].add(queue, payload, {
      jobId,
      // BullMQ runs jobs without a priority before any with one: live work has none.
      ...('bulk' in payload && payload.bulk ? { priority: BULK_PRIORITY } : {}),
      attempts: ATTEMPTS[queue],
      backoff: { type: 'frameline' },
      removeOnComplete: KEEP_COMPLETED,
      removeOnFail: KEEP_FAILED,
    });
  };

  /**
   * A worker saw a job of a crawl end for good: take it off the crawl's ledger, note a failure's reason, and
   * wake the crawl's waiter (a list it blocks on).
   */
  private async settleInLedger(queue: QueueName, job: Job, failedReason: string | null): Promise<void> {
    const crawlId = (job.data as { crawlId?: string | null }).crawlId;
    if (!crawlId || !job.id) return;
    const member = `${queue}/${job.id}`;
    const tx = this.redis.multi().srem(this.crawlKey(crawlId, 'jobs'), member);
    if (failedReason !== null) tx.hset(this.crawlKey(crawlId, 'failed'), member, failedReason);
    tx.rpush(this.crawlKey(crawlId, 'done'), member);
    for (const key of [this.crawlKey(crawlId, 'failed'), this.crawlKey(crawlId, 'done')])
      tx.expire(key, CRAWL_LEDGER_TTL_S);
    await tx.exec();
  }

  /**
   * Wait until every job in the crawl's ledger has completed or failed for good, and return the ones that
   * failed. Workers take finished jobs off the ledger and push them on a list this waits on (BLPOP), so the
   * wait costs a few commands per finished job rather than a poll of every job. When nothing has finished for
   * `reconcileMs`, the jobs left are asked for their state once, which settles jobs that ended without a
   * worker seeing it (failed by the stalled-job check, removed by retention). A job adds its children before
   * it completes, so an empty ledger means the whole crawl is done. Redis going away is waited out.
   */
  async waitForCrawl(
    crawlId: string,
    opts: {
      signal?: AbortSignal;
      reconcileMs?: number;
      onProgress?: (left: number, total: number) => void;
    } = {},
  ): Promise<JobFailure[]> {
    const key = this.crawlKey(crawlId, 'jobs');
    const waiter = this.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
    waiter.on('error', (err) => this.opts.log.debug({ err: describeError(err) }, 'redis connection error'));
    const failures: JobFailure[] = [];
    const reconcileMs = opts.reconcileMs ?? 5_000;
    let total = 0;
    let quietSince = Date.now();
    try {
      for (;;) {
        if (opts.signal?.aborted) throw new Error('stopped while waiting for the crawl to finish');
        try {
          const left = await waiter.scard(key);
          total = Math.max(total, left);
          opts.onProgress?.(left, total);
          if (left === 0) break;
          // Wake on the next finished job, or after a second to look at the signal and the quiet time.
          const popped = await waiter.blpop(this.crawlKey(crawlId, 'done'), 1);
          if (popped !== null) {
            await waiter.ltrim(this.crawlKey(crawlId, 'done'), 1, 0);
            quietSince = Date.now();
          } else if (Date.now() - quietSince >= reconcileMs) {
            await this.reconcile(key, failures);
            quietSince = Date.now();
          }
        } catch (err) {
          if (opts.signal?.aborted) throw err;
          this.opts.log.warn(
            { err: describeError(err) },
            'waiting for the crawl: Redis unavailable, retrying',
          );
          await sleep(1000);
        }
      }
      const failed = await waiter.hgetall(this.crawlKey(crawlId, 'failed'));
      const known = new Set(failures.map((f) => `${f.queue}/${f.jobId}`));
      for (const [member, error] of Object.entries(failed)) {
        if (known.has(member)) continue;
        const [queue, jobId] = member.split('/') as [QueueName, string];
        failures.push({ queue, jobId, error });
      }
      await waiter.del(key, this.crawlKey(crawlId, 'done'), this.crawlKey(crawlId, 'failed'));
      return failures;
    } finally {
      waiter.disconnect();
    }
  }

  /** Settle the ledger's jobs that are over without a worker having said so. */
  private async reconcile(key: string, failures: JobFailure[]): Promise<void> {
    const members = await this.redis.smembers(key);
    const done: string[] = [];
    await Promise.all(
      members.map(async (member) => {
        const [queue, jobId] = member.split('/') as [QueueName, string];
        const state = await this.queues[queue].getJobState(jobId);
        if (state === 'failed') {
          const job = await this.queues[queue].getJob(jobId);
          failures.push({ queue, jobId, error: job?.failedReason || 'failed (no reason kept)' });
        }
        if (state === 'completed' || state === 'failed' || state === 'unknown') done.push(member);
      }),
    );
    if (done.length > 0) await this.redis.srem(key, ...done);
  }

  /** How many workers are connected to each queue (BullMQ names its worker connections). */
  async workerCounts(): Promise<Record<QueueName, number>> {
    const entries = await Promise.all(
      QUEUES.map(async (q) => [q, (await this.queues[q].getWorkers()).length]),
    );
    return Object.fromEntries(entries) as Record<QueueName, number>;
  }

  /** Jobs not yet finished in the given queues. */
  async pendingCount(stages: readonly QueueName[] = QUEUES): Promise<number> {
    let n = 0;
    for (const q of stages) {
      const counts = await this.queues[q].getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      n += Object.values(counts).reduce((a, b) => a + b, 0);
    }
    return n;
  }

  /** Start workers for the given stages in this process. */
  startWorkers(
    base: Omit<StageContext, 'enqueue'>,
    opts: { stages: readonly QueueName[]; concurrency: number; lockMs: number; retryBaseMs: number },
  ): void {
    this.workerRedis ??= workerConnection(this.opts.redisUrl);
    const ctx: StageContext = { ...base, enqueue: this.enqueue };
    const outage = new OutageBackoff();
    for (const stage of opts.stages) {
      const processor = PROCESSORS[stage] as (p: JobMap[QueueName], ...rest: unknown[]) => Promise<unknown>;
      const worker = new Worker(
        stage,
        async (job: Job, token?: string) => {
          const attempt = {
            jobId: job.id ?? '',
            number: job.attemptsMade + 1,
            isLast: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
          };
          try {
            const result = await processor(job.data as JobMap[QueueName], ctx, attempt);
            outage.reset();
            return result;
          } catch (err) {
            // A PermanentError must not be retried: BullMQ's UnrecoverableError fails the job at once.
            if (err instanceof PermanentError) throw new UnrecoverableError(describeError(err));
            const wait = putBackFor(err, outage);
            if (wait === null || token === undefined) throw err;
            // The database or Redis is away, or the job's host is busy: the job waits in the queue without
            // being charged an attempt. Should Redis itself be away, the move fails and the job's lock lapses;
            // the stalled-job check re-runs it.
            logPutBack(this.opts.log, wait, { stage, jobId: job.id, err: describeError(err) });
            await job.moveToDelayed(Date.now() + wait.delayMs, token);
            throw new DelayedError();
          }
        },
        {
          connection: this.workerRedis,
          prefix: this.opts.prefix,
          concurrency: opts.concurrency,
          lockDuration: opts.lockMs,
          stalledInterval: Math.max(1000, Math.floor(opts.lockMs / 2)),
          maxStalledCount: 2,
          name: `frameline-${process.pid}`,
          settings: {
            backoffStrategy: (attemptsMade, _type, err) => retryDelayMs(attemptsMade, opts.retryBaseMs, err),
          },
        },
      );
      worker.on('error', (err) => this.opts.log.error({ stage, err: describeError(err) }, 'worker error'));
      const settle = (job: Job, reason: string | null) =>
        this.settleInLedger(stage, job, reason).catch((err) =>
          // The crawl's reconciliation finds the job's end by itself.
          this.opts.log.debug({ stage, jobId: job.id, err: describeError(err) }, 'ledger not updated'),
        );
      worker.on('completed', (job) => void settle(job, null));
      worker.on('failed', (job, err) => {
        this.opts.log.warn({ stage, jobId: job?.id, err: describeError(err) }, 'job failed');
        if (!job) return;
        const final = err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
        if (final) void settle(job, job.failedReason || describeError(err));
      });
      this.workers.push(worker);
    }
  }

  /** Graceful shutdown: workers finish their active jobs, then queues and connections close. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all(QUEUES.map((q) => this.queues[q].close()));
    await this.workerRedis?.quit().catch(() => undefined);
    await this.redis.quit().catch(() => undefined);
  }
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<invalid url>';
  }
}
