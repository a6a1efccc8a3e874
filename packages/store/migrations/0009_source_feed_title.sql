-- The title a source's feed gives itself, as last parsed: what a source is called when it was added without a
-- name, and who publishes its entries when their titles are only versions ("v2.4.0" under "JAX releases").
alter table sources add column feed_title text;
