import { TransientError } from '@frameline/core';

/**
 * A retry the server asks us to delay longer than this is not waited for within the crawl: the job gives up and
 * the source's next fetch is scheduled after the Retry-After instead.
 */
export const MAX_RETRY_DELAY_MS = 60_000;

/** Exponential backoff with full jitter, or the server's Retry-After when it gave one. */
export function retryDelayMs(attemptsMade: number, baseMs: number, err?: Error): number {
  if (err instanceof TransientError && err.retryAfterMs !== null) return err.retryAfterMs;
  const ceiling = Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}
