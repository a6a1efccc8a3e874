import type { Sql } from './connect.js';

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

/** What one crawl did, read back from the rows its jobs wrote (so it is right in distributed mode too). */
export async function crawlSummary(sql: Sql, crawlId: string): Promise<CrawlSummary> {
  const sources = await sql<SourceOutcome[]>`
    select distinct on (f.source_id)
           f.source_id as "sourceId", s.url, s.name, f.error_code is null as ok, f.not_modified as "notModified",
           f.status, f.error_code as "errorCode", f.error, coalesce(f.items_total, 0)::int as items
    from fetches f join sources s on s.id = f.source_id
    where f.crawl_id = ${crawlId}
    order by f.source_id, f.id desc`;
  const [docs] = await sql<{ created: number; updated: number }[]>`
    select count(*) filter (where first_crawl_id = ${crawlId})::int as created,
           count(*) filter (where changed_crawl_id = ${crawlId}
                              and first_crawl_id is distinct from ${crawlId})::int as updated
    from documents where changed_crawl_id = ${crawlId}`;
  const [ann] = await sql<{ n: number }[]>`
    select count(*)::int as n from announcements a join documents d on d.id = a.document_id
    where d.changed_crawl_id = ${crawlId}`;
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
