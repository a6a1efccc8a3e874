import type { IncomingMessage } from 'node:http';
import {
  HostBusyError,
  PermanentError,
  ServiceUnavailableError,
  TransientError,
  toError,
  unavailableService,
} from '@frameline/core';
import { bareHostname, resolveChecked } from './address.js';
import { freshnessMs, parseRetryAfter } from './backoff.js';
import { ACCEPT_ENCODING, readBody } from './body.js';
import { networkError, statusError } from './classify.js';
import type { HostLimiter } from './limiter.js';
import { type Agents, createAgents, destroyAgents, HeaderTimeout, sendRequest } from './request.js';
import type { RobotsPolicy } from './robots-policy.js';

/** How to fetch. Build `userAgent` with `userAgent(contactUrl)`. */
export interface FetchOptions {
  userAgent: string;
  /** Total time for the whole fetch, redirects and body included. */
  timeoutMs: number;
  /** Time allowed per request to connect and receive the response headers. */
  connectTimeoutMs: number;
  /** Cap on the decompressed body (default in config: 15 MiB); also stops gzip bombs early. */
  maxBodyBytes: number;
  /** Redirects followed before giving up (default 5). */
  maxRedirects?: number;
  /** Hosts or IPs exempt from the private-address guard (tests pass ['127.0.0.1']). */
  allowHosts?: readonly string[];
  /** Honour robots.txt when given (a `RobotsCache`). */
  robots?: RobotsPolicy | null;
  /** Per-host politeness when given. Waiting for a slot never counts against `timeoutMs`. */
  limiter?: HostLimiter | null;
  /**
   * How long to wait in process for a host's politeness slot. Past it, the fetch throws HostBusyError, so that
   * a job can wait in its queue instead of holding a worker's place. Unset: wait as long as it takes.
   */
  slotWaitMs?: number | null;
  signal?: AbortSignal;
  /** Accept header (default `*\/*`). */
  accept?: string;
}

/** HTTP validators for a conditional GET. */
export interface Validators {
  etag: string | null;
  lastModified: string | null;
}

/** What one fetch produced. */
export interface FetchResult {
  /** 200, 304, ... */
  status: number;
  /** Final URL after redirects. */
  url: string;
  /** The new URL when every redirect in the chain was permanent (301/308): update the source's URL. */
  permanentRedirect: string | null;
  contentType: string | null;
  /** Decompressed; empty for 304. */
  body: Uint8Array;
  /** Body bytes after decompression. */
  bytes: number;
  /** Validators from this response (store them only from a 200). */
  validators: Validators;
  notModified: boolean;
  durationMs: number;
  /** How long the server says this answer stays fresh (Cache-Control, Expires), or null. */
  freshForMs: number | null;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * GET `url` politely and safely: conditional on `previous` validators, redirects followed by hand (each hop
 * re-checked by the SSRF guard, robots.txt and the host limiter), body decompressed under a size cap.
 * Throws PermanentError (do not retry) or TransientError (retry later, maybe after `retryAfterMs`).
 */
export async function fetchUrl(
  url: string,
  previous: Validators | null,
  opts: FetchOptions,
): Promise<FetchResult> {
  const started = performance.now();
  const total = new AbortController();
  const clock = new TimeBudget(opts.timeoutMs, () => total.abort());
  const signal = opts.signal ? AbortSignal.any([opts.signal, total.signal]) : total.signal;
  const agents = createAgents();
  let current = url;
  let phase = 'connecting';
  const onHop = (u: string, p: string) => {
    current = u;
    phase = p;
  };
  try {
    return await follow(url, previous, opts, { signal, agents, started, clock, onHop });
  } catch (err) {
    if (err instanceof PermanentError || err instanceof TransientError || err instanceof HostBusyError)
      throw err;
    // Redis behind the host limiter (or robots cache) is away: that is no answer from the website.
    if (unavailableService(err)) throw err;
    if (opts.signal?.aborted) {
      throw new TransientError('aborted', `fetch of ${current} was cancelled (shutting down?)`, {
        cause: err,
      });
    }
    if (total.signal.aborted) {
      throw new TransientError(
        'timeout',
        `${current}: no complete response within ${opts.timeoutMs} ms (FRAMELINE_FETCH_TIMEOUT_MS), timed out while ${phase}`,
        { cause: err },
      );
    }
    if (err instanceof HeaderTimeout) {
      throw new TransientError(
        'timeout',
        `${current}: the server did not connect and answer within ${opts.connectTimeoutMs} ms (FRAMELINE_CONNECT_TIMEOUT_MS)`,
        { cause: err },
      );
    }
    throw networkError(current, err);
  } finally {
    clock.stop();
    destroyAgents(agents);
  }
}

/**
 * A fetch's time allowance, which runs only while the fetch is doing something: waiting for a politeness slot
 * is paused time. Calls `onSpent` once the allowance is used up.
 */
class TimeBudget {
  private spent = 0;
  private since: number | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ms: number,
    private readonly onSpent: () => void,
  ) {
    this.resume();
  }

  /** What is left of the allowance, in milliseconds. */
  left(): number {
    return this.ms - this.spent - (this.since === null ? 0 : performance.now() - this.since);
  }

  pause(): void {
    if (this.since === null) return;
    this.spent += performance.now() - this.since;
    this.since = null;
    this.stop();
  }

  resume(): void {
    if (this.since !== null) return;
    this.since = performance.now();
    this.timer = setTimeout(this.onSpent, Math.max(0, this.ms - this.spent));
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

interface FollowContext {
  signal: AbortSignal;
  agents: Agents;
  started: number;
  clock: TimeBudget;
  /** Reports the URL being fetched and what we are doing, for the timeout message. */
  onHop: (url: string, phase: string) => void;
}

async function follow(
  start: string,
  previous: Validators | null,
  opts: FetchOptions,
  ctx: FollowContext,
): Promise<FetchResult> {
  const maxRedirects = opts.maxRedirects ?? 5;
  const headers = requestHeaders(previous, opts);
  const seen = new Set<string>();
  let current = parseUrl(start);
  let onlyPermanent = true;
  for (let hop = 0; ; hop++) {
    seen.add(current.href);
    ctx.onHop(current.href, 'checking robots.txt');
    if (opts.robots && !(await opts.robots.isAllowed(current.href, { allowHosts: opts.allowHosts ?? [] }))) {
      throw new PermanentError(
        'robots_disallowed',
        `${current.href}: the site's robots.txt asks crawlers not to fetch this address`,
      );
    }
    ctx.onHop(current.href, 'resolving the host name');
    const addresses = await resolveChecked(current, opts.allowHosts ?? [], ctx.signal);
    const host = bareHostname(current);
    // A host that asked us (Retry-After) to wait longer than this fetch may take is not waited for: the
    // caller learns at once how long, instead of every fetch to that host timing out in the queue.
    const deferred = (await opts.limiter?.deferredFor?.(host)) ?? 0;
    if (deferred > ctx.clock.left()) {
      throw new TransientError(
        'host_deferred',
        `${current.href}: ${host} asked crawlers to wait; it is held back for another ${Math.ceil(deferred / 1000)} s`,
        { retryAfterMs: deferred },
      );
    }
    ctx.onHop(current.href, `waiting for a free politeness slot for ${host}`);
    const release = opts.limiter ? await acquireSlot(opts.limiter, host, opts, ctx) : null;
    try {
      ctx.onHop(current.href, 'waiting for the response headers');
      const res = await sendRequest(current, {
        headers,
        addresses,
        signal: ctx.signal,
        connectTimeoutMs: opts.connectTimeoutMs,
        agents: ctx.agents,
      });
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (REDIRECTS.has(status) && location) {
        res.destroy();
        const next = resolveLocation(location, current);
        if (status !== 301 && status !== 308) onlyPermanent = false;
        if (seen.has(next.href)) {
          throw new PermanentError(
            'redirect_loop',
            `${start}: redirect loop (${current.href} sends us back to ${next.href})`,
          );
        }
        if (hop + 1 > maxRedirects) {
          throw new PermanentError(
            'redirect_loop',
            `${start}: more than ${maxRedirects} redirects; gave up at ${next.href}`,
          );
        }
        current = next;
        continue;
      }
      const result = (body: Buffer, notModified: boolean): FetchResult => ({
        status,
        url: current.href,
        permanentRedirect: hop > 0 && onlyPermanent ? current.href : null,
        contentType: header(res, 'content-type'),
        body,
        bytes: body.length,
        validators: { etag: header(res, 'etag'), lastModified: header(res, 'last-modified') },
        notModified,
        durationMs: Math.round(performance.now() - ctx.started),
        freshForMs: freshnessMs({
          cacheControl: header(res, 'cache-control'),
          expires: header(res, 'expires'),
          date: header(res, 'date'),
        }),
      });
      if (status === 304) {
        res.destroy();
        return result(Buffer.alloc(0), true);
      }
      if (status >= 200 && status <= 299) {
        ctx.onHop(current.href, 'reading the body (the server sends it too slowly)');
        return result(await readBody(res, current.href, opts.maxBodyBytes), false);
      }
      res.destroy();
      const retryAfter = header(res, 'retry-after') ?? undefined;
      const retryMs = parseRetryAfter(retryAfter);
      if ((status === 429 || status === 503) && retryMs !== null && opts.limiter?.deferHost) {
        await opts.limiter.deferHost(host, retryMs);
      }
      throw statusError(current.href, status, retryAfter);
    } finally {
      await release?.();
    }
  }
}

/**
 * A politeness slot for `host`, on paused time. With `slotWaitMs`, a slot that is not free by then is left to
 * the job's queue: HostBusyError says to come back after about as long again.
 */
async function acquireSlot(limiter: HostLimiter, host: string, opts: FetchOptions, ctx: FollowContext) {
  const patience = opts.slotWaitMs ?? null;
  const gaveUp = patience === null ? null : AbortSignal.timeout(patience);
  const signal = gaveUp ? AbortSignal.any([ctx.signal, gaveUp]) : ctx.signal;
  ctx.clock.pause();
  try {
    return await limiter.acquire(host, signal);
  } catch (err) {
    if (ctx.signal.aborted) throw err; // reported as a timeout or cancellation by fetchUrl
    if (gaveUp?.aborted && patience !== null) throw new HostBusyError(host, patience, { cause: err });
    const message = `could not get a politeness slot for ${host}: ${toError(err).message}`;
    // The limiter's store (Redis) is away: not the website's failure.
    if (unavailableService(err)) throw new ServiceUnavailableError('redis', message, { cause: err });
    throw new TransientError('limiter', message, { cause: err });
  } finally {
    ctx.clock.resume();
  }
}

function requestHeaders(previous: Validators | null, opts: FetchOptions): Record<string, string> {
  const headers: Record<string, string> = {
    'user-agent': opts.userAgent,
    accept: opts.accept ?? '*/*',
    'accept-encoding': ACCEPT_ENCODING,
  };
  if (previous?.etag) headers['if-none-match'] = previous.etag;
  if (previous?.lastModified) headers['if-modified-since'] = previous.lastModified;
  return headers;
}

function parseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (err) {
    throw new PermanentError('invalid_url', `"${raw}" is not a valid URL`, { cause: err });
  }
  checkScheme(url);
  return url;
}

function resolveLocation(location: string, base: URL): URL {
  let next: URL;
  try {
    next = new URL(location, base);
  } catch (err) {
    throw new PermanentError(
      'invalid_redirect',
      `${base.href}: redirects to an invalid address "${location}"`,
      {
        cause: err,
      },
    );
  }
  checkScheme(next);
  next.hash = '';
  return next;
}

function checkScheme(url: URL): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PermanentError(
      'unsupported_scheme',
      `${url.href}: only http and https addresses can be fetched`,
    );
  }
}

function header(res: IncomingMessage, name: string): string | null {
  const value = res.headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? (value[0] ?? null) : value;
}
