import { type Author, type FeedItem, type ParsedFeed, PermanentError } from '@frameline/core';
import { parseDate } from './dates.js';
import { nonEmpty, parseAuthor, titleText } from './text.js';
import { resolveUrl } from './xml-tree.js';

type Json = Record<string, unknown>;

function str(value: unknown): string | null {
  if (typeof value === 'string') return nonEmpty(value);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function authorsOf(container: Json): Author[] {
  const list: unknown[] = Array.isArray(container.authors)
    ? container.authors
    : container.author
      ? [container.author]
      : [];
  const out: Author[] = [];
  for (const entry of list) {
    if (typeof entry === 'string') {
      const author = parseAuthor(entry);
      if (author) out.push(author);
      continue;
    }
    if (!isObject(entry)) continue;
    const name = str(entry.name);
    const url = str(entry.url);
    const email = url?.toLowerCase().startsWith('mailto:') ? url.slice(7) : (str(entry.email) ?? null);
    if (name || email) out.push({ name, email });
  }
  return out;
}

function jsonVersion(version: string): string | null {
  if (/jsonfeed\.org\/version\/1\.1/.test(version)) return 'json11';
  if (/jsonfeed\.org\/version\/1(?:\.0)?\/?$/.test(version)) return 'json1';
  return /jsonfeed\.org\/version\//.test(version) ? 'json' : null;
}

/** Maps a parsed JSON Feed 1.0/1.1 document; throws PermanentError for JSON that is not a JSON Feed. */
export function mapJsonFeed(doc: unknown, url: string | null): ParsedFeed {
  if (!isObject(doc))
    throw new PermanentError('unparsable_feed', 'got JSON that is not a JSON Feed (not an object)');
  const version = typeof doc.version === 'string' ? jsonVersion(doc.version) : null;
  if (!version || !Array.isArray(doc.items)) {
    throw new PermanentError(
      'unparsable_feed',
      'got JSON that is not a JSON Feed (no "version": "https://jsonfeed.org/version/1.x" and "items" array)',
    );
  }
  const base = str(doc.feed_url) ?? url;
  const feedAuthors = authorsOf(doc);
  const items: FeedItem[] = doc.items.filter(isObject).map((item) => {
    const html = str(item.content_html);
    const text = str(item.content_text);
    const authors = authorsOf(item);
    return {
      id: str(item.id),
      title: titleText(str(item.title), false),
      link: resolveUrl(str(item.url) ?? str(item.external_url), base),
      published: parseDate(str(item.date_published)),
      updated: parseDate(str(item.date_modified)),
      summary: str(item.summary),
      content: html ?? text,
      authors: authors.length > 0 ? authors : feedAuthors,
    };
  });
  return {
    format: 'json',
    version,
    title: titleText(str(doc.title), false),
    link: resolveUrl(str(doc.home_page_url), base),
    description: str(doc.description),
    items,
  };
}
