import { createHash } from 'node:crypto';
import type { Sql } from './connect.js';

/** What the parse stage stores for one item. */
export interface DocumentInput {
  guid: string;
  url: string | null;
  canonicalUrl: string | null;
  title: string | null;
  author: string | null;
  publishedAt: string | null;
  publishedFrom: string | null;
  updatedAt: string | null;
  html: string | null;
  text: string;
}

export interface UpsertResult {
  /** Documents seen for the first time. */
  created: number;
  /** Documents whose content changed. */
  updated: number;
  /** Items that matched a stored document with the same content. */
  unchanged: number;
}

/** The hash that decides whether an item changed: everything we store about it but when we saw it. */
export function contentHash(d: DocumentInput): string {
  const h = createHash('sha256');
  for (const part of [d.title, d.url, d.canonicalUrl, d.author, d.publishedAt, d.updatedAt, d.html, d.text]) {
    h.update(part ?? '\u0000');
    h.update('\u0001');
  }
  return h.digest('hex').slice(0, 32);
}

/**
 * Insert new items and update changed ones in one statement, keyed on (source_id, guid). An unchanged item is
 * left alone, so running the same feed twice writes nothing the second time.
 */
export async function upsertDocuments(
  sql: Sql,
  sourceId: number,
  crawlId: string | null,
  items: DocumentInput[],
): Promise<UpsertResult> {
  // A feed that repeats a guid would make one statement touch a row twice, which Postgres refuses.
  const byGuid = new Map<string, DocumentInput>();
  for (const item of items) byGuid.set(item.guid, item);
  const rows = [...byGuid.values()].map((d) => ({
    source_id: sourceId,
    guid: d.guid,
    url: d.url,
    canonical_url: d.canonicalUrl,
    title: d.title,
    author: d.author,
    published_at: d.publishedAt,
    published_from: d.publishedFrom,
    updated_at: d.updatedAt,
    html: d.html,
    text: d.text,
    content_hash: contentHash(d),
    first_crawl_id: crawlId,
    changed_crawl_id: crawlId,
  }));
  if (rows.length === 0) return { created: 0, updated: 0, unchanged: 0 };
  let created = 0;
  let updated = 0;
  for (let i = 0; i < rows.length; i += 500) {
    const batch = rows.slice(i, i + 500);
    const changed = await sql<{ inserted: boolean }[]>`
      insert into documents ${sql(batch)}
      on conflict (source_id, guid) do update set
        url = excluded.url, canonical_url = excluded.canonical_url, title = excluded.title,
        author = excluded.author, published_at = excluded.published_at, published_from = excluded.published_from,
        updated_at = excluded.updated_at, html = excluded.html, text = excluded.text,
        content_hash = excluded.content_hash, last_changed_at = now(), changed_crawl_id = excluded.changed_crawl_id
      where documents.content_hash <> excluded.content_hash
      returning (xmax = 0) as inserted`;
    for (const row of changed) {
      if (row.inserted) created++;
      else updated++;
    }
  }
  return { created, updated, unchanged: rows.length - created - updated };
}

export interface DocumentToExtract {
  id: number;
  contentHash: string;
}

/**
 * Documents among `guids` of a source that need extraction with this rule set: new, changed since their last
 * extraction, or extracted by another rule set. Asking the database (rather than trusting what the upsert returned) means a
 * parse job retried after a crash still finds documents whose extraction never ran.
 */
export async function documentsToExtract(
  sql: Sql,
  sourceId: number,
  ruleSet: string,
  guids: string[],
): Promise<DocumentToExtract[]> {
  return sql<DocumentToExtract[]>`
    select id, content_hash as "contentHash" from documents
    where source_id = ${sourceId} and guid = any(${sql.array(guids)})
      and (extracted_hash is distinct from content_hash or extracted_rule_set is distinct from ${ruleSet})
    order by id`;
}

export interface StoredDocument {
  id: number;
  sourceId: number;
  title: string | null;
  text: string;
  contentHash: string;
}

export async function getDocument(sql: Sql, id: number): Promise<StoredDocument | null> {
  const [row] = await sql<StoredDocument[]>`
    select id, source_id as "sourceId", title, text, content_hash as "contentHash" from documents where id = ${id}`;
  return row ?? null;
}
