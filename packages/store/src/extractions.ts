import type { ExtractResult } from '@frameline/core';
import type { Sql } from './connect.js';

/** Which text of a document a mention or announcement is in: its title, its feed text, or its page's article. */
export type Field = 'title' | 'text' | 'article';

export interface EntityDef {
  id: string;
  name: string;
  kind: string;
  parent: string | null;
}

/** Record a rule set and its entities; idempotent, so every worker may call it at start. */
export async function registerRuleSet(
  sql: Sql,
  ruleSet: { version: string; name: string; entities: readonly EntityDef[] },
): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`insert into rule_sets (version, name) values (${ruleSet.version}, ${ruleSet.name}) on conflict do nothing`;
    const rows = ruleSet.entities.map((e) => ({ id: e.id, name: e.name, kind: e.kind, parent: e.parent }));
    for (let i = 0; i < rows.length; i += 1000) {
      await tx`
        insert into entities ${tx(rows.slice(i, i + 1000))}
        on conflict (id) do update set name = excluded.name, kind = excluded.kind, parent = excluded.parent,
                                       updated_at = now()
        where (entities.name, entities.kind, entities.parent) is distinct from
              (excluded.name, excluded.kind, excluded.parent)`;
    }
  });
}

/**
 * Replace a document's mentions and announcements with those of one extraction, in one transaction.
 * If the document changed after the extraction was computed (another parse stored newer content), or was
 * found to duplicate another source's document, nothing is written and `false` is returned.
 * `newNames` are the ids of entities the rule set does not list (found as new names): they are recorded in
 * `entities` on first sight, and their mentions with the rule `new-name`, every other mention with `entity`.
 */
export async function replaceExtraction(
  sql: Sql,
  doc: { id: number; contentHash: string; ruleSet: string; newNames: ReadonlySet<string> },
  fields: readonly { field: Field; result: ExtractResult }[],
): Promise<boolean> {
  return sql.begin(async (tx) => {
    // The row lock orders this against markDuplicatesOf: a document found to be a duplicate meanwhile keeps
    // no extraction.
    const [current] = await tx<{ contentHash: string; duplicateOf: number | null }[]>`
      select content_hash as "contentHash", duplicate_of as "duplicateOf" from documents where id = ${doc.id} for update`;
    if (!current || current.contentHash !== doc.contentHash || current.duplicateOf !== null) return false;
    await tx`delete from mentions where document_id = ${doc.id}`;
    await tx`delete from announcements where document_id = ${doc.id}`;
    const mentions = [];
    const announcements = [];
    for (const { field, result } of fields) {
      for (const entity of result.entities) {
        for (const m of entity.mentions) {
          mentions.push({
            document_id: doc.id,
            entity_id: entity.id,
            rule_set: doc.ruleSet,
            rule: doc.newNames.has(entity.id) ? 'new-name' : 'entity',
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
          rule_set: doc.ruleSet,
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
    // Names a release introduced ("Introducing Model Vault") and versions of known families ("PyTorch 1.0") are
    // recorded on first sight; entities the rule set lists were registered with it and are not touched here.
    // (A variant, "PyTorch 1.0", keeps its family as parent so that queries for the family find it.)
    const named = new Map<string, { id: string; name: string; kind: string; parent: string | null }>();
    for (const { result } of fields) {
      for (const e of result.entities) {
        if (doc.newNames.has(e.id))
          named.set(e.id, { id: e.id, name: e.name, kind: e.kind, parent: e.parent ?? null });
      }
    }
    if (named.size > 0) {
      await tx`insert into entities ${tx([...named.values()])} on conflict (id) do nothing`;
    }
    for (let i = 0; i < mentions.length; i += 1000) {
      await tx`insert into mentions ${tx(mentions.slice(i, i + 1000))} on conflict do nothing`;
    }
    for (let i = 0; i < announcements.length; i += 500) {
      await tx`insert into announcements ${tx(announcements.slice(i, i + 500))} on conflict do nothing`;
    }
    await tx`
      update documents set extracted_hash = ${doc.contentHash}, extracted_rule_set = ${doc.ruleSet},
                           extracted_at = now()
      where id = ${doc.id}`;
    return true;
  });
}
