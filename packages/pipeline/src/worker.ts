import type { BullTransport } from './bullmq.js';
import { QUEUES, type QueueName } from './queues.js';
import { connectTransport, type Runtime, stageBase } from './runtime.js';

export interface WorkerOptions {
  stages?: readonly QueueName[];
  concurrency?: number;
  /** Exit once the queues of these stages are empty (drain mode). */
  once?: boolean;
  signal?: AbortSignal;
}

/** BullMQ workers in this process for `stages`, with the runtime's stages, lock time and retry backoff. */
export function startStageWorkers(
  transport: BullTransport,
  rt: Runtime,
  opts: { stages: readonly QueueName[]; concurrency: number },
): void {
  transport.startWorkers(stageBase(rt), {
    ...opts,
    lockMs: rt.config.jobLockMs,
    retryBaseMs: rt.config.retryBaseMs,
  });
}

/**
 * Run BullMQ workers for the given stages until the signal fires (or, with `once`, until their queues are
 * empty), then shut down gracefully: active jobs finish, then queues, Redis and the database close.
 */
export async function runWorker(rt: Runtime, opts: WorkerOptions = {}): Promise<void> {
  if (!rt.config.redisUrl) {
    throw new Error(
      '`frameline worker` needs REDIS_URL (and DATABASE_URL): without them `crawl` runs the stages itself',
    );
  }
  const stages = opts.stages ?? QUEUES;
  const transport = await connectTransport(rt);
  startStageWorkers(transport, rt, { stages, concurrency: opts.concurrency ?? rt.config.concurrency });
  rt.log.info({ stages, pid: process.pid }, 'worker started');
  try {
    await new Promise<void>((resolve) => {
      if (opts.signal?.aborted) return resolve();
      opts.signal?.addEventListener('abort', () => resolve(), { once: true });
      if (opts.once) {
        let emptyPolls = 0;
        const timer = setInterval(async () => {
          const pending = await transport.pendingCount(stages).catch(() => 1);
          emptyPolls = pending === 0 ? emptyPolls + 1 : 0;
          if (emptyPolls >= 2) {
            clearInterval(timer);
            resolve();
          }
        }, 500);
        opts.signal?.addEventListener('abort', () => clearInterval(timer), { once: true });
      }
    });
  } finally {
    await transport.close();
    rt.log.info({ pid: process.pid }, 'worker stopped');
  }
}
