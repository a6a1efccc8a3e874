-- frameline schema, version 5: polling that adapts to each source.
--
-- A source added without an interval polls as often as it posts (`adaptive`): its interval follows the
-- number of documents it published over the last week, clamped (by default 15 minutes to a day). A source
-- given an interval keeps it. `fresh_until` is how long the server said its answer stays fresh
-- (Cache-Control max-age, Expires): no poll is made before then.
alter table sources add column adaptive boolean not null default true;
alter table sources add column fresh_until timestamptz;
