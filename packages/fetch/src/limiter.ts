/**
 * Per-host politeness: at most `maxConcurrent` requests running for a host, and at least `minDelayMs`
 * between the starts of two requests to it.
 */
export interface HostLimiter {
  /**
   * Wait for a slot for `host`; resolves with the function that gives the slot back (call it exactly once,
   * later calls do nothing). Rejects if `signal` aborts or the limiter is closed while waiting.
   */
  acquire(host: string, signal?: AbortSignal): Promise<() => Promise<void>>;
  /** Push the host's next allowed start at least `ms` into the future (a 429/503 Retry-After). */
  deferHost?(host: string, ms: number): Promise<void>;
  /** How long `host` is still held back by a deferHost (0 when it is not): lets a caller give up at once. */
  deferredFor?(host: string): Promise<number>;
  /** Stop: pending acquires reject; slots already held stay valid until released. */
  close(): Promise<void>;
}

/** Settings shared by both limiters. */
export interface HostLimiterOptions {
  maxConcurrent: number;
  minDelayMs: number;
}

/** Largest delay accepted by deferHost (setTimeout overflows past 2^31-1 ms). */
export const MAX_DEFER_MS = 24 * 60 * 60 * 1000;

export function checkLimiterOptions(opts: HostLimiterOptions): void {
  if (!Number.isInteger(opts.maxConcurrent) || opts.maxConcurrent < 1) {
    throw new RangeError(`maxConcurrent must be a positive integer, got ${opts.maxConcurrent}`);
  }
  if (!(opts.minDelayMs >= 0)) throw new RangeError(`minDelayMs must be >= 0, got ${opts.minDelayMs}`);
}

export function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted while waiting for a host slot');
}
