-- frameline schema, version 4: a document keeps one extraction per rule set, and one rule set is active.
--
-- Re-extracting with new rules writes a second extraction beside the first instead of replacing it, so the
-- timeline keeps reading the previous one until the new one is complete; making the new rule set active is
-- one transaction. `documents.current_rule_set` is the extraction the timeline reads for each document: the
-- active rule set's when the document has one, else the one it was last extracted with (a document crawled by
-- a worker still running older rules is not hidden). Queries can also ask for one rule set ("as of").

create table extractions (
  document_id  bigint not null references documents (id) on delete cascade,
  rule_set     text not null references rule_sets (version),
  -- The document's content hash the extraction was made from: a changed document is extracted again.
  content_hash text not null,
  extracted_at timestamptz not null default now(),
  primary key (rule_set, document_id)
);
create index extractions_document on extractions (document_id);

insert into extractions (document_id, rule_set, content_hash, extracted_at)
select id, extracted_rule_set, extracted_hash, coalesce(extracted_at, now()) from documents
where extracted_rule_set is not null and extracted_hash is not null;

-- The rules' own texts (a list of {file, text}), so a worker on another machine can build a rule set it was
-- not started with; and when a rule set was made the active one (the latest activation wins).
alter table rule_sets add column files jsonb;
alter table rule_sets add column activated_at timestamptz;
update rule_sets set activated_at = now()
where version = (select extracted_rule_set from documents where extracted_rule_set is not null
                 order by extracted_at desc nulls last limit 1);

alter table documents add column current_rule_set text references rule_sets (version);
update documents set current_rule_set = extracted_rule_set where extracted_rule_set is not null;
alter table documents drop column extracted_hash, drop column extracted_rule_set, drop column extracted_at;

-- Mentions and announcements are per rule set now.
alter table mentions drop constraint if exists mentions_document_id_field_start_pos_entity_id_key;
alter table mentions add constraint mentions_per_rule_set
  unique (document_id, rule_set, field, start_pos, entity_id);
alter table announcements drop constraint if exists announcements_document_id_field_evidence_start_type_subject_key;
alter table announcements add constraint announcements_per_rule_set
  unique (document_id, rule_set, field, evidence_start, type, subject, objects, rule);
create index announcements_document on announcements (document_id, rule_set);

-- The timeline reads each document's current extraction; `rule_set` lets a query ask for another one.
drop view timeline;
create view timeline as
select a.id,
       coalesce(d.published_at, d.first_seen_at) as at,
       d.published_at is null as date_is_first_seen,
       a.type, a.subject, a.objects, a.version, a.stage, a.rule, a.rule_set,
       a.rule_set = d.current_rule_set as current,
       a.evidence, a.evidence_start, a.evidence_end, a.field,
       d.id as document_id, d.title as document_title, coalesce(d.canonical_url, d.url) as document_url,
       s.id as source_id, coalesce(s.name, s.url) as source_name
from announcements a
join documents d on d.id = a.document_id
join sources s on s.id = d.source_id
where d.duplicate_of is null;
