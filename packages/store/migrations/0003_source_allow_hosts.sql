-- frameline schema, version 3: hosts a source may fetch even though they resolve to private addresses.
--
-- The per-source counterpart of FRAMELINE_ALLOW_HOSTS. It travels with the source, so every worker process
-- honours it, and it lifts the SSRF guard for that source's fetches only (its feed, the pages its items
-- link to, and their robots.txt). `crawl --demo` marks its local sample feeds with 127.0.0.1.
alter table sources add column allow_hosts text[] not null default '{}';
