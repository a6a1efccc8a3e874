import type { ExtractResult } from '@frameline/core';
import { OID, type Queryable, type Sql } from './connect.js';

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

/** The query of the active rule set's version (the latest activation wins), for use inside a statement. */
export function activeVersion(sql: Queryable) {
  return sql`select version from rule_sets where activated_at is not null order by activated_at desc, version limit 1`;
}

/** The version of the active rule set (the one whose extractions the timeline reads), or null before any. */
export async function activeRuleSet(sql: Queryable): Promise<string | null> {
  const [row] = await sql<{ version: string }[]>`${activeVersion(sql)}`;
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
 *
 * The round trips are few whatever the batch holds: the new names are stored first, on their own; then, in
 * the transaction, the documents are locked and checked, and every write follows in one pipelined batch whose
 * statements have fixed texts (rows travel as one array per column), so each is prepared once per connection.
 */
export async function replaceExtractions(
  sql: Sql,
  ruleSet: string,
  docs: readonly DocumentExtraction[],
): Promise<number[]> {
  if (docs.length === 0) return [];
  await storeNewNames(sql, docs);
  return sql.begin(async (tx) => {
    // The row locks order this against markDuplicatesOf and against a parse storing newer content.
    const ids = docs.map((d) => d.id);
    const current = await tx<{ id: number; contentHash: string; duplicateOf: number | null }[]>`
      select id, content_hash as "contentHash", duplicate_of as "duplicateOf" from documents
      where id = any(${tx.array(ids)}::bigint[]) order by id for update`;
    const hashOf = new Map(current.filter((r) => r.duplicateOf === null).map((r) => [r.id, r.contentHash]));
    const valid = docs.filter((d) => hashOf.get(d.id) === d.contentHash);
    if (valid.length === 0) return [];
    const validIds = tx.array(valid.map((d) => d.id));
    const hashes = tx.array(valid.map((d) => d.contentHash));
    const { mentions: m, announcements: a } = resultColumns(valid);
    const text = (values: (string | null)[]) => tx.array(values, OID.text);
    const ints = (values: number[]) => tx.array(values, OID.int4);
    const bigints = (values: number[]) => tx.array(values, OID.int8);
    await Promise.all([
      tx`delete from mentions where rule_set = ${ruleSet} and document_id = any(${validIds}::bigint[])`,
      tx`delete from announcements where rule_set = ${ruleSet} and document_id = any(${validIds}::bigint[])`,
      tx`
        insert into mentions (document_id, rule_set, field, entity_id, rule, starts, ends)
        select m.document_id, ${ruleSet}, m.field, m.entity_id, m.rule, m.starts::int[], m.ends::int[]
        from unnest(${bigints(m.document)}::bigint[], ${text(m.field)}::text[], ${text(m.entity)}::text[],
                    ${text(m.rule)}::text[], ${text(m.starts)}::text[], ${text(m.ends)}::text[])
          as m(document_id, field, entity_id, rule, starts, ends)`,
      tx`
        insert into announcements (document_id, rule_set, rule, type, subject, objects, version, stage, field,
                                   evidence, evidence_start, evidence_end)
        select a.document_id, ${ruleSet}, a.rule, a.type, a.subject, string_to_array(a.objects, chr(31)),
               a.version, a.stage, a.field, a.evidence, a.evidence_start, a.evidence_end
        from unnest(${bigints(a.document)}::bigint[], ${text(a.rule)}::text[], ${text(a.type)}::text[],
                    ${text(a.subject)}::text[], ${text(a.objects)}::text[], ${text(a.version)}::text[],
                    ${text(a.stage)}::text[], ${text(a.field)}::text[], ${text(a.evidence)}::text[],
                    ${ints(a.start)}::int[], ${ints(a.end)}::int[])
          as a(document_id, rule, type, subject, objects, version, stage, field, evidence, evidence_start,
               evidence_end)`,
      tx`
        insert into extractions (document_id, rule_set, content_hash)
        select unnest(${validIds}::bigint[]), ${ruleSet}, unnest(${hashes}::text[])
        on conflict (rule_set, document_id) do update set content_hash = excluded.content_hash,
                                                          extracted_at = now()`,
      tx`
        update documents set current_rule_set = ${ruleSet}
        where id = any(${validIds}::bigint[])
          and (current_rule_set is null
               or (current_rule_set <> ${ruleSet}
                   and ${ruleSet} = (${activeVersion(tx)})))`,
    ]);
    return valid.map((d) => d.id);
  });
}

/**
 * Record the names an extraction found that its rule set does not list ("Introducing Model Vault"), and the
 * versions of known families ("PyTorch 1.0", kept with its family as parent so that queries for the family find
 * it), on first sight; entities the rule set lists were registered with it and are not touched. This runs
 * before, and outside, the transaction that writes the mentions: a name two batches find at once then costs
 * neither a wait on the other's transaction, and in id order no deadlock.
 */
async function storeNewNames(sql: Sql, docs: readonly DocumentExtraction[]): Promise<void> {
  const named = new Map<string, EntityDef>();
  for (const doc of docs) {
    for (const { result } of doc.fields) {
      for (const e of result.entities) {
        if (doc.newNames.has(e.id) && !named.has(e.id)) {
          named.set(e.id, { id: e.id, name: e.name, kind: e.kind, parent: e.parent ?? null });
        }
      }
    }
  }
  if (named.size === 0) return;
  const rows = [...named.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const text = (values: (string | null)[]) => sql.array(values, OID.text);
  await sql`
    insert into entities (id, name, kind, parent)
    select * from unnest(${text(rows.map((e) => e.id))}::text[], ${text(rows.map((e) => e.name))}::text[],
                         ${text(rows.map((e) => e.kind))}::text[], ${text(rows.map((e) => e.parent))}::text[])
    on conflict (id) do nothing`;
}

/** Joins an announcement's objects into one array element (entity ids never hold it). */
const OBJECTS_SEPARATOR = String.fromCharCode(31);

/**
 * The mention and announcement rows of documents' results as columns, one array per column: the batch
 * statements take them through `unnest`, so their texts do not depend on how many rows there are. Mentions are
 * one row per document, field and entity, holding the offsets of every occurrence; an announcement is kept once
 * per document, field, evidence start, type, subject, objects and rule.
 */
function resultColumns(docs: readonly DocumentExtraction[]) {
  const m = {
    document: [] as number[],
    field: [] as string[],
    entity: [] as string[],
    rule: [] as string[],
    /** Each row's offsets as an array literal ("{3,40}"): unnest cannot take an array of arrays. */
    starts: [] as string[],
    ends: [] as string[],
  };
  const a = {
    document: [] as number[],
    rule: [] as string[],
    type: [] as string[],
    subject: [] as string[],
    objects: [] as string[],
    version: [] as (string | null)[],
    stage: [] as (string | null)[],
    field: [] as string[],
    evidence: [] as string[],
    start: [] as number[],
    end: [] as number[],
  };
  for (const doc of docs) {
    const seen = new Set<string>();
    // One row per field and entity: the offsets of its occurrences, in order, each once.
    const spans = new Map<string, { field: Field; entity: string; at: Map<number, number> }>();
    for (const { field, result } of doc.fields) {
      for (const entity of result.entities) {
        const key = `${field}\u0000${entity.id}`;
        let row = spans.get(key);
        if (!row) {
          row = { field, entity: entity.id, at: new Map() };
          spans.set(key, row);
        }
        for (const mention of entity.mentions) row.at.set(mention.start, mention.end);
      }
    }
    for (const row of spans.values()) {
      if (row.at.size === 0) continue;
      const starts = [...row.at.keys()].sort((x, y) => x - y);
      m.document.push(doc.id);
      m.field.push(row.field);
      m.entity.push(row.entity);
      m.rule.push(doc.newNames.has(row.entity) ? 'new-name' : 'entity');
      m.starts.push(`{${starts.join(',')}}`);
      m.ends.push(`{${starts.map((x) => row.at.get(x)).join(',')}}`);
    }
    for (const { field, result } of doc.fields) {
      for (const ann of result.announcements) {
        const objects = ann.objects.join(OBJECTS_SEPARATOR);
        const key = [field, ann.evidence.start, ann.type, ann.subject, objects, ann.rule].join('\u0000');
        if (seen.has(key)) continue;
        seen.add(key);
        a.document.push(doc.id);
        a.rule.push(ann.rule);
        a.type.push(ann.type);
        a.subject.push(ann.subject);
        a.objects.push(objects);
        a.version.push(ann.version);
        a.stage.push(ann.stage);
        a.field.push(field);
        a.evidence.push(ann.evidence.text);
        a.start.push(ann.evidence.start);
        a.end.push(ann.evidence.end);
      }
    }
  }
  return { mentions: m, announcements: a };
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
    select document_id as "documentId", entity_id as entity, sum(cardinality(starts))::int as count from mentions
    where rule_set = ${ruleSet} and document_id = any(${list}::bigint[])
    group by document_id, entity_id`;
  const announcements = await sql<ExtractionRows['announcements']>`
    select document_id as "documentId", type, subject, objects, version, evidence from announcements
    where rule_set = ${ruleSet} and document_id = any(${list}::bigint[])
    order by document_id, field, evidence_start`;
  return { mentions: [...mentions], announcements: [...announcements] };
}
