import { createHash } from 'node:crypto';
import type postgres from 'postgres';
import { OID, type Sql } from './connect.js';
import { activeVersion } from './extractions.js';

/** What the parse stage stores for one item. */
export interface DocumentInput {
  guid: string;
  /** 'event' for calendar events (they become timeline events), else 'item'. */
  kind?: 'item' | 'event';
  url: string | null;
  canonicalUrl: string | null;
  title: string | null;
  author: string | null;
  publishedAt: string | null;
  publishedFrom: string | null;
  updatedAt: string | null;
  updatedFrom?: string | null;
  html: string | null;
  text: string;
}

/** Texts shorter than this are too generic ("Read more.") to call two documents the same story. */
const MIN_TEXT_FOR_HASH = 200;

/** Hash of the text alone, case and spacing folded: the same story carried by two sources. */
export function textHash(text: string): string | null {
  const folded = text.toLowerCase().replace(/\s+/g, ' ').trim();
  if (folded.length < MIN_TEXT_FOR_HASH) return null;
  return createHash('sha256').update(folded).digest('hex').slice(0, 32);
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

/** Where upserted documents come from, and which rule set will extract them. */
export interface UpsertTarget {
  sourceId: number;
  crawlId: string | null;
  /**
   * The rule set that will extract new documents. When it is the active one, a new document reads it from the
   * start (`current_rule_set`; until the extraction is written there is nothing to read), so storing the
   * extraction need not rewrite the document's row.
   */
  ruleSet?: string | null;
}

/**
 * Insert new items and update changed ones in one statement, keyed on (source_id, guid). An unchanged item is
 * left alone, so running the same feed twice writes nothing the second time.
 */
export async function upsertDocuments(
  sql: Sql,
  target: UpsertTarget,
  items: DocumentInput[],
): Promise<UpsertResult> {
  const { sourceId, crawlId } = target;
  const ruleSet = target.ruleSet ?? null;
  // A feed that repeats a guid would make one statement touch a row twice, which Postgres refuses.
  const byGuid = new Map<string, DocumentInput>();
  for (const item of items) byGuid.set(item.guid, item);
  const rows = [...byGuid.values()];
  if (rows.length === 0) return { created: 0, updated: 0, unchanged: 0 };
  const text = (pick: (d: DocumentInput) => string | null) => sql.array(rows.map(pick), OID.text);
  // One statement whatever the feed's length (rows travel as one array per column), so it is prepared once.
  const changed = await sql<{ inserted: boolean }[]>`
    insert into documents (source_id, guid, kind, url, canonical_url, title, author, published_at, published_from,
                           updated_at, updated_from, html, text, content_hash, text_hash, first_crawl_id,
                           changed_crawl_id, current_rule_set)
    select ${sourceId}, r.guid, r.kind, r.url, r.canonical_url, r.title, r.author, r.published_at::timestamptz,
           r.published_from, r.updated_at::timestamptz, r.updated_from, r.html, r.text, r.content_hash,
           r.text_hash, ${crawlId}, ${crawlId},
           (select version from rule_sets
            where version = ${ruleSet}::text
              and version = (${activeVersion(sql)}))
    from unnest(${text((d) => d.guid)}::text[], ${text((d) => d.kind ?? 'item')}::text[],
                ${text((d) => d.url)}::text[], ${text((d) => d.canonicalUrl)}::text[],
                ${text((d) => d.title)}::text[], ${text((d) => d.author)}::text[],
                ${text((d) => d.publishedAt)}::text[], ${text((d) => d.publishedFrom)}::text[],
                ${text((d) => d.updatedAt)}::text[],
                ${text((d) => d.updatedFrom ?? (d.updatedAt ? 'feed' : null))}::text[],
                ${text((d) => d.html)}::text[], ${text((d) => d.text)}::text[], ${text(contentHash)}::text[],
                ${text((d) => textHash(d.text))}::text[])
      as r(guid, kind, url, canonical_url, title, author, published_at, published_from, updated_at, updated_from,
           html, text, content_hash, text_hash)
    on conflict (source_id, guid) do update set
      kind = excluded.kind, url = excluded.url, canonical_url = excluded.canonical_url, title = excluded.title,
      author = excluded.author, published_at = excluded.published_at, published_from = excluded.published_from,
      updated_at = excluded.updated_at, updated_from = excluded.updated_from, html = excluded.html,
      text = excluded.text, content_hash = excluded.content_hash, text_hash = excluded.text_hash,
      last_changed_at = now(), changed_crawl_id = excluded.changed_crawl_id
    where documents.content_hash <> excluded.content_hash
    returning (xmax = 0) as inserted`;
  const created = changed.filter((row) => row.inserted).length;
  const updated = changed.length - created;
  return { created, updated, unchanged: rows.length - created - updated };
}

/** Serialises duplicate marking across connections and processes, so two marks cannot build a chain. */
const DUPLICATE_LOCK = 7_021_918_101;

/**
 * Find documents among `ids` that carry the same story as a document of another source (same canonical URL,
 * or the same text) and mark the later-stored one of each pair as a duplicate of the earlier, whichever of
 * the two was just stored: pages fetched concurrently may learn their canonical URLs in either order.
 * Duplicates lose their mentions and announcements (the original keeps them), so nothing is counted twice.
 * A duplicate always points at an original, never at another duplicate: marking runs under one lock (two
 * concurrent marks could otherwise each see the other's original as free), and the duplicates of a document
 * that is itself marked now move to its original. Returns the ids newly marked.
 */
export async function markDuplicatesOf(sql: Sql, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  return markLinked(sql, await linkedTargets(sql, sql`d.id = any(${sql.array(ids)}::bigint[])`));
}

/**
 * The documents among `targets` (a condition on `d`) that share a canonical URL or text with another source's
 * document. Most documents carry a story no other source has, and learning that takes this one read, without
 * the lock. It is safe: each caller stored its documents (committed) before asking, so of two documents
 * carrying the same story, whichever is asked about last sees the other and takes the locked path.
 */
async function linkedTargets(sql: Sql, targets: postgres.Fragment): Promise<number[]> {
  const rows = await sql<{ id: number }[]>`
    select distinct d.id from documents d join documents o
      on o.id <> d.id and o.source_id <> d.source_id
     and ((d.canonical_url is not null and o.canonical_url = d.canonical_url)
          or (d.text_hash is not null and o.text_hash = d.text_hash))
    where ${targets} and d.duplicate_of is null`;
  return rows.map((r) => r.id);
}

async function markLinked(sql: Sql, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${DUPLICATE_LOCK})`;
    // Each target's links: the documents of other sources carrying its story, by their original when they are
    // duplicates themselves. Its group's original is the smallest id of the target and those roots; the target
    // and every other root become that original's duplicates.
    const marked = await tx<{ id: number; original: number }[]>`
      with targets as (
        select id, source_id, canonical_url, text_hash from documents
        where id = any(${tx.array(ids)}::bigint[]) and duplicate_of is null
      ), links as (
        select d.id as target, coalesce(o.duplicate_of, o.id) as root
        from targets d join documents o
          on o.id <> d.id and o.source_id <> d.source_id
         and ((d.canonical_url is not null and o.canonical_url = d.canonical_url)
              or (d.text_hash is not null and o.text_hash = d.text_hash))
      ), groups as (
        select target, least(target, min(root)) as original from links group by target
      ), moves as (
        select target as id, original from groups where target > original
        union all
        select l.root, g.original from links l join groups g using (target) where l.root > g.original
      )
      update documents set duplicate_of = m.original
      from (select id, min(original) as original from moves group by id) m
      where documents.id = m.id and documents.duplicate_of is null
      returning documents.id, documents.duplicate_of as original`;
    const markedIds = marked.map((r) => r.id);
    if (markedIds.length > 0) {
      await tx`
        update documents set duplicate_of = m.original
        from (select unnest(${tx.array(markedIds)}::bigint[]) as id,
                     unnest(${tx.array(marked.map((r) => r.original))}::bigint[]) as original) m
        where documents.duplicate_of = m.id`;
      await tx`delete from mentions where document_id = any(${tx.array(markedIds)}::bigint[])`;
      await tx`delete from announcements where document_id = any(${tx.array(markedIds)}::bigint[])`;
      await tx`delete from extractions where document_id = any(${tx.array(markedIds)}::bigint[])`;
      await tx`update documents set current_rule_set = null where id = any(${tx.array(markedIds)}::bigint[])`;
    }
    return markedIds;
  });
}

/** markDuplicatesOf for the documents of a source with these guids. */
export async function markDuplicates(sql: Sql, sourceId: number, guids: string[]): Promise<number> {
  if (guids.length === 0) return 0;
  const linked = await linkedTargets(
    sql,
    sql`d.source_id = ${sourceId} and d.guid = any(${sql.array(guids)})`,
  );
  return (await markLinked(sql, linked)).length;
}

export interface DocumentToProcess {
  id: number;
  guid: string;
  contentHash: string;
  /** The content hash the stored article was fetched for, if any. */
  articleHash: string | null;
}

/**
 * Documents among `guids` of a source that need work with this rule set: new, changed since this rule set
 * extracted them, or never extracted by it; duplicates of another source's document excluded. Asking the
 * database (rather than trusting what the upsert returned) means a parse job retried after a crash still
 * finds documents whose extraction never ran.
 */
export async function documentsToProcess(
  sql: Sql,
  sourceId: number,
  ruleSet: string,
  guids: string[],
): Promise<DocumentToProcess[]> {
  return sql<DocumentToProcess[]>`
    select id, guid, content_hash as "contentHash", article_hash as "articleHash" from documents
    where source_id = ${sourceId} and guid = any(${sql.array(guids)}) and duplicate_of is null
      and not exists (select 1 from extractions e
                      where e.rule_set = ${ruleSet} and e.document_id = documents.id
                        and e.content_hash = documents.content_hash)
    order by id`;
}

export interface StoredDocument {
  id: number;
  sourceId: number;
  kind: 'item' | 'event';
  url: string | null;
  title: string | null;
  text: string;
  articleText: string | null;
  contentHash: string;
  articleHash: string | null;
  publishedAt: Date | null;
  duplicateOf: number | null;
  /** Its source's name (null when none was given), its feed's own title (null before any) and address. */
  sourceName: string | null;
  sourceTitle: string | null;
  sourceUrl: string;
}

export async function getDocument(sql: Sql, id: number): Promise<StoredDocument | null> {
  const [row] = await getDocuments(sql, [id]);
  return row ?? null;
}

/** The stored documents with these ids (those that still exist), ordered by id. */
export async function getDocuments(sql: Sql, ids: readonly number[]): Promise<StoredDocument[]> {
  return sql<StoredDocument[]>`
    select d.id, d.source_id as "sourceId", d.kind, d.url, d.title, d.text, d.article_text as "articleText",
           d.content_hash as "contentHash", d.article_hash as "articleHash", d.published_at as "publishedAt",
           d.duplicate_of as "duplicateOf", s.name as "sourceName", s.feed_title as "sourceTitle",
           s.url as "sourceUrl"
    from documents d join sources s on s.id = d.source_id
    where d.id = any(${sql.array(ids as number[])}::bigint[]) order by d.id`;
}

/** What the article stage learned from a document's linked page. */
export interface ArticleUpdate {
  html: string;
  text: string;
  canonicalUrl: string | null;
  /** The page's headline: it titles a document that has none (a page listed by a sitemap). */
  title: string | null;
  author: string | null;
  published: string | null;
  publishedFrom: string | null;
}

/**
 * Store the linked page's article for a document, as of the content hash it was fetched for (a document that
 * changed meanwhile is left alone). The page fills in a missing title and author, a missing published date (saying
 * where it came from) and the canonical URL; it never overrides a date the feed gave. Returns false when the
 * document changed or vanished.
 */
export async function storeArticle(
  sql: Sql,
  doc: { id: number; contentHash: string },
  article: ArticleUpdate | { error: string },
): Promise<boolean> {
  const rows =
    'error' in article
      ? await sql`
          update documents set article_error = ${article.error}, article_hash = content_hash,
                               article_fetched_at = now()
          where id = ${doc.id} and content_hash = ${doc.contentHash} returning id`
      : await sql`
          update documents set
            article_html = ${article.html}, article_text = ${article.text}, article_error = null,
            article_hash = content_hash, article_fetched_at = now(),
            canonical_url = coalesce(${article.canonicalUrl}, canonical_url),
            title = coalesce(title, ${article.title}), author = coalesce(author, ${article.author}),
            published_from = case when published_at is null and ${article.published}::timestamptz is not null
                                  then ${article.publishedFrom} else published_from end,
            published_at = coalesce(published_at, ${article.published}::timestamptz)
          where id = ${doc.id} and content_hash = ${doc.contentHash} returning id`;
  return rows.length > 0;
}

/** Whether a document (by id) is, or has just been found to be, a duplicate of another source's document. */
export async function markDuplicateById(sql: Sql, id: number): Promise<boolean> {
  return (await markDuplicatesOf(sql, [id])).includes(id);
}
