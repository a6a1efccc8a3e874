import { PermanentError, TransientError } from '@frameline/core';
import robotsParserModule from 'robots-parser';
import { fetchUrl } from './fetch-url.js';
import type { HostLimiter } from './limiter.js';
import type { RobotsPolicy } from './robots-policy.js';

/** Settings for RobotsCache; the fetch settings mirror FetchOptions. */
export interface RobotsCacheOptions {
  userAgent: string;
  timeoutMs: number;
  connectTimeoutMs: number;
  /** How long a fetched robots.txt is trusted (default 24 h, as RFC 9309 suggests). */
  ttlMs?: number;
  /** How soon to try again after a 5xx or unreachable robots.txt (default 10 min). */
  retryMs?: number;
  /** Hosts whose robots.txt may be fetched despite private addresses; a check may name more (isAllowed). */
  allowHosts?: readonly string[];
  /** Also applied to robots.txt requests, so they count against the host's politeness. */
  limiter?: HostLimiter | null;
  /** Origins kept at most (oldest dropped first; default 10,000). */
  maxEntries?: number;
}

// robots-parser's typings say `export default` but the module is `module.exports = fn`, which is what a
// default import yields at run time under Node ESM.
const robotsParser = robotsParserModule as unknown as typeof robotsParserModule.default;

/** RFC 9309 §2.5: crawlers must parse at least the first 500 KiB; we read that much and ignore the rest. */
const ROBOTS_PARSE_BYTES = 500 * 1024;
/** Larger robots.txt files are still read, up to this, then cut to ROBOTS_PARSE_BYTES. */
const ROBOTS_FETCH_BYTES = 2 * 1024 * 1024;

interface Entry {
  robot: ReturnType<typeof robotsParser> | null;
  expiresAt: number;
}

/** Per-check settings: the allowance of the fetch being checked. */
export interface RobotsCheckOptions {
  allowHosts?: readonly string[];
}

/**
 * robots.txt per origin (scheme, host and port), fetched once and cached with a TTL. Concurrent checks for
 * the same origin share one fetch.
 *
 * - 2xx: the rules apply (redirects are followed, as RFC 9309 allows).
 * - 4xx (including 404): there are no rules; everything is allowed (RFC 9309 §2.3.1.3).
 * - 5xx, timeouts, unreachable: RFC 9309 §2.3.1.4 says to assume a complete disallow. We choose to ALLOW
 *   for now and try robots.txt again after `retryMs`: a feed reader fetches one URL per poll, a server
 *   that cannot serve robots.txt usually cannot serve the feed either, and the feed fetch then fails and
 *   backs off on its own; refusing would instead make every source on a flaky host fail as "disallowed".
 * - A private address the guard refuses: allowed (the fetch itself is refused by the same guard). A check
 *   may bring its own `allowHosts` (a source allowed to reach a private host), which then also applies to
 *   that host's robots.txt.
 */
export class RobotsCache implements RobotsPolicy {
  readonly #opts: RobotsCacheOptions;
  readonly #entries = new Map<string, Entry>();
  readonly #pending = new Map<string, Promise<Entry>>();
  readonly #product: string;
  readonly #allowHosts: ReadonlySet<string>;

  constructor(opts: RobotsCacheOptions) {
    this.#opts = opts;
    this.#allowHosts = new Set((opts.allowHosts ?? []).map((h) => h.toLowerCase()));
    // robots-parser matches groups on the product token (the part before "/").
    this.#product = opts.userAgent.split(/[/\s]/)[0] ?? opts.userAgent;
  }

  /** True unless the origin's robots.txt disallows `url` for our User-Agent. */
  async isAllowed(url: string, opts: RobotsCheckOptions = {}): Promise<boolean> {
    const entry = await this.#entry(url, opts);
    if (!entry.robot) return true;
    return entry.robot.isAllowed(url, this.#product) !== false;
  }

  /** The Crawl-delay robots.txt asks of us, in ms, or null. A hint: RFC 9309 does not define it. */
  async crawlDelayMs(url: string, opts: RobotsCheckOptions = {}): Promise<number | null> {
    const entry = await this.#entry(url, opts);
    const seconds = entry.robot?.getCrawlDelay(this.#product);
    return typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : null;
  }

  /** The sitemaps the origin's robots.txt lists (`Sitemap:` lines), in its order; none without one. */
  async sitemaps(url: string, opts: RobotsCheckOptions = {}): Promise<string[]> {
    const entry = await this.#entry(url, opts);
    return entry.robot?.getSitemaps() ?? [];
  }

  async #entry(url: string, opts: RobotsCheckOptions): Promise<Entry> {
    const origin = new URL(url).origin;
    const cached = this.#entries.get(origin);
    if (cached && cached.expiresAt > Date.now()) return cached;
    const extra = [...new Set((opts.allowHosts ?? []).map((h) => h.toLowerCase()))]
      .filter((h) => !this.#allowHosts.has(h))
      .sort();
    // Checks share one fetch only when they share the allowance: a check that may reach a private host must
    // not be answered by one that the address guard refused.
    const key = extra.length > 0 ? `${origin} ${extra.join(' ')}` : origin;
    let pending = this.#pending.get(key);
    if (!pending) {
      pending = this.#load(origin, [...this.#allowHosts, ...extra]).finally(() => this.#pending.delete(key));
      this.#pending.set(key, pending);
    }
    return pending;
  }

  async #load(origin: string, allowHosts: readonly string[]): Promise<Entry> {
    const robotsUrl = `${origin}/robots.txt`;
    const ttl = this.#opts.ttlMs ?? 24 * 60 * 60 * 1000;
    const retry = this.#opts.retryMs ?? 10 * 60 * 1000;
    let entry: Entry;
    try {
      const res = await fetchUrl(robotsUrl, null, {
        userAgent: this.#opts.userAgent,
        timeoutMs: this.#opts.timeoutMs,
        connectTimeoutMs: this.#opts.connectTimeoutMs,
        maxBodyBytes: ROBOTS_FETCH_BYTES,
        allowHosts,
        limiter: this.#opts.limiter ?? null,
        accept: 'text/plain, */*;q=0.5',
      });
      const text = Buffer.from(res.body.subarray(0, ROBOTS_PARSE_BYTES)).toString('utf8');
      entry = { robot: robotsParser(robotsUrl, text), expiresAt: Date.now() + ttl };
    } catch (err) {
      if (err instanceof PermanentError && /^http_4\d\d$/.test(err.code)) {
        entry = { robot: null, expiresAt: Date.now() + ttl };
      } else if (err instanceof PermanentError && err.code === 'blocked_address') {
        // The feed fetch will be refused by the same guard with a clearer message. Not cached: a check with
        // another allowance may reach this host.
        return { robot: null, expiresAt: Date.now() };
      } else if (err instanceof PermanentError || err instanceof TransientError) {
        // 5xx, timeout, unreachable, oversize, redirect loop: allow for now, ask again soon (see class doc).
        entry = { robot: null, expiresAt: Date.now() + retry };
      } else {
        throw err;
      }
    }
    this.#store(origin, entry);
    return entry;
  }

  #store(origin: string, entry: Entry): void {
    this.#entries.delete(origin);
    this.#entries.set(origin, entry);
    const max = this.#opts.maxEntries ?? 10_000;
    while (this.#entries.size > max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }
}
