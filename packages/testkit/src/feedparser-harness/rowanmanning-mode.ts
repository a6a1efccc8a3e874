import type { Author, FeedItem, ParsedFeed } from '@frameline/core';
import { nonEmpty, titleText } from '@frameline/parse';
import { parseFeed } from '@rowanmanning/feed-parser';

/**
 * @rowanmanning/feed-parser 2 (`parseFeed(text)`) mapped into `ParsedFeed`. Its documented `Feed`/`FeedItem`
 * getters already are the shape we want (it picks the elements, resolves URLs against xml:base and the feed's
 * link, reads dates with JavaScript's `Date`, splits author strings, lets entries inherit the feed's authors),
 * so the mapping renames fields: `url` → link, `description` → summary, `meta` → format and version.
 * Its getters do their work when read, so each is read once, and mapping is part of its parse time.
 */
type RowanFeed = ReturnType<typeof parseFeed>;
type RowanItem = RowanFeed['items'][number];
type FeedAuthor = RowanItem['authors'][number];

/** A `Date` to ISO 8601 UTC without milliseconds (our shape). */
function isoOf(d: Date | null): string | null {
  return d && !Number.isNaN(d.getTime()) ? d.toISOString().replace('.000Z', 'Z') : null;
}

function author(a: FeedAuthor): Author | null {
  const name = nonEmpty(a.name);
  const email = nonEmpty(a.email);
  return name || email ? { name, email } : null;
}

/**
 * `meta` as feedparser's version names (our `version`): its `0.9` covers RSS 0.90 to 0.94 under `<rss>`, which
 * feedparser tells apart, so that one stays unknown.
 */
function versionOf(meta: RowanFeed['meta']): string | null {
  const key = `${meta.type}/${meta.version ?? ''}`;
  const names: Record<string, string> = {
    'atom/1.0': 'atom10',
    'atom/0.3': 'atom03',
    'rss/2.0': 'rss20',
    'rdf/1.0': 'rss10',
    'rdf/0.9': 'rss090',
  };
  return names[key] ?? null;
}

function mapItem(item: RowanItem): FeedItem {
  return {
    id: nonEmpty(item.id),
    title: titleText(nonEmpty(item.title), false),
    link: nonEmpty(item.url),
    published: isoOf(item.published),
    updated: isoOf(item.updated),
    summary: nonEmpty(item.description),
    content: nonEmpty(item.content),
    authors: item.authors.map(author).filter((a): a is Author => a !== null),
  };
}

/** @rowanmanning/feed-parser's result in our shape. */
export function rowanmanningToParsedFeed(feed: RowanFeed): ParsedFeed {
  const { meta } = feed;
  return {
    format: meta.type === 'atom' ? 'atom' : meta.type === 'rdf' ? 'rdf' : 'rss',
    version: versionOf(meta),
    title: titleText(nonEmpty(feed.title), false),
    link: nonEmpty(feed.url),
    description: nonEmpty(feed.description),
    items: feed.items.map(mapItem),
  };
}

/** Parses decoded text with @rowanmanning/feed-parser and maps the result. */
export function parseWithRowanmanning(text: string): ParsedFeed {
  return rowanmanningToParsedFeed(parseFeed(text));
}
