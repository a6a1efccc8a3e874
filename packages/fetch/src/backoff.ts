/** Longest wait honoured from a Retry-After header (a day); longer values are clamped to it. */
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * Milliseconds to wait before retry number `attempt` (1 for the first retry): a uniformly random value in
 * [0, min(maxMs, baseMs * 2^(attempt-1))] ("full jitter"), so many workers failing together spread out.
 */
export function backoffDelay(attempt: number, baseMs = 1_000, maxMs = 60 * 60 * 1000): number {
  const exponent = Math.min(Math.max(0, Math.floor(attempt) - 1), 52);
  const ceiling = Math.min(maxMs, baseMs * 2 ** exponent);
  return Math.floor(Math.random() * (ceiling + 1));
}

/**
 * Parse an HTTP Retry-After value (delay in seconds or an HTTP date) into milliseconds from `now`,
 * clamped to [0, MAX_RETRY_AFTER_MS]. Returns null when the header is missing or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, MAX_RETRY_AFTER_MS);
  // An HTTP date always names a weekday or month; bare numbers like "-5" would parse as years.
  const at = /[a-z]{3}/i.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(at)) return null;
  return Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS);
}

/**
 * How long a response stays fresh by its own headers, in milliseconds: Cache-Control `s-maxage` or `max-age`,
 * else Expires against the response's Date (or `now`); null when it says nothing or forbids caching
 * (`no-store`, `no-cache`). Clamped to MAX_RETRY_AFTER_MS, like Retry-After: no server holds a poll off longer.
 */
export function freshnessMs(
  headers: { cacheControl: string | null; expires: string | null; date: string | null },
  now = Date.now(),
): number | null {
  const cc = headers.cacheControl?.toLowerCase() ?? '';
  if (/(?:^|,)\s*no-(?:store|cache)\b/.test(cc)) return null;
  const age = /(?:^|,)\s*s-maxage\s*=\s*"?(\d+)/.exec(cc) ?? /(?:^|,)\s*max-age\s*=\s*"?(\d+)/.exec(cc);
  if (age?.[1]) return Math.min(Number(age[1]) * 1000, MAX_RETRY_AFTER_MS);
  if (headers.expires) {
    // An HTTP date names a weekday or month; "0" and "-1" (already stale) would parse as years.
    const at = /[a-z]{3}/i.test(headers.expires) ? Date.parse(headers.expires) : Number.NaN;
    if (Number.isNaN(at)) return null;
    const base = headers.date ? Date.parse(headers.date) : Number.NaN;
    return Math.min(Math.max(0, at - (Number.isNaN(base) ? now : base)), MAX_RETRY_AFTER_MS);
  }
  return null;
}
