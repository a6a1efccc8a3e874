import { setTimeout as delay } from 'node:timers/promises';
import { describeError } from '@frameline/core';
import { claimDueSources, nextDueAt } from '@frameline/store';
import type { Enqueue } from './context.js';
import type { Runtime } from './runtime.js';

/** Sources claimed per round; a full round is followed by another at once. */
const CLAIM_BATCH = 200;
/**
 * How long a claimed poll holds its source: a poll whose job is lost (its process killed before the job was
 * queued, or an in-process runner stopped) is made again after this. Longer than a fetch with its retries.
 */
export const POLL_LEASE_S = 600;
/** The scheduler looks again at least this often: sources may be added or resumed meanwhile. */
const MAX_SLEEP_MS = 30_000;

export interface SchedulerOptions {
  enqueue: Enqueue;
  signal: AbortSignal;
  /** Called after each round with how many polls it queued. */
  onRound?: (queued: number) => void;
}

/**
 * Poll every source as it falls due, until the signal fires: claim the due sources (so concurrent schedulers
 * never poll one twice), queue a fetch job for each named by its due time, then sleep until the next source
 * falls due. Each fetch schedules its source's next poll (see `markSourceOk`), so the interval adapts as the
 * source posts. A database or queue outage is waited out, round by round.
 */
export async function runScheduler(rt: Runtime, opts: SchedulerOptions): Promise<void> {
  const sql = rt.store.sql;
  while (!opts.signal.aborted) {
    let queued = 0;
    try {
      const claimed = await claimDueSources(sql, { limit: CLAIM_BATCH, leaseS: POLL_LEASE_S });
      for (const c of claimed) {
        await opts.enqueue('fetch', { sourceId: c.id, slot: String(c.dueAt.getTime()), crawlId: null });
        queued++;
      }
      opts.onRound?.(queued);
      if (claimed.length === CLAIM_BATCH) continue;
      const next = await nextDueAt(sql);
      const wait = next === null ? MAX_SLEEP_MS : next.getTime() - Date.now();
      await sleep(Math.min(MAX_SLEEP_MS, Math.max(250, wait)), opts.signal);
    } catch (err) {
      rt.log.warn({ err: describeError(err), queued }, 'scheduler round failed; trying again shortly');
      await sleep(5_000, opts.signal);
    }
  }
}

/** Sleep `ms`, or less when the signal fires (which ends the scheduler's loop). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal }).catch(() => undefined);
}
