import type { Sql } from './connect.js';

export interface MindshareQuery {
  /** Entity kind to rank (e.g. framework); null for all kinds. */
  kind?: string | null;
  /** Only these entity ids. */
  entities?: string[] | null;
  bucket: 'week' | 'month' | 'quarter' | 'year';
  since?: Date | null;
  until?: Date | null;
  /** The top N entities by documents over the whole range. */
  top?: number;
  /** Read this rule set's extractions ("as of" a rule set); by default each document's current one. */
  ruleSet?: string | null;
}

export interface MindshareRow {
  period: Date;
  entity: string;
  name: string;
  /** Documents (not mentions) that name the entity in the period: one post shouting a name ten times is one. */
  documents: number;
  /** Share of all documents in the period that name any entity of the chosen kind. */
  share: number;
}

/**
 * Mentions over time: per period, how many documents name each entity, and its share of the documents naming
 * any entity of the kind. Versions and variants found by the tagger count for their family. Duplicates of another source's document are not counted; a document is dated by its
 * published date, else by when it was first seen.
 */
export async function queryMindshare(sql: Sql, q: MindshareQuery): Promise<MindshareRow[]> {
  const kind = q.kind ?? null;
  const ids = q.entities ?? null;
  return sql<MindshareRow[]>`
    with hits as (
      -- A version or variant the tagger found ("PyTorch 1.0", rule new-name, with its family as parent) counts
      -- for its family: a post about PyTorch 1.0 names PyTorch.
      select distinct date_trunc(${q.bucket}, coalesce(d.published_at, d.first_seen_at)) as period,
             case when m.rule = 'new-name' and e.parent is not null then e.parent else m.entity_id end as entity,
             d.id as document_id
      from mentions m
      join documents d on d.id = m.document_id and d.duplicate_of is null
        and m.rule_set = ${q.ruleSet ? sql`${q.ruleSet}` : sql`d.current_rule_set`}
      join entities e on e.id = m.entity_id
      where true
        ${kind ? sql`and e.kind = ${kind}` : sql``}
        ${ids ? sql`and (e.id = any(${sql.array(ids)}::text[]) or (m.rule = 'new-name' and e.parent = any(${sql.array(ids)}::text[])))` : sql``}
        ${q.since ? sql`and coalesce(d.published_at, d.first_seen_at) >= ${q.since}` : sql``}
        ${q.until ? sql`and coalesce(d.published_at, d.first_seen_at) < ${q.until}` : sql``}
    ), top as (
      select entity from hits group by entity order by count(distinct document_id) desc, entity limit ${q.top ?? 10}
    ), totals as (
      select period, count(distinct document_id)::int as n from hits group by period
    )
    select h.period, h.entity, e.name, count(distinct h.document_id)::int as documents,
           round(count(distinct h.document_id)::numeric / t.n, 4)::float8 as share
    from hits h join top using (entity) join totals t using (period) join entities e on e.id = h.entity
    group by h.period, h.entity, e.name, t.n
    order by h.period, documents desc, h.entity`;
}
