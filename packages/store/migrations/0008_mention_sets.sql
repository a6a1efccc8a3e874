-- frameline schema, version 8: one mentions row per entity and field of a document, not per occurrence.
--
-- A 5 KB news text names about 120 things, mostly the same dozen again and again; a row per occurrence made a
-- re-extraction write 120 rows a document, and Postgres spent more time on them than the tagger did. A row
-- now holds every place one entity occurs in one field of a document for one rule set: the UTF-16 offsets
-- of each occurrence (`starts`, `ends`, in order). The words themselves are the field's text at those
-- offsets, so they are no longer copied. Counting occurrences is `cardinality(starts)`; counting documents is
-- unchanged. The natural key is the primary key: it also serves deleting a document's rows for a rule set.
create table mention_sets (
  document_id bigint not null references documents (id) on delete cascade,
  rule_set    text not null,
  field       text not null check (field in ('title', 'text', 'article')),
  entity_id   text not null,
  rule        text not null check (rule in ('entity', 'new-name')),
  starts      integer[] not null,
  ends        integer[] not null check (cardinality(ends) = cardinality(starts)),
  primary key (document_id, rule_set, field, entity_id)
);
insert into mention_sets (document_id, rule_set, field, entity_id, rule, starts, ends)
select document_id, rule_set, field, entity_id, min(rule),
       array_agg(start_pos order by start_pos, end_pos), array_agg(end_pos order by start_pos, end_pos)
from mentions
group by document_id, rule_set, field, entity_id;
drop table mentions;
alter table mention_sets rename to mentions;
create index mentions_entity on mentions (entity_id);
create index mentions_new_names on mentions (entity_id) where rule = 'new-name';
