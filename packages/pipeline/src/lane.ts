import type { Enqueue, JobFailure } from './context.js';
import { LocalRunner } from './local-runner.js';
import { connectTransport, type Runtime, stageBase } from './runtime.js';

/**
 * Where a command's jobs go and how it waits for them: the BullMQ queues for `frameline worker` processes
 * when REDIS_URL is set (waiting on the run's ledger), else the stages in this process.
 */
export interface WorkLane {
  mode: 'in-process' | 'bullmq';
  enqueue: Enqueue;
  /** Wait until every job added under `runId` (and every job those added) has ended; the ones that failed. */
  wait(): Promise<JobFailure[]>;
  /** Says who is listening, when no worker is (BullMQ only). */
  idleStages(): Promise<string[]>;
  close(): Promise<void>;
}

export interface LaneOptions {
  signal?: AbortSignal | undefined;
  /** Hears how many of the run's jobs are left, of how many, as they end (BullMQ: while waiting). */
  onProgress?: (left: number, total: number) => void;
}

export async function openLane(rt: Runtime, runId: string, o: LaneOptions = {}): Promise<WorkLane> {
  const { signal, onProgress } = o;
  if (rt.config.redisUrl) {
    const transport = await connectTransport(rt);
    return {
      mode: 'bullmq',
      enqueue: transport.enqueue,
      wait: () =>
        transport.waitForCrawl(runId, {
          ...(signal ? { signal } : {}),
          ...(onProgress ? { onProgress } : {}),
        }),
      idleStages: async () =>
        Object.entries(await transport.workerCounts())
          .filter(([, n]) => n === 0)
          .map(([q]) => q),
      close: () => transport.close(),
    };
  }
  const runner = new LocalRunner(stageBase(rt), {
    concurrency: rt.config.concurrency,
    retryBaseMs: rt.config.retryBaseMs,
    ...(onProgress ? { onProgress } : {}),
  });
  const onAbort = () => void runner.stop();
  signal?.addEventListener('abort', onAbort, { once: true });
  return {
    mode: 'in-process',
    enqueue: runner.enqueue,
    wait: async () => {
      await runner.drain();
      return runner.failures;
    },
    idleStages: async () => [],
    close: async () => signal?.removeEventListener('abort', onAbort),
  };
}
