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

/**
 * A host had no free politeness slot within the time a fetch may wait for one in process: nothing failed. The
 * job goes back to its queue, uncharged, and comes back in `retryInMs`, leaving its place in the worker to
 * work for other hosts meanwhile.
 */
export class HostBusyError extends Error {
  override readonly name = 'HostBusyError';
  readonly code = 'host_busy';
  constructor(
    readonly host: string,
    readonly retryInMs: number,
    options?: { cause?: unknown },
  ) {
    super(`no politeness slot for ${host} yet; trying again in ${Math.ceil(retryInMs / 1000)} s`, options);
  }
}

/** Postgres SQLSTATE codes we act on. */
export const SQLSTATE = {
  UNIQUE_VIOLATION: '23505',
  UNDEFINED_TABLE: '42P01',
} as const;

/**
 * A service frameline runs on (the database, or Redis behind the queues and the host limiter) is unreachable:
 * nothing is wrong with the work itself, so the job waits for the service and is not charged an attempt, and
 * the source it was for is not marked failed.
 */
export class ServiceUnavailableError extends Error {
  override readonly name = 'ServiceUnavailableError';
  readonly code = 'service_unavailable';
  constructor(
    readonly service: 'database' | 'redis',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** postgres.js's own codes for a connection that could not be made or was lost. */
const PG_CONNECTION_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/**
 * SQLSTATEs of a server that is going away or not yet there: class 08 (connection exception), 57P01
 * admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up or shutting down).
 */
const PG_UNAVAILABLE_STATE = /^(08...|57P0[123])$/;
/** ioredis's messages for a command that could not reach Redis. */
const REDIS_UNAVAILABLE =
  /Connection is closed|Stream isn't writeable|max retries per request|ECONNREFUSED|Connection is in subscriber mode/;

/**
 * Which service, if any, an error says is unreachable: a ServiceUnavailableError anywhere in the cause chain,
 * a postgres.js connection error or a SQLSTATE of a server shutting down, or an ioredis error (by name, or
 * by message with ioredis on its stack). Null for anything else, including an ECONNREFUSED from a website,
 * which carries none of these marks.
 */
export function unavailableService(thrown: unknown): 'database' | 'redis' | null {
  let current: unknown = thrown;
  for (let depth = 0; current instanceof Error && depth < 6; depth++) {
    if (current instanceof ServiceUnavailableError) return current.service;
    const e = current as Error & { code?: unknown; query?: unknown; severity?: unknown };
    if (e.name === 'PostgresError' && typeof e.code === 'string' && PG_UNAVAILABLE_STATE.test(e.code)) {
      return 'database';
    }
    // postgres.js connection errors carry the failed query, or a `CONNECTION_*` code of their own.
    if (typeof e.code === 'string' && PG_CONNECTION_CODES.has(e.code) && isPostgresJsError(e))
      return 'database';
    if (e.name === 'MaxRetriesPerRequestError' || (isIoredisError(e) && REDIS_UNAVAILABLE.test(e.message))) {
      return 'redis';
    }
    current = e.cause;
  }
  return null;
}

function isPostgresJsError(e: Error & { code?: unknown }): boolean {
  // postgres.js's own codes start with CONNECT; the socket errors it passes on (ECONNREFUSED...) carry the
  // query that failed on `query`.
  return String(e.code).startsWith('CONNECT') || 'query' in e;
}

function isIoredisError(e: Error): boolean {
  return /ioredis/.test(e.stack ?? '') || e.name === 'ReplyError' || e.name === 'AbortError';
}
