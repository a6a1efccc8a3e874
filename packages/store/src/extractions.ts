import type { ExtractResult } from '@frameline/core';
import type { Queryable, Sql } from './connect.js';

/** Which text of a document a mention or announcement is in: its title, its feed text, or its page's article. */
export type Field = 'title' | 'text' | 'article';

export interface EntityDef {
  id: string;
  name: string;
  kind: string;
  parent: string | null;
}

/** A rule set as stored: its version, where it was read from, and the texts of its files. */
export interface StoredRuleSet {
  version: string;
  name: string;
  files: readonly { file: string; text: string }[];
  entities: readonly EntityDef[];
}

/**
 * Record a rule set, its files and its entities; idempotent, so every worker may call it at start. The first
 * rule set a database sees becomes its active one. Returns the active rule set's version after the call.
 */
export async function registerRuleSet(sql: Sql, ruleSet: StoredRuleSet): Promise<string> {
  return sql.begin(async (tx) => {
    await tx`
      insert into rule_sets (version, name, files) values (${ruleSet.version}, ${ruleSet.name}, ${tx.json(ruleSet.files.map((f) => ({ file: f.file, text: f.text })))})
      on conflict (version) do update set files = excluded.files where rule_sets.files is null`;
    const rows = ruleSet.entities.map((e) => ({ id: e.id, name: e.name, kind: e.kind, parent: e.parent }));
    for (let i = 0; i < rows.length; i += 1000) {
      await tx`
        insert into entities ${tx(rows.slice(i, i + 1000))}
        on conflict (id) do update set name = excluded.name, kind = excluded.kind, parent = excluded.parent,
                                       updated_at = now()
        where (entities.name, entities.kind, entities.parent) is distinct from
              (excluded.name, excluded.kind, excluded.parent)`;
    }
    await tx`
      update rule_sets set activated_at = now()
      where version = ${ruleSet.version} and not exists (select 1 from rule_sets where activated_at is not null)`;
    return (await activeRuleSet(tx)) as string;
  });
}

/** The version of the active rule set (the one whose extractions the timeline reads), or null before any. */
export async function activeRuleSet(sql: Queryable): Promise<string | null> {
  const [row] = await sql<{ version: string }[]>`
    select version from rule_sets where activated_at is not null order by activated_at desc, version limit 1`;
  return row?.version ?? null;
}

/** The files of a stored rule set, or null when the database has no such rule set (or not its files). */
export async function ruleSetFiles(
  sql: Sql,
  version: string,
): Promise<{ file: string; text: string }[] | null> {
  const [row] = await sql<{ files: { file: string; text: string }[] | null }[]>`
    select files from rule_sets where version = ${version}`;
  return row?.files ?? null;
}

/**
 * Make a rule set the active one, in one transaction: from its commit on, every document that has an
 * extraction by this rule set is read through it. Returns how many documents now read it.
 */
export async function activateRuleSet(sql: Sql, version: string): Promise<number> {
  return sql.begin(async (tx) => {
    const [known] = await tx`select 1 from rule_sets where version = ${version} for update`;
    if (!known) throw new Error(`rule set ${version} is not in the database`);
    await tx`
      update documents d set current_rule_set = ${version}
      from extractions e
      where e.rule_set = ${version} and e.document_id = d.id and d.current_rule_set is distinct from ${version}`;
    await tx`update rule_sets set activated_at = clock_timestamp() where version = ${version}`;
    const [{ n } = { n: 0 }] = await tx<{ n: number }[]>`
      select count(*)::int as n from documents where current_rule_set = ${version}`;
    return n;
  });
}

/** One document's extraction by one rule set: the content hash it was made from, and its fields' results. */
export interface DocumentExtraction {
  id: number;
  contentHash: string;
  /** Ids of entities the rule set does not list (found as new names), recorded in `entities` on first sight. */
  newNames: ReadonlySet<string>;
  fields: readonly { field: Field; result: ExtractResult }[];
}

/**
 * Store the extractions of many documents by one rule set in one transaction, each replacing that rule set's
 * earlier extraction of the document (other rule sets' stay). A document that changed after its extraction was
 * computed, or was found to duplicate another source's document, is skipped. Mentions of new names get the rule
 * `new-name`, every other mention `entity`. A document whose current extraction is none, or is by this rule set,
 * or whose rule set is not the active one while this is, reads this extraction from now on. Returns the ids
 * written.
 */
export async function replaceExtractions(
  sql: Sql,
  ruleSet: string,
  docs: readonly DocumentExtraction[],
): Promise<number[]> {
  if (docs.length === 0) return [];
  return sql.begin(async (tx) => {
    // The row locks order this against markDuplicatesOf and against a parse storing newer content.
    const ids = docs.map((d) => d.id);
    const current = await tx<{ id: number; contentHash: string; duplicateOf: number | null }[]>`
      select id, content_hash as "contentHash", duplicate_of as "duplicateOf" from documents
      where id = any(${tx.array(ids)}::bigint[]) order by id for update`;
    const hashOf = new Map(current.filter((r) => r.duplicateOf === null).map((r) => [r.id, r.contentHash]));
    const valid = docs.filter((d) => hashOf.get(d.id) === d.contentHash);
    if (valid.length === 0) return [];
    const validIds = valid.map((d) => d.id);
    await tx`delete from mentions where rule_set = ${ruleSet} and document_id = any(${tx.array(validIds)}::bigint[])`;
    await tx`delete from announcements where rule_set = ${ruleSet} and document_id = any(${tx.array(validIds)}::bigint[])`;
    const mentions = [];
    const announcements = [];
    // Names a release introduced ("Introducing Model Vault") and versions of known families ("PyTorch 1.0") are
    // recorded on first sight; entities the rule set lists were registered with it and are not touched here.
    // (A variant, "PyTorch 1.0", keeps its family as parent so that queries for the family find it.)
    const named = new Map<string, { id: string; name: string; kind: string; parent: string | null }>();
    for (const doc of valid) {
      for (const { field, result } of doc.fields) {
        for (const entity of result.entities) {
          const isNew = doc.newNames.has(entity.id);
          if (isNew)
            named.set(entity.id, {
              id: entity.id,
              name: entity.name,
              kind: entity.kind,
              parent: entity.parent ?? null,
            });
          for (const m of entity.mentions) {
            mentions.push({
              document_id: doc.id,
              entity_id: entity.id,
              rule_set: ruleSet,
              rule: isNew ? 'new-name' : 'entity',
              field,
              start_pos: m.start,
              end_pos: m.end,
              surface: m.text,
            });
          }
        }
        for (const a of result.announcements) {
          announcements.push({
            document_id: doc.id,
            rule_set: ruleSet,
            rule: a.rule,
            type: a.type,
            subject: a.subject,
            objects: tx.array(a.objects),
            version: a.version,
            stage: a.stage,
            field,
            evidence: a.evidence.text,
            evidence_start: a.evidence.start,
            evidence_end: a.evidence.end,
          });
        }
      }
    }
    if (named.size > 0) {
      await tx`insert into entities ${tx([...named.values()])} on conflict (id) do nothing`;
    }
    for (let i = 0; i < mentions.length; i += 2000) {
      await tx`insert into mentions ${tx(mentions.slice(i, i + 2000))} on conflict do nothing`;
    }
    for (let i = 0; i < announcements.length; i += 1000) {
      await tx`insert into announcements ${tx(announcements.slice(i, i + 1000))} on conflict do nothing`;
    }
    const hashes = valid.map((d) => d.contentHash);
    const active = await activeRuleSet(tx);
    await tx`
      insert into extractions (document_id, rule_set, content_hash)
      select unnest(${tx.array(validIds)}::bigint[]), ${ruleSet}, unnest(${tx.array(hashes)}::text[])
      on conflict (rule_set, document_id) do update set content_hash = excluded.content_hash,
                                                        extracted_at = now()`;
    await tx`
      update documents set current_rule_set = ${ruleSet}
      where id = any(${tx.array(validIds)}::bigint[])
        and (current_rule_set is null
             or (current_rule_set <> ${ruleSet} and ${ruleSet} = ${active}::text))`;
    return validIds;
  });
}

/** Which stored documents a re-extraction covers: dated in [since, until), of one source; duplicates never. */
export interface ReextractScope {
  since?: Date | null;
  until?: Date | null;
  sourceId?: number | null;
}

/** A document of a scope: what a batch of work on it names, and its title for reports. */
export interface ScopedDocument {
  id: number;
  contentHash: string;
  title: string | null;
}

function scopeWhere(sql: Sql, scope: ReextractScope, missing: string | null) {
  return sql`
    d.duplicate_of is null
    ${scope.since ? sql`and coalesce(d.published_at, d.first_seen_at) >= ${scope.since}` : sql``}
    ${scope.until ? sql`and coalesce(d.published_at, d.first_seen_at) < ${scope.until}` : sql``}
    ${scope.sourceId ? sql`and d.source_id = ${scope.sourceId}` : sql``}
    ${
      missing
        ? sql`and not exists (select 1 from extractions e where e.rule_set = ${missing}
                              and e.document_id = d.id and e.content_hash = d.content_hash)`
        : sql``
    }`;
}

/** How many documents a scope holds; with `missing`, only those that rule set has not extracted as they are. */
export async function countScope(
  sql: Sql,
  scope: ReextractScope,
  missing: string | null = null,
): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from documents d where ${scopeWhere(sql, scope, missing)}`;
  return row?.n ?? 0;
}

/**
 * The next `limit` documents of a scope after id `after`, by id; with `missing`, only those that rule set has
 * not extracted at their current content.
 */
export async function scopePage(
  sql: Sql,
  scope: ReextractScope,
  page: { after: number; limit: number; missing?: string | null },
): Promise<ScopedDocument[]> {
  return sql<ScopedDocument[]>`
    select d.id, d.content_hash as "contentHash", d.title from documents d
    where ${scopeWhere(sql, scope, page.missing ?? null)} and d.id > ${page.after}
    order by d.id limit ${page.limit}`;
}

/** What one rule set stored for some documents, in the shape a comparison needs. */
export interface ExtractionRows {
  /** Mentions per document and entity. */
  mentions: { documentId: number; entity: string; count: number }[];
  announcements: {
    documentId: number;
    type: string;
    subject: string;
    objects: string[];
    version: string | null;
    evidence: string;
  }[];
}

/** The mentions (counted per entity) and announcements a rule set stored for these documents. */
export async function extractionRows(
  sql: Sql,
  ruleSet: string,
  ids: readonly number[],
): Promise<ExtractionRows> {
  const list = sql.array(ids as number[]);
  const mentions = await sql<ExtractionRows['mentions']>`
    select document_id as "documentId", entity_id as entity, count(*)::int as count from mentions
    where rule_set = ${ruleSet} and document_id = any(${list}::bigint[])
    group by document_id, entity_id`;
  const announcements = await sql<ExtractionRows['announcements']>`
    select document_id as "documentId", type, subject, objects, version, evidence from announcements
    where rule_set = ${ruleSet} and document_id = any(${list}::bigint[])
    order by document_id, field, evidence_start`;
  return { mentions: [...mentions], announcements: [...announcements] };
}
