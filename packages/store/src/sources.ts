import type { ArticleMode, SourceKind } from '@frameline/core';
import type { Sql } from './connect.js';

export interface SourceRow {
  id: number;
  url: string;
  kind: SourceKind;
  name: string | null;
  tags: string[];
  selectors: Record<string, string> | null;
  articleMode: ArticleMode;
  pollIntervalS: number;
  etag: string | null;
  lastModified: string | null;
  nextFetchAt: Date;
  lastFetchedAt: Date | null;
  lastOkAt: Date | null;
  errorCount: number;
  lastErrorCode: string | null;
  lastError: string | null;
  lastErrorAt: Date | null;
  pausedAt: Date | null;
  /** Hosts or IPs this source may fetch although they resolve to private addresses (its own allowance). */
  allowHosts: string[];
  /** Whether the poll interval follows the source's posting frequency (it was added without an interval). */
  adaptive: boolean;
  /** The title its feed gives itself, as last parsed (null before a parse, or for a feed without one). */
  feedTitle: string | null;
}

export { ARTICLE_MODES, type ArticleMode } from '@frameline/core';

export interface NewSource {
  url: string;
  kind?: SourceKind;
  name?: string | null;
  tags?: string[];
  selectors?: Record<string, string> | null;
  articleMode?: ArticleMode;
  pollIntervalS?: number;
  /** See SourceRow.allowHosts; empty unless a private host is meant (the demo's local server). */
  allowHosts?: string[];
}

/**
 * The columns of a SourceRow. A fragment with no interpolation: aliases cannot be spelt through `sql(names)`,
 * and a fragment is as safe as any tagged template (it must come from the `sql` that runs the query).
 */
function columns(sql: Sql) {
  return sql`id, url, kind, name, tags, selectors, article_mode as "articleMode",
    poll_interval_s as "pollIntervalS", etag,
    last_modified as "lastModified", next_fetch_at as "nextFetchAt", last_fetched_at as "lastFetchedAt",
    last_ok_at as "lastOkAt", error_count as "errorCount", last_error_code as "lastErrorCode",
    last_error as "lastError", last_error_at as "lastErrorAt", paused_at as "pausedAt",
    allow_hosts as "allowHosts", adaptive, feed_title as "feedTitle"`;
}

/** A source fails this many times in a row before it is paused (it then needs `sources resume`). */
export const PAUSE_AFTER_ERRORS = 10;

/** Add a source; adding a URL that is already there returns the existing row with `created: false`. */
export async function addSource(sql: Sql, s: NewSource): Promise<{ source: SourceRow; created: boolean }> {
  const row = {
    url: s.url,
    kind: s.kind ?? 'feed',
    name: s.name ?? null,
    // Plain arrays, not sql.array(): on a new connection sql.array() infers `text` before postgres.js has
    // learnt the array types (porsager/postgres#789), and the insert fails.
    tags: s.tags ?? [],
    selectors: s.selectors ? sql.json(s.selectors) : null,
    article_mode: s.articleMode ?? 'auto',
    poll_interval_s: s.pollIntervalS ?? 3600,
    // A source given an interval keeps it; one without polls as often as it posts.
    adaptive: s.pollIntervalS === undefined,
    allow_hosts: s.allowHosts ?? [],
  };
  const inserted = await sql<SourceRow[]>`
    insert into sources ${sql(row)}
    on conflict (url) do nothing
    returning ${columns(sql)}`;
  if (inserted[0]) return { source: inserted[0], created: true };
  const [existing] = await sql<SourceRow[]>`select ${columns(sql)} from sources where url = ${s.url}`;
  if (!existing) throw new Error(`source ${s.url} vanished while being added`);
  return { source: existing, created: false };
}

/**
 * Replace the hosts a source may fetch although they resolve to private addresses (SourceRow.allowHosts).
 * Returns false when there is no such source.
 */
export async function setSourceAllowHosts(sql: Sql, id: number, hosts: readonly string[]): Promise<boolean> {
  const rows = await sql`
    update sources set allow_hosts = ${[...hosts]}, updated_at = now()
    where id = ${id} returning id`;
  return rows.length > 0;
}

export async function listSources(sql: Sql): Promise<(SourceRow & { documents: number })[]> {
  return sql<(SourceRow & { documents: number })[]>`
    select ${columns(sql)},
           (select count(*)::int from documents d where d.source_id = s.id) as documents
    from sources s order by id`;
}

export async function getSource(sql: Sql, id: number): Promise<SourceRow | null> {
  const [row] = await sql<SourceRow[]>`select ${columns(sql)} from sources where id = ${id}`;
  return row ?? null;
}

/** A source by id, URL or name (any case). */
export async function findSource(sql: Sql, idOrUrlOrName: string): Promise<SourceRow | null> {
  const id = /^\d+$/.test(idOrUrlOrName) ? Number(idOrUrlOrName) : null;
  const [row] = await sql<SourceRow[]>`
    select ${columns(sql)} from sources
    where id = ${id} or url = ${idOrUrlOrName} or lower(name) = lower(${idOrUrlOrName})
    order by (id = ${id}) desc nulls last, (url = ${idOrUrlOrName}) desc limit 1`;
  return row ?? null;
}

/** Remove a source (and, by cascade, its fetches and documents) by id or URL. */
export async function removeSource(sql: Sql, idOrUrl: string): Promise<SourceRow | null> {
  const byId = /^\d+$/.test(idOrUrl);
  const [row] = byId
    ? await sql<SourceRow[]>`delete from sources where id = ${Number(idOrUrl)} returning ${columns(sql)}`
    : await sql<SourceRow[]>`delete from sources where url = ${idOrUrl} returning ${columns(sql)}`;
  return row ?? null;
}

export async function countSources(sql: Sql): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from sources`;
  return row?.n ?? 0;
}

/** Sources whose next fetch is due (all unpaused ones with `force`), optionally only those with a tag. */
export async function dueSources(
  sql: Sql,
  opts: { force?: boolean; tag?: string | null; ids?: number[] | null } = {},
): Promise<SourceRow[]> {
  return sql<SourceRow[]>`
    select ${columns(sql)} from sources
    where paused_at is null
      ${opts.force ? sql`` : sql`and next_fetch_at <= now()`}
      ${opts.tag ? sql`and ${opts.tag} = any(tags)` : sql``}
      ${opts.ids ? sql`and id = any(${sql.array(opts.ids)}::bigint[])` : sql``}
    order by next_fetch_at, id`;
}

/** When the next source falls due, or null when none is scheduled. */
export async function nextDueAt(sql: Sql): Promise<Date | null> {
  const [row] = await sql<
    { at: Date | null }[]
  >`select min(next_fetch_at) as at from sources where paused_at is null`;
  return row?.at ?? null;
}

/** How polls are spaced: the clamp of adaptive intervals, the server's freshness, and the jitter. */
export interface PollPolicy {
  minIntervalS: number;
  maxIntervalS: number;
  /** How long the server said this answer stays fresh (Cache-Control, Expires), if it did. */
  freshForS?: number | null;
  /** Fraction of the interval added or taken at random, so sources added together spread out. */
  jitter?: number;
}

const DEFAULT_POLICY: PollPolicy = { minIntervalS: 900, maxIntervalS: 86_400 };
const WEEK_S = 7 * 86_400;

/**
 * The SET fragment that schedules a source's next poll after a successful fetch, reading `polled.interval`
 * from `polledFrom`. An adaptive source's interval becomes a week divided by the documents it published in
 * the last week (dated by their feed, else by when we first saw them), clamped; no poll comes before the
 * answer goes stale, by the server's Cache-Control/Expires or the feed's own `<ttl>`, whichever is later (the
 * freshness a fetch reported is kept for the parse that follows it); the jitter is ±10% by default.
 */
function nextPoll(sql: Sql, policy: PollPolicy) {
  const jitter = 1 + (Math.random() * 2 - 1) * (policy.jitter ?? 0.1);
  const fresh = Math.max(0, Math.round(policy.freshForS ?? 0));
  return sql`
    poll_interval_s = polled.interval,
    fresh_until = case when ${fresh}::int > 0
      then greatest(fresh_until, now() + make_interval(secs => ${fresh}::int)) else fresh_until end,
    next_fetch_at = greatest(
      coalesce(fresh_until, now()),
      case when ${fresh}::int > 0 then now() + make_interval(secs => ${fresh}::int) else now() end,
      now() + make_interval(secs => least(${policy.maxIntervalS}::int, round(${jitter}::float8 * polled.interval)::int)))`;
}

/** How far around a dated event its sources poll at the shortest interval, and how far back they count. */
const EVENT_WINDOW_DAYS = 1;
const EVENT_SOURCE_MEMORY_DAYS = 90;

/**
 * The FROM fragment `nextPoll` reads: the source's interval as its posting frequency sets it. Around a dated
 * event frameline knows (a calendar entry, kind `event`, dated from a day before to a day after now), an
 * adaptive source that named in the last 90 days anything the entry's title names (the event, its
 * organiser, its topics) polls at the shortest interval, so news breaking at the event is seen at once. A
 * source with an interval set by hand keeps it.
 */
function polledFrom(sql: Sql, id: number, policy: PollPolicy) {
  return sql`(
    select case when s.adaptive and exists (
             select 1 from documents ev
             join mentions em on em.document_id = ev.id and em.rule_set = ev.current_rule_set
                             and em.field = 'title'
             where ev.kind = 'event' and ev.duplicate_of is null
               and ev.published_at between now() - make_interval(days => ${EVENT_WINDOW_DAYS}::int)
                                       and now() + make_interval(days => ${EVENT_WINDOW_DAYS}::int)
               and exists (
                 select 1 from documents sd
                 join mentions sm on sm.document_id = sd.id and sm.rule_set = sd.current_rule_set
                 where sd.source_id = s.id and sd.id <> ev.id and sm.entity_id = em.entity_id
                   and coalesce(sd.published_at, sd.first_seen_at)
                       > now() - make_interval(days => ${EVENT_SOURCE_MEMORY_DAYS}::int)))
           then ${policy.minIntervalS}::int
           when s.adaptive then least(${policy.maxIntervalS}::int, greatest(${policy.minIntervalS}::int,
             (${WEEK_S}::int / greatest(1, (select count(*) from documents d where d.source_id = s.id
               and coalesce(d.published_at, d.first_seen_at) > now() - interval '7 days')))::int))
           else s.poll_interval_s end as interval
    from sources s where s.id = ${id}
  ) polled`;
}

/**
 * Claim up to `limit` due sources for polling: each gets a lease (its next poll moves `leaseS` ahead, so a
 * poll whose job dies is retried then), and is returned with the due time it was claimed at, which names the
 * poll (the fetch job's slot). Concurrent schedulers never claim the same source twice.
 */
export async function claimDueSources(
  sql: Sql,
  opts: { limit: number; leaseS: number },
): Promise<{ id: number; dueAt: Date }[]> {
  return sql<{ id: number; dueAt: Date }[]>`
    with due as (
      select id, next_fetch_at from sources
      where paused_at is null and next_fetch_at <= now()
      order by next_fetch_at, id limit ${opts.limit}
      for update skip locked
    )
    update sources s set next_fetch_at = now() + make_interval(secs => ${opts.leaseS}::int)
    from due where s.id = due.id
    returning s.id, due.next_fetch_at as "dueAt"`;
}

/** Record the title a source's feed gives itself (a feed without one keeps the last). */
export async function setFeedTitle(sql: Sql, id: number, title: string): Promise<void> {
  await sql`update sources set feed_title = ${title}, updated_at = now() where id = ${id}`;
}

/** Record a source as healthy (a 304, or a 200 that parsed); validators are only replaced when given. */
export async function markSourceOk(
  sql: Sql,
  id: number,
  update: { etag?: string | null; lastModified?: string | null; poll?: PollPolicy },
): Promise<void> {
  const setValidators = update.etag !== undefined || update.lastModified !== undefined;
  const policy = update.poll ?? DEFAULT_POLICY;
  await sql`
    update sources set
      last_fetched_at = now(), last_ok_at = now(), error_count = 0,
      last_error_code = null, last_error = null, last_error_at = null,
      ${nextPoll(sql, policy)},
      etag = case when ${setValidators} then ${update.etag ?? null} else etag end,
      last_modified = case when ${setValidators} then ${update.lastModified ?? null} else last_modified end,
      updated_at = now()
    from ${polledFrom(sql, id, policy)}
    where id = ${id}`;
}

/**
 * Record a failed fetch: the error is kept on the source, the next fetch backs off exponentially from the poll
 * interval (capped at a day, or later if the server said Retry-After), and a source failing
 * PAUSE_AFTER_ERRORS times in a row is paused.
 */
export async function markSourceFailed(
  sql: Sql,
  id: number,
  failure: { code: string; message: string; retryAfterMs?: number | null },
): Promise<void> {
  const retryAfterS = Math.ceil((failure.retryAfterMs ?? 0) / 1000);
  await sql`
    update sources set
      last_fetched_at = now(), error_count = error_count + 1,
      last_error_code = ${failure.code}, last_error = ${failure.message}, last_error_at = now(),
      next_fetch_at = now() + make_interval(secs => greatest(${retryAfterS}::int,
        least(86400, poll_interval_s * power(2, least(error_count + 1, 10)))::int)),
      paused_at = case when error_count + 1 >= ${PAUSE_AFTER_ERRORS} then now() else paused_at end,
      updated_at = now()
    where id = ${id}`;
}

/** Unpause a source and make it due now. */
export async function resumeSource(sql: Sql, id: number): Promise<boolean> {
  const rows = await sql`
    update sources set paused_at = null, error_count = 0, next_fetch_at = now(), updated_at = now()
    where id = ${id} returning id`;
  return rows.length > 0;
}

/**
 * Record that a source answered 200: how long the server says the answer stays fresh is kept, and a permanent
 * redirect updates its URL.
 * Validators and the error state wait for the parse stage, so a body that turns out unparsable is fetched
 * again in full next time instead of being hidden behind a 304.
 */
export async function markSourceFetched(
  sql: Sql,
  id: number,
  update: { url?: string | null; freshForS?: number | null },
): Promise<void> {
  // The next poll is scheduled once, by the parse that follows (markSourceOk, with the new items counted),
  // which keeps the freshness recorded here; a parse that never comes leaves the poll's claim to run out.
  const fresh = Math.max(0, Math.round(update.freshForS ?? 0));
  await sql`
    update sources set
      last_fetched_at = now(),
      fresh_until = case when ${fresh}::int > 0 then now() + make_interval(secs => ${fresh}::int)
                         else fresh_until end,
      -- A redirect onto a URL another source already has keeps the old URL rather than failing the fetch.
      url = case when ${update.url ?? null}::text is null
                   or exists (select 1 from sources o where o.url = ${update.url ?? null}) then url
                 else ${update.url ?? null} end,
      updated_at = now()
    where id = ${id}`;
}

export async function deferSource(sql: Sql, id: number, ms: number): Promise<void> {
  await sql`
    update sources set next_fetch_at = greatest(next_fetch_at, now() + make_interval(secs => ${Math.ceil(ms / 1000)})),
                       updated_at = now()
    where id = ${id}`;
}
