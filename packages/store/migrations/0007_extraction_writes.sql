-- frameline schema, version 7: extraction results written at batch speed.
--
-- Mentions and announcements are derived rows, written only by `replaceExtractions`, and there are many of
-- them (a short news item gives a dozen). Their foreign keys to `entities` and `rule_sets` cost Postgres a
-- locking lookup per key per row, which measured as a third of the database's work in a crawl. Both hold by
-- construction instead: a rule set is registered before anything is extracted with it, and the new names an
-- extraction found are stored, and committed, before its mentions. The foreign key to `documents` stays: it
-- removes a document's results with the document.
alter table mentions drop constraint if exists mentions_entity_id_fkey;
alter table mentions drop constraint if exists mentions_rule_set_fkey;
alter table announcements drop constraint if exists announcements_subject_fkey;
alter table announcements drop constraint if exists announcements_rule_set_fkey;

-- The unique keys of both tables served only `on conflict do nothing`, a speculative insertion per row; the
-- writer now drops repeated rows itself (it replaces a document's rows for a rule set under the document's
-- row lock, so no other writer interleaves). Deleting a document's rows needs only (document_id, rule_set).
alter table mentions drop constraint if exists mentions_per_rule_set;
create index if not exists mentions_document on mentions (document_id, rule_set);
alter table announcements drop constraint if exists announcements_per_rule_set;
