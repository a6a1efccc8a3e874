/**
 * Errors say what to do. A PermanentError must not be retried (404/410, unparsable feed, invalid rule file);
 * the pipeline turns it into BullMQ's UnrecoverableError. Anything else is retried with backoff.
 */
export class PermanentError extends Error {
  override readonly name = 'PermanentError';
  /** A short machine-readable reason, stored on the source (e.g. `http_404`, `unparsable_feed`). */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** A failure worth retrying later (timeouts, 5xx, connection resets, 429). */
export class TransientError extends Error {
  override readonly name = 'TransientError';
  readonly code: string;
  /** When the server said to come back (Retry-After), in milliseconds from now. */
  readonly retryAfterMs: number | null;
  constructor(code: string, message: string, options?: { cause?: unknown; retryAfterMs?: number | null }) {
    super(message, options);
    this.code = code;
    this.retryAfterMs = options?.retryAfterMs ?? null;
  }
}

/** Normalise whatever was thrown into an Error, keeping the original as `cause`. */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  return new Error(typeof thrown === 'string' ? thrown : JSON.stringify(thrown), { cause: thrown });
}

/** The code to store on a source for an error: the error's own code, or `error`. */
export function errorCode(err: Error): string {
  return err instanceof PermanentError || err instanceof TransientError ? err.code : 'error';
}

/** One line naming the cause chain, e.g. `fetch failed: connect ECONNREFUSED 127.0.0.1:9`. */
export function describeError(thrown: unknown): string {
  const parts: string[] = [];
  let current: unknown = thrown;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    const err = toError(current);
    if (!parts.includes(err.message)) parts.push(err.message);
    current = err.cause;
  }
  return parts.join(': ');
}

/** Postgres SQLSTATE codes we act on. */
export const SQLSTATE = {
  UNIQUE_VIOLATION: '23505',
  UNDEFINED_TABLE: '42P01',
} as const;
