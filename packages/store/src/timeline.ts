import type { Sql } from './connect.js';

export interface TimelineQuery {
  entity?: string | null;
  type?: string | null;
  since?: Date | null;
  until?: Date | null;
  limit?: number;
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

/**
 * The timeline, newest first. Announcements with the same type, subject, objects, version and stage are
 * grouped into one entry dated by their earliest document, with up to five pieces of evidence.
 */
export async function queryTimeline(sql: Sql, q: TimelineQuery): Promise<TimelineEntry[]> {
  const entity = q.entity ?? null;
  return sql<TimelineEntry[]>`
    with grouped as (
      select t.type, t.subject, t.objects, t.version, t.stage,
             min(t.at) as at,
             bool_and(t.date_is_first_seen) as "dateIsFirstSeen",
             count(distinct t.document_id)::int as documents,
             (jsonb_agg(jsonb_build_object(
                'documentId', t.document_id, 'title', t.document_title, 'url', t.document_url,
                'source', t.source_name, 'at', t.at, 'sentence', t.evidence) order by t.at, t.id)) as evidence
      from timeline t
      where true
        ${entity ? sql`and (t.subject = ${entity} or ${entity} = any(t.objects))` : sql``}
        ${q.type ? sql`and t.type = ${q.type}` : sql``}
        ${q.since ? sql`and t.at >= ${q.since}` : sql``}
        ${q.until ? sql`and t.at < ${q.until}` : sql``}
      group by t.type, t.subject, t.objects, t.version, t.stage
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
