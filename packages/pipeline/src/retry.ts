import { setTimeout as sleep } from 'node:timers/promises';
import {
  describeError,
  HostBusyError,
  type Logger,
  TransientError,
  unavailableService,
} from '@frameline/core';

/**
 * A retry the server asks us to delay longer than this is not waited for within the crawl: the job gives up and
 * the source's next fetch is scheduled after the Retry-After instead.
 */
export const MAX_RETRY_DELAY_MS = 60_000;

/** Exponential backoff with full jitter, or the server's Retry-After when it gave one. */
export function retryDelayMs(attemptsMade: number, baseMs: number, err?: Error): number {
  if (err instanceof TransientError && err.retryAfterMs !== null) return err.retryAfterMs;
  return jittered(Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** Math.max(0, attemptsMade - 1)));
}

/** A delay between half of `ceiling` and all of it, at random, so retries of many jobs spread out. */
function jittered(ceiling: number): number {
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/** Longest wait before a job held back by an outage of the database or Redis is tried again. */
export const MAX_OUTAGE_DELAY_MS = 30_000;

/** An outage longer than this is no longer waited out: jobs fail as for any other error, and are reported. */
export const MAX_OUTAGE_MS = 10 * 60_000;

/**
 * How long a job waits when the database or Redis is unreachable: it is put back, not charged an attempt, and
 * tried again after about as long as the outage has lasted so far (at least 500 ms, at most
 * MAX_OUTAGE_DELAY_MS, jittered), so a few seconds' restart costs seconds and a long outage costs no spinning.
 * Once an outage has lasted `maxOutageMs`, `delayFor` says null: nothing waits forever.
 */
export class OutageBackoff {
  private since: number | null = null;

  constructor(private readonly maxOutageMs = MAX_OUTAGE_MS) {}

  /**
   * When `err` says the database or Redis is unreachable: which one, and how long to wait before trying
   * again. Null for any other error, and once the outage has lasted too long to wait.
   */
  delayFor(err: unknown): { service: 'database' | 'redis'; delayMs: number } | null {
    const service = unavailableService(err);
    if (service === null) return null;
    const now = Date.now();
    this.since ??= now;
    const lasted = now - this.since;
    if (lasted > this.maxOutageMs) return null;
    return { service, delayMs: jittered(Math.min(MAX_OUTAGE_DELAY_MS, Math.max(500, lasted))) };
  }

  /** A job got through: the service is back. */
  reset(): void {
    this.since = null;
  }
}

/**
 * Whether a job that threw `err` goes back to its queue without being charged an attempt, and for how long:
 * during an outage of the database or Redis (`outage` says how long), or while its host has no politeness slot
 * for it (about as long again as it waited, jittered, so that the jobs of a busy host spread out).
 */
export function putBackFor(
  err: unknown,
  outage: OutageBackoff,
): { reason: 'database' | 'redis' | 'host busy'; delayMs: number } | null {
  if (err instanceof HostBusyError) return { reason: 'host busy', delayMs: jittered(2 * err.retryInMs) };
  const wait = outage.delayFor(err);
  return wait && { reason: wait.service, delayMs: wait.delayMs };
}

/** Say that a job was put back: a warning for an outage, a debug line for a busy host (an ordinary wait). */
export function logPutBack(
  log: Logger,
  wait: NonNullable<ReturnType<typeof putBackFor>>,
  fields: Record<string, unknown>,
): void {
  const line = { ...fields, ...wait };
  if (wait.reason === 'host busy') log.debug(line, 'job put back');
  else log.warn(line, 'job put back');
}

/**
 * Run `fn`, waiting out an outage of the database or Redis (as jobs do, up to MAX_OUTAGE_MS) for a command's
 * own queries, such as `crawl` reading its summary after the work is done.
 */
export async function whenAvailable<T>(what: string, fn: () => Promise<T>, log: Logger): Promise<T> {
  const outage = new OutageBackoff();
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      const wait = outage.delayFor(err);
      if (wait === null) throw err;
      log.warn({ ...wait, err: describeError(err) }, `${what}: ${wait.service} unavailable, waiting`);
      await sleep(wait.delayMs);
    }
  }
}
