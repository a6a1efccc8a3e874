import type { Sql } from './connect.js';

export interface FetchRecord {
  sourceId: number;
  crawlId: string | null;
  url: string;
  durationMs: number;
  status: number | null;
  notModified: boolean;
  bytes: number | null;
  contentType: string | null;
  etag: string | null;
  lastModified: string | null;
  body: Uint8Array | null;
  errorCode: string | null;
  error: string | null;
}

/**
 * Bodies of older fetches are dropped once parsed; the last few per source are kept for re-parsing and
 * debugging.
 */
export const KEEP_BODIES_PER_SOURCE = 3;

export async function recordFetch(sql: Sql, f: FetchRecord): Promise<number> {
  const [row] = await sql<{ id: number }[]>`
    insert into fetches (source_id, crawl_id, url, duration_ms, status, not_modified, bytes, content_type,
                         etag, last_modified, body, error_code, error)
    values (${f.sourceId}, ${f.crawlId}, ${f.url}, ${Math.round(f.durationMs)}, ${f.status}, ${f.notModified},
            ${f.bytes}, ${f.contentType}, ${f.etag}, ${f.lastModified}, ${f.body ? Buffer.from(f.body.buffer, f.body.byteOffset, f.body.byteLength) : null},
            ${f.errorCode}, ${f.error})
    returning id`;
  if (!row) throw new Error('insert into fetches returned no row');
  // A body waiting for its parse job (a backfill records many pages at once) is kept until parsed, or a day.
  await sql`
    update fetches set body = null
    where source_id = ${f.sourceId} and body is not null
      and (parsed_at is not null or started_at < now() - interval '1 day') and id not in (
      select id from fetches where source_id = ${f.sourceId} and body is not null
      order by id desc limit ${KEEP_BODIES_PER_SOURCE})`;
  return row.id;
}

export interface StoredFetch {
  id: number;
  sourceId: number;
  crawlId: string | null;
  url: string;
  contentType: string | null;
  etag: string | null;
  lastModified: string | null;
  body: Uint8Array | null;
}

export async function getFetch(sql: Sql, id: number): Promise<StoredFetch | null> {
  const [row] = await sql<StoredFetch[]>`
    select id, source_id as "sourceId", crawl_id as "crawlId", url, content_type as "contentType", etag,
           last_modified as "lastModified", body
    from fetches where id = ${id}`;
  return row ?? null;
}

/** Record what parsing a fetch produced, or why it failed. */
export async function recordParse(
  sql: Sql,
  id: number,
  result: { total: number; new: number; updated: number } | { errorCode: string; error: string },
): Promise<void> {
  if ('errorCode' in result) {
    await sql`
      update fetches set error_code = ${result.errorCode}, error = ${result.error}, parsed_at = now()
      where id = ${id}`;
  } else {
    await sql`
      update fetches set items_total = ${result.total}, items_new = ${result.new},
                         items_updated = ${result.updated}, parsed_at = now()
      where id = ${id}`;
  }
}
