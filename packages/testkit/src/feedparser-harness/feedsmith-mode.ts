import type { Author, FeedItem, ParsedFeed } from '@frameline/core';
import { nonEmpty, parseDate, titleText } from '@frameline/parse';
import { type AnyFeed, type AtomFeed, type JsonFeed, parseFeed, type RdfFeed, type RssFeed } from 'feedsmith';

/**
 * feedsmith 3 (`parseFeed(text, { parseDateFn })`) mapped into `ParsedFeed` as faithfully as its output allows.
 * feedsmith leaves dates as the strings the feed wrote and takes a date reader through its documented
 * `parseDateFn`; ours (`parseDate`, which stays whichever mapper is used) is passed there. Everything else is
 * feedsmith's own: which elements it reads, entity and CDATA decoding, the XHTML div unwrapped, namespaces
 * normalised by URI. The mapping only picks fields, in the order our mapper prefers the same elements.
 */
type Dated = string | null;
type Feed = AnyFeed<Dated>;
type AtomText = AtomFeed.Text | AtomFeed.Content;
type AtomLink = AtomFeed.Link<Dated>;
type AtomPerson = AtomFeed.Person;
type AtomEntry = AtomFeed.Entry<Dated>;

/** The last parsed date of a repeated element (a later value overwrites an earlier one, as in our mapper). */
function last(values: readonly Dated[] | undefined): string | null {
  return values?.filter((v): v is string => typeof v === 'string').at(-1) ?? null;
}

/** Whether an Atom text construct's `type` says markup (1.0 `html`/`xhtml`, 0.3 MIME types), as ours reads it. */
function isMarkup(type: string | undefined): boolean {
  const t = (type ?? '').trim().toLowerCase();
  return t === 'html' || t === 'xhtml' || t === 'text/html' || t.includes('xhtml') || t.endsWith('+xml');
}

function atomTitle(text: AtomFeed.Text | undefined): string | null {
  return text ? titleText(nonEmpty(text.value), isMarkup(text.type)) : null;
}

/** A text construct's value; content that only points elsewhere (`src`) has none. */
function atomValue(text: AtomText | undefined): string | null {
  return nonEmpty(text?.value);
}

/** The `alternate` link (or one without `rel`), preferring an HTML one, as our mapper picks it. */
function alternate(links: readonly AtomLink[] | undefined): string | null {
  let fallback: string | null = null;
  for (const link of links ?? []) {
    if ((link.rel ?? 'alternate').trim().toLowerCase() !== 'alternate') continue;
    const type = (link.type ?? '').toLowerCase();
    if (type === '' || type.includes('html')) return nonEmpty(link.href);
    fallback ??= nonEmpty(link.href);
  }
  return fallback;
}

function person(p: { name?: string; email?: string }): Author | null {
  const name = nonEmpty(p.name);
  const email = nonEmpty(p.email);
  return name || email ? { name, email } : null;
}

/** Persons in order, without repeats; a creator string feedsmith does not split stays one name. */
function people(persons: readonly { name?: string; email?: string }[], names: readonly string[]): Author[] {
  const out: Author[] = [];
  const seen = new Set<string>();
  const candidates = [...persons.map(person), ...names.map((n) => person({ name: n }))];
  for (const author of candidates) {
    if (!author) continue;
    const key = `${author.name ?? ''}\u0000${author.email ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(author);
  }
  return out;
}

type RssLikeItem = RssFeed.Item<Dated> | RdfFeed.Item<Dated>;

function rssItem(item: RssLikeItem): FeedItem {
  const rss: Partial<RssFeed.Item<Dated>> = item;
  const rdf: Partial<RdfFeed.Item<Dated>> = item;
  const atom = item.atom;
  return {
    id: nonEmpty(rss.guid?.value) ?? nonEmpty(item.dc?.identifiers?.[0]) ?? nonEmpty(rdf.rdf?.about),
    title: titleText(
      nonEmpty(item.title) ?? nonEmpty(item.dc?.titles?.[0]) ?? nonEmpty(item.media?.title?.value),
      false,
    ),
    link: nonEmpty(item.link) ?? alternate(atom?.links),
    published: rss.pubDate ?? last(item.dcterms?.issued) ?? atom?.published ?? last(item.dc?.dates) ?? null,
    updated: last(item.dc?.dates) ?? last(item.dcterms?.modified) ?? atom?.updated ?? null,
    summary:
      nonEmpty(item.description) ??
      nonEmpty(item.dc?.descriptions?.[0]) ??
      nonEmpty(rss.itunes?.summary) ??
      nonEmpty(item.media?.description?.value),
    content: nonEmpty(item.content?.encoded) ?? atomValue(atom?.content),
    authors: people(rss.authors ?? [], [
      ...(item.dc?.creators ?? []),
      ...(item.dcterms?.creators ?? []),
      ...(rss.itunes?.author ? [rss.itunes.author] : []),
    ]),
  };
}

function rssFeed(format: 'rss' | 'rdf', feed: RssFeed.Feed<Dated> | RdfFeed.Feed<Dated>): ParsedFeed {
  const rss: Partial<RssFeed.Feed<Dated>> = feed;
  const items: RssLikeItem[] = feed.items ?? [];
  return {
    format,
    version: null, // feedsmith names the format (rss, rdf) but not the version
    title: titleText(nonEmpty(feed.title) ?? nonEmpty(feed.dc?.titles?.[0]), false),
    link: nonEmpty(feed.link) ?? alternate(feed.atom?.links),
    description:
      nonEmpty(feed.description) ??
      nonEmpty(feed.dc?.descriptions?.[0]) ??
      atomValue(feed.atom?.subtitle) ??
      nonEmpty(rss.itunes?.subtitle) ??
      nonEmpty(rss.itunes?.summary),
    items: items.map(rssItem),
  };
}

function atomEntry(entry: AtomEntry, feedAuthors: readonly AtomPerson[]): FeedItem {
  const content = entry.content;
  const sourceAuthors = entry.source?.authors ?? [];
  const own = entry.authors?.length ? entry.authors : sourceAuthors.length ? sourceAuthors : [];
  const authors = people(own, entry.dc?.creators ?? []);
  return {
    id: nonEmpty(entry.id),
    title: atomTitle(entry.title),
    link: alternate(entry.links),
    published: entry.published ?? last(entry.dcterms?.issued),
    updated: entry.updated ?? last(entry.dcterms?.modified) ?? last(entry.dc?.dates),
    summary: atomValue(entry.summary),
    content: content?.src && !nonEmpty(content.value) ? null : atomValue(content),
    // An entry without authors inherits the feed's, as in our mapper (and RFC 4287 §4.2.1).
    authors: authors.length > 0 ? authors : people(feedAuthors, []),
  };
}

function atomFeed(feed: AtomFeed.Feed<Dated>): ParsedFeed {
  const authors = feed.authors ?? [];
  return {
    format: 'atom',
    version: null, // feedsmith reads Atom 0.3 and 1.0 alike and does not say which it read
    title: atomTitle(feed.title),
    link: alternate(feed.links),
    description: atomValue(feed.subtitle),
    items: (feed.entries ?? []).map((e) => atomEntry(e, authors)),
  };
}

function jsonFeed(feed: JsonFeed.Feed<Dated>): ParsedFeed {
  return {
    format: 'json',
    version: null,
    title: nonEmpty(feed.title),
    link: nonEmpty(feed.home_page_url),
    description: nonEmpty(feed.description),
    items: (feed.items ?? []).map((item) => ({
      id: nonEmpty(item.id),
      title: nonEmpty(item.title),
      link: nonEmpty(item.url) ?? nonEmpty(item.external_url),
      published: item.date_published ?? null,
      updated: item.date_modified ?? null,
      summary: nonEmpty(item.summary),
      content: nonEmpty(item.content_html) ?? nonEmpty(item.content_text),
      authors: people(item.authors ?? feed.authors ?? [], []),
    })),
  };
}

/** feedsmith's result in our shape. */
export function feedsmithToParsedFeed(out: Feed): ParsedFeed {
  switch (out.format) {
    case 'rss':
    case 'rdf':
      return rssFeed(out.format, out.feed);
    case 'atom':
      return atomFeed(out.feed);
    case 'json':
      return jsonFeed(out.feed);
  }
}

/** Parses decoded text with feedsmith (our `parseDate` as its `parseDateFn`) and maps the result. */
export function parseWithFeedsmith(text: string): ParsedFeed {
  return feedsmithToParsedFeed(parseFeed<Dated>(text, { parseDateFn: parseDate }));
}
