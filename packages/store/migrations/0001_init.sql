-- frameline schema, version 1. Forward-only: a merged migration is never edited; add 0002_... instead.

-- A source is something we poll: a feed, an HTML page with selectors, a calendar, a sitemap.
create table sources (
  id              bigint generated always as identity primary key,
  url             text not null unique,
  kind            text not null default 'feed' check (kind in ('feed', 'html', 'ical', 'sitemap')),
  name            text,
  tags            text[] not null default '{}',
  selectors       jsonb,
  -- Fetch the linked page of items: 'auto' when the feed carries only a short summary, or always, or never.
  article_mode    text not null default 'auto' check (article_mode in ('auto', 'always', 'never')),
  poll_interval_s integer not null default 3600 check (poll_interval_s >= 60),
  etag            text,
  last_modified   text,
  next_fetch_at   timestamptz not null default now(),
  last_fetched_at timestamptz,
  last_ok_at      timestamptz,
  error_count     integer not null default 0,
  last_error_code text,
  last_error      text,
  last_error_at   timestamptz,
  paused_at       timestamptz,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now()
);
create index sources_due on sources (next_fetch_at) where paused_at is null;

-- Every fetch made for a source, successful or not. The body of the last fetches is kept so the parse stage
-- (possibly on another machine) reads it from here instead of through Redis.
create table fetches (
  id            bigint generated always as identity primary key,
  source_id     bigint not null references sources (id) on delete cascade,
  crawl_id      text,
  url           text not null,
  started_at    timestamptz not null default now(),
  duration_ms   integer,
  status        integer,
  not_modified  boolean not null default false,
  bytes         integer,
  content_type  text,
  etag          text,
  last_modified text,
  body          bytea,
  error_code    text,
  error         text,
  items_total   integer,
  items_new     integer,
  items_updated integer,
  parsed_at     timestamptz
);
create index fetches_source on fetches (source_id, started_at desc);
create index fetches_crawl on fetches (crawl_id) where crawl_id is not null;

-- One document per item of a source. (source_id, guid) is the natural key; guid falls back to the link, then
-- to a hash of title and date when a feed gives no id. Every date says where it came from; first_seen_at is
-- our own clock. content_hash covers what the feed says (it decides "changed"); text_hash covers only the
-- normalised text and, with canonical_url, finds the same story carried by another source (duplicate_of).
create table documents (
  id                 bigint generated always as identity primary key,
  source_id          bigint not null references sources (id) on delete cascade,
  guid               text not null,
  kind               text not null default 'item' check (kind in ('item', 'event')),
  url                text,
  canonical_url      text,
  title              text,
  author             text,
  published_at       timestamptz,
  published_from     text,
  updated_at         timestamptz,
  updated_from       text,
  first_seen_at      timestamptz not null default now(),
  last_changed_at    timestamptz not null default now(),
  first_crawl_id     text,
  changed_crawl_id   text,
  html               text,
  text               text not null default '',
  content_hash       text not null,
  text_hash          text,
  duplicate_of       bigint references documents (id) on delete set null,
  article_html       text,
  article_text       text,
  article_hash       text,
  article_fetched_at timestamptz,
  article_error      text,
  extracted_hash     text,
  extracted_rule_set text,
  extracted_at       timestamptz,
  unique (source_id, guid)
);
create index documents_canonical_url on documents (canonical_url) where canonical_url is not null;
create index documents_text_hash on documents (text_hash) where text_hash is not null;
create index documents_published on documents (published_at);

-- A rule set's version is the hash of its content.
create table rule_sets (
  version    text primary key,
  name       text not null,
  created_at timestamptz not null default now()
);

create table entities (
  id         text primary key,
  name       text not null,
  kind       text not null,
  parent     text,
  updated_at timestamptz not null default now()
);

-- A document has one current extraction: extracting it again replaces its mentions and announcements.
create table mentions (
  id          bigint generated always as identity primary key,
  document_id bigint not null references documents (id) on delete cascade,
  entity_id   text not null references entities (id),
  rule_set    text not null references rule_sets (version),
  field       text not null check (field in ('title', 'text', 'article')),
  start_pos   integer not null,
  end_pos     integer not null,
  surface     text not null,
  unique (document_id, field, start_pos, entity_id)
);
create index mentions_entity on mentions (entity_id);

create table announcements (
  id             bigint generated always as identity primary key,
  document_id    bigint not null references documents (id) on delete cascade,
  rule_set       text not null references rule_sets (version),
  rule           text not null,
  type           text not null,
  subject        text not null references entities (id),
  objects        text[] not null default '{}',
  version        text,
  stage          text,
  field          text not null check (field in ('title', 'text', 'article')),
  evidence       text not null,
  evidence_start integer not null,
  evidence_end   integer not null,
  unique (document_id, field, evidence_start, type, subject, objects, rule)
);
create index announcements_subject on announcements (subject);
create index announcements_objects on announcements using gin (objects);
create index announcements_type on announcements (type);

-- The timeline: every announcement with the date of the document it came from. A missing published date falls
-- back to when we first saw the document, and the row says which date it used.
create view timeline as
select a.id,
       coalesce(d.published_at, d.first_seen_at) as at,
       d.published_at is null as date_is_first_seen,
       a.type, a.subject, a.objects, a.version, a.stage, a.rule, a.rule_set,
       a.evidence, a.evidence_start, a.evidence_end, a.field,
       d.id as document_id, d.title as document_title, coalesce(d.canonical_url, d.url) as document_url,
       s.id as source_id, coalesce(s.name, s.url) as source_name
from announcements a
join documents d on d.id = a.document_id
join sources s on s.id = d.source_id
where d.duplicate_of is null;
