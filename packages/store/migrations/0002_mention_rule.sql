-- frameline schema, version 2: which rule produced each mention.
--
-- 'entity': a name the rule set lists (the entity's own entry is the rule, `entity_id` says which);
-- 'new-name': a name the rule set does not list, found where a release introduces it ("Introducing Model
-- Vault"; see the `new_name_*` lists of the rules file). Mentions stored before this migration were all of
-- the first kind.
alter table mentions add column rule text not null default 'entity' check (rule in ('entity', 'new-name'));
create index mentions_new_names on mentions (entity_id) where rule = 'new-name';
