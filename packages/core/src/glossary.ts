/**
 * The words frameline uses everywhere: in code, SQL, CLI output and docs.
 *
 * - source:       a feed or page we poll (RSS/Atom/JSON Feed URL, an HTML page with selectors, a calendar).
 * - fetch:        one HTTP request made for a source, successful or not; every one is recorded.
 * - item:         one entry parsed out of a fetched source (an RSS item, an Atom entry, a calendar event).
 * - document:     the stored form of an item: one row per (source, guid), updated in place when it changes.
 * - entity:       a thing the tagger knows: a framework, library, vendor, product, model, event or program.
 * - mention:      one place an entity's surface form occurs in a document field, with UTF-16 offsets
 *                 (stored as one row per document, field and entity, holding every occurrence's offsets).
 * - announcement: a typed statement found in one sentence (release, support, partnership, ...),
 *                 with its subject and objects (entities), evidence sentence and the rule that found it.
 * - rule set:     a versioned bundle of entity and announcement rules; its version is its content hash.
 * - stage:        one step of the pipeline: fetch → parse → extract → store.
 * - job:          one unit of work for one stage, with a deterministic id so re-enqueueing is idempotent.
 * - timeline:     announcements ordered by the date of the document they came from.
 */
export const GLOSSARY_TERMS = [
  'source',
  'fetch',
  'item',
  'document',
  'entity',
  'mention',
  'announcement',
  'rule set',
  'stage',
  'job',
  'timeline',
] as const;
