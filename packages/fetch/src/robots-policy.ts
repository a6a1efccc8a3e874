/**
 * What `fetchUrl` asks before each request. It lives apart from `RobotsCache` (which fetches robots.txt with
 * `fetchUrl`), so that fetch-url.ts and robots.ts do not import each other.
 */
export interface RobotsPolicy {
  /**
   * True unless the origin's robots.txt disallows `url` for our User-Agent. `allowHosts` are the hosts the
   * guarded fetch may reach despite private addresses; fetching that host's robots.txt is allowed as well.
   */
  isAllowed(url: string, opts?: { allowHosts?: readonly string[] }): Promise<boolean>;
  /** The sitemaps the origin's robots.txt lists, read from the same cached copy (for `backfill`). */
  sitemaps?(url: string, opts?: { allowHosts?: readonly string[] }): Promise<string[]>;
}
