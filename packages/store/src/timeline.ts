import type { Sql } from './connect.js';

export interface TimelineQuery {
  entity?: string | null;
  type?: string | null;
  since?: Date | null;
  until?: Date | null;
  limit?: number;
  /** Read this rule set's extractions ("as of" a rule set); by default each document's current one. */
  ruleSet?: string | null;
}

export interface TimelineEvidence {
  documentId: number;
  title: string | null;
  url: string | null;
  source: string;
  at: string;
  sentence: string;
}

/** One deduplicated timeline entry: the same announcement reported by several documents is one row. */
export interface TimelineEntry {
  at: Date;
  dateIsFirstSeen: boolean;
  type: string;
  subject: string;
  subjectName: string;
  objects: string[];
  objectNames: string[];
  version: string | null;
  stage: string | null;
  documents: number;
  evidence: TimelineEvidence[];
}

/** Resolve an entity given by id or by name (any case) to its id. */
export async function resolveEntity(sql: Sql, idOrName: string): Promise<string | null> {
  const [row] = await sql<{ id: string }[]>`
    select id from entities where id = ${idOrName} or lower(name) = lower(${idOrName})
    order by (id = ${idOrName}) desc limit 1`;
  return row?.id ?? null;
}

/** Types whose objects are part of what is announced ("AWS supports PyTorch" differs from "AWS supports JAX"). */
const OBJECT_KEYED_TYPES = ['support', 'partnership', 'acquisition', 'roadmap'];

/**
 * The timeline, newest first. Reports of the same announcement by several documents are one entry, dated by
 * the earliest, with up to five pieces of evidence. The same announcement means the same type, subject,
 * version and stage, and, for types where the objects are what is announced, the same objects; for the
 * others (a release, an event, a program...) the objects of all reports are merged.
 */
export async function queryTimeline(sql: Sql, q: TimelineQuery): Promise<TimelineEntry[]> {
  const entity = q.entity ?? null;
  return sql<TimelineEntry[]>`
    with family as (
      select id from entities where id = ${entity} or parent = ${entity}
      union select ${entity}::text
    ), matching as (
      select t.*,
             case when t.type = any(${sql.array(OBJECT_KEYED_TYPES)}) then t.objects else '{}'::text[] end as key_objects
      from timeline t
      where ${q.ruleSet ? sql`t.rule_set = ${q.ruleSet}` : sql`t.current`}
        ${
          entity
            ? // The entity and its versions and variants ("pytorch" also means "pytorch-1.0").
              sql`and (t.subject in (select id from family) or t.objects && array(select id from family))`
            : sql``
        }
        ${q.type ? sql`and t.type = ${q.type}` : sql``}
        ${q.since ? sql`and t.at >= ${q.since}` : sql``}
        ${q.until ? sql`and t.at < ${q.until}` : sql``}
    ), grouped as (
      select m.type, m.subject, m.key_objects, m.version, m.stage,
             min(m.at) as at,
             bool_and(m.date_is_first_seen) as "dateIsFirstSeen",
             count(distinct m.document_id)::int as documents,
             -- jsonb, since array_agg cannot collect arrays of different lengths
             array(select distinct o from jsonb_array_elements(jsonb_agg(to_jsonb(m.objects))) a,
                                          jsonb_array_elements_text(a) o order by o) as objects,
             (jsonb_agg(jsonb_build_object(
                'documentId', m.document_id, 'title', m.document_title, 'url', m.document_url,
                'source', m.source_name, 'at', m.at, 'sentence', m.evidence) order by m.at, m.id)) as evidence
      from matching m
      group by m.type, m.subject, m.key_objects, m.version, m.stage
    )
    select g.at, g."dateIsFirstSeen", g.type, g.subject, coalesce(e.name, g.subject) as "subjectName",
           g.objects,
           array(select coalesce((select name from entities where id = o), o) from unnest(g.objects) o)
             as "objectNames",
           g.version, g.stage, g.documents,
           (select jsonb_agg(x) from (select x from jsonb_array_elements(g.evidence) x limit 5) y) as evidence
    from grouped g left join entities e on e.id = g.subject
    order by g.at desc, g.type, g.subject
    limit ${q.limit ?? 50}`;
}
