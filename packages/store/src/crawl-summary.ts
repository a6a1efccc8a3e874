import type { Sql } from './connect.js';
import type { SourceRow } from './sources.js';

export interface SourceOutcome {
  sourceId: number;
  url: string;
  name: string | null;
  ok: boolean;
  notModified: boolean;
  status: number | null;
  errorCode: string | null;
  error: string | null;
  items: number;
}

export interface CrawlSummary {
  crawlId: string;
  sources: SourceOutcome[];
  documents: { new: number; updated: number; unchanged: number };
  announcements: number;
}

/** A source a crawl scheduled, as it stood when the crawl began. */
export type ScheduledSource = Pick<SourceRow, 'id' | 'url' | 'name'>;

/** The error code of a scheduled source for which the crawl recorded no fetch at all. */
export const NOT_FETCHED = 'not_fetched';

/**
 * What one crawl did, read back from the rows its jobs wrote (so it is right in distributed mode too). Every
 * source in `scheduled` is listed: one without a fetch recorded for this crawl ends as NOT_FETCHED, with why
 * as far as the database can tell.
 */
export async function crawlSummary(
  sql: Sql,
  crawlId: string,
  scheduled: readonly ScheduledSource[] = [],
): Promise<CrawlSummary> {
  const fetched = await sql<SourceOutcome[]>`
    select distinct on (f.source_id)
           f.source_id as "sourceId", s.url, s.name, f.error_code is null as ok, f.not_modified as "notModified",
           f.status, f.error_code as "errorCode", f.error, coalesce(f.items_total, 0)::int as items
    from fetches f join sources s on s.id = f.source_id
    where f.crawl_id = ${crawlId}
    order by f.source_id, f.id desc`;
  const seenIds = new Set(fetched.map((s) => s.sourceId));
  const missing = scheduled.filter((s) => !seenIds.has(s.id));
  const sources = [...fetched, ...(await notFetched(sql, missing))].sort((a, b) => a.sourceId - b.sourceId);
  const [docs] = await sql<{ created: number; updated: number }[]>`
    select count(*) filter (where first_crawl_id = ${crawlId})::int as created,
           count(*) filter (where changed_crawl_id = ${crawlId}
                              and first_crawl_id is distinct from ${crawlId})::int as updated
    from documents where changed_crawl_id = ${crawlId}`;
  const [ann] = await sql<{ n: number }[]>`
    select count(*)::int as n from announcements a join documents d on d.id = a.document_id
    where d.changed_crawl_id = ${crawlId} and a.rule_set = d.current_rule_set`;
  const created = docs?.created ?? 0;
  const updated = docs?.updated ?? 0;
  const seen = sources.reduce((n, s) => n + s.items, 0);
  return {
    crawlId,
    sources,
    documents: { new: created, updated, unchanged: Math.max(0, seen - created - updated) },
    announcements: ann?.n ?? 0,
  };
}

async function notFetched(sql: Sql, missing: readonly ScheduledSource[]): Promise<SourceOutcome[]> {
  if (missing.length === 0) return [];
  const now = await sql<{ id: number; paused: boolean }[]>`
    select id, paused_at is not null as paused from sources
    where id = any(${sql.array(missing.map((s) => s.id))}::bigint[])`;
  const state = new Map(now.map((r) => [r.id, r]));
  return missing.map((s) => {
    const row = state.get(s.id);
    const why = !row
      ? 'the source was removed while the crawl ran'
      : row.paused
        ? 'the source was paused while the crawl ran'
        : 'no fetch was recorded for this crawl: its fetch job did not run, or failed before fetching ' +
          '(another crawl may have fetched it for the same due time; see the worker logs)';
    return {
      sourceId: s.id,
      url: s.url,
      name: s.name,
      ok: false,
      notModified: false,
      status: null,
      errorCode: NOT_FETCHED,
      error: why,
      items: 0,
    };
  });
}
