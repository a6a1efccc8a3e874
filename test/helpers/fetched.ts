import { recordFetch, type Sql } from '@frameline/store';

/** Record a successful fetch of a source's feed with this body, as the fetch stage would; its id. */
export function recordFetchedBody(
  sql: Sql,
  source: { id: number; url: string },
  { body, contentType }: { body: string; contentType: string },
): Promise<number> {
  const bytes = new TextEncoder().encode(body);
  return recordFetch(sql, {
    sourceId: source.id,
    crawlId: null,
    url: source.url,
    durationMs: 1,
    status: 200,
    notModified: false,
    bytes: bytes.length,
    contentType,
    etag: null,
    lastModified: null,
    body: bytes,
    errorCode: null,
    error: null,
  });
}
