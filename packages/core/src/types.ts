/** Kinds of source frameline can poll. Later kinds (html pages, calendars, sitemaps) extend this union. */
export const SOURCE_KINDS = ['feed', 'html', 'ical', 'sitemap'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** When to fetch the linked page of an item: only for summary-only items, always, or never. */
export const ARTICLE_MODES = ['auto', 'always', 'never'] as const;
export type ArticleMode = (typeof ARTICLE_MODES)[number];

/** The pipeline's stages, in order; each is a queue. */
export const STAGES = ['fetch', 'parse', 'article', 'extract'] as const;
export type Stage = (typeof STAGES)[number];

/** Entity kinds the tagger knows. */
export const ENTITY_KINDS = [
  'framework',
  'library',
  'vendor',
  'product',
  'model',
  'event',
  'program',
] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

/** Announcement types the tagger can emit. */
export const ANNOUNCEMENT_TYPES = [
  'release',
  'support',
  'partnership',
  'event',
  'program',
  'roadmap',
  'acquisition',
  'funding',
  'deprecation',
  'research',
] as const;
export type AnnouncementType = (typeof ANNOUNCEMENT_TYPES)[number];

/** Release stages a version can carry. */
export const RELEASE_STAGES = ['alpha', 'beta', 'preview', 'rc', 'ga'] as const;
export type ReleaseStage = (typeof RELEASE_STAGES)[number];

/** A span of the input text; offsets are UTF-16 code units, `end` exclusive. */
export interface Span {
  start: number;
  end: number;
  text: string;
}

/** One entity found in a text, with every mention of it. */
export interface ExtractedEntity {
  id: string;
  name: string;
  kind: EntityKind;
  /** For a version or variant of a known family ("Llama 3.3 70B"): the family's id. */
  parent?: string;
  mentions: Span[];
}

/** One announcement found in a sentence of a text. `subject` and `objects` are entity ids. */
export interface ExtractedAnnouncement {
  type: AnnouncementType;
  subject: string;
  objects: string[];
  version: string | null;
  stage: ReleaseStage | null;
  evidence: Span;
  rule: string;
}

/** What the tagger returns for one text: the shape `frameline extract --json` prints. */
export interface ExtractResult {
  ruleSet: string;
  entities: ExtractedEntity[];
  announcements: ExtractedAnnouncement[];
}

/** A person credited on an item. */
export interface Author {
  name: string | null;
  email: string | null;
}

/** One entry parsed out of a feed. Dates are ISO 8601 UTC strings or null, never invented. */
export interface FeedItem {
  id: string | null;
  title: string | null;
  link: string | null;
  published: string | null;
  updated: string | null;
  summary: string | null;
  content: string | null;
  authors: Author[];
}

/** A parsed feed: what `frameline parse --json` prints for a file that parsed. */
export interface ParsedFeed {
  format: 'rss' | 'atom' | 'json' | 'rdf' | 'html' | 'ical' | 'sitemap';
  version: string | null;
  title: string | null;
  link: string | null;
  description: string | null;
  /**
   * How many minutes the feed says it may be cached before being fetched again: RSS `<ttl>`, or the
   * syndication module's `sy:updatePeriod`/`sy:updateFrequency`. Absent when it says nothing.
   */
  ttlMinutes?: number | null;
  items: FeedItem[];
}
