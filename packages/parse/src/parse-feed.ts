import { gunzipSync } from 'node:zlib';
import { type ParsedFeed, PermanentError } from '@frameline/core';
import { mapAtom } from './atom.js';
import { mapCdf } from './cdf.js';
import { decodeBody, repairDoubleEncoded } from './decode.js';
import { discoverFeeds } from './discover.js';
import { type HtmlSelectors, mapHtmlPage } from './html-page.js';
import { mapICalendar } from './ical.js';
import { mapJsonFeed } from './json-feed.js';
import { NS } from './namespaces.js';
import { mapRss } from './rss.js';
import { mapSitemap } from './sitemap.js';
import { parseXml, type XmlElement } from './xml-tree.js';

/** What the caller knows about the bytes: where they came from and how they were served. */
export interface ParseMeta {
  /** The URL the body was fetched from: the base for relative links. */
  url?: string;
  /** The response's Content-Type header, charset included. */
  contentType?: string | null;
  /** For HTML sources: how to find items on the page. */
  selectors?: HtmlSelectors;
}

function unparsable(message: string): PermanentError {
  return new PermanentError('unparsable_feed', message);
}

function snippet(text: string): string {
  const flat = text.trim().replace(/\s+/g, ' ').slice(0, 40);
  return JSON.stringify(flat);
}

function atomVersion(root: XmlElement): string {
  if (root.ns === NS.atom10) return 'atom10';
  if (root.ns !== NS.atom03) return 'atom';
  const version = (root.attrs.version ?? '').trim();
  return version === '0.1' ? 'atom01' : version === '0.2' ? 'atom02' : 'atom03';
}

function htmlPageError(text: string, url: string | null): PermanentError {
  const feeds = discoverFeeds(text, url ?? 'http://invalid.invalid/').map((f) => f.url);
  const title = /<title[^>]*>([^<]{0,80})/i.exec(text)?.[1]?.trim();
  const named = title ? ` ("${title}")` : '';
  const hint =
    feeds.length > 0
      ? `; it links to ${feeds.length === 1 ? 'a feed' : 'feeds'}: ${feeds.slice(0, 3).join(', ')}`
      : "; give the source HTML selectors or point it at the site's feed";
  return unparsable(`got an HTML page${named}, not a feed${hint}`);
}

function mapXml(text: string, meta: ParseMeta, url: string | null): ParsedFeed {
  const { root, doctype } = parseXml(text);
  if (!root) throw unparsable(`got text with no XML element, not a feed (starts with ${snippet(text)})`);
  switch (root.local) {
    case 'rss':
    case 'rdf':
      return mapRss(root, doctype, url);
    case 'feed':
      return mapAtom(root, atomVersion(root), url);
    case 'channel':
      return root.ns === '' && root.children.length > 0 ? mapCdf(root, url) : mapRss(root, doctype, url);
    case 'urlset':
    case 'sitemapindex':
      return mapSitemap(root, url);
    case 'html':
      if (meta.selectors) return mapHtmlPage(text, meta.selectors, url);
      throw htmlPageError(text, url);
    case 'opml':
      throw unparsable('got an OPML subscription list, not a feed; import it with `sources import`');
    default:
      throw unparsable(`got an XML document whose root element is <${root.name}>, not a feed`);
  }
}

/**
 * Parses a fetched body into a feed: RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed 1.0/1.1, iCalendar, XML
 * sitemaps, and HTML pages when `meta.selectors` is given. The format is sniffed from the body, not trusted
 * from the Content-Type (which is often wrong). Throws `PermanentError('unparsable_feed')` saying what it got
 * when the body is not a feed.
 */
export async function parseFeed(bytes: Uint8Array, meta: ParseMeta = {}): Promise<ParsedFeed> {
  return parseFeedSync(bytes, meta);
}

/** The synchronous body of {@link parseFeed}. */
export function parseFeedSync(bytes: Uint8Array, meta: ParseMeta = {}): ParsedFeed {
  if (bytes.length === 0) throw unparsable('got an empty body, not a feed');
  const body = gunzipIfNeeded(bytes);
  const { text, encoding } = decodeBody(body, meta.contentType);
  const feed = parseText(text, body.length, meta);
  return encoding === 'utf-8' ? repairFeed(feed) : feed;
}

/** Decompressed size limit for bodies that arrive still gzipped (servers that compress twice, `.gz` files). */
const MAX_GUNZIPPED = 64 * 1024 * 1024;

function gunzipIfNeeded(bytes: Uint8Array): Uint8Array {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: MAX_GUNZIPPED });
  } catch (err) {
    throw new PermanentError(
      'unparsable_feed',
      `got a gzip body that does not decompress: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}

/** Applies the double-encoding repair to every text a feed carries (feedparser does the same for UTF-8). */
function repairFeed(feed: ParsedFeed): ParsedFeed {
  const fix = (v: string | null) => (v === null ? null : repairDoubleEncoded(v));
  return {
    ...feed,
    title: fix(feed.title),
    description: fix(feed.description),
    items: feed.items.map((item) => ({
      ...item,
      title: fix(item.title),
      summary: fix(item.summary),
      content: fix(item.content),
      authors: item.authors.map((a) => ({ name: fix(a.name), email: a.email })),
    })),
  };
}

function parseText(decoded: string, byteLength: number, meta: ParseMeta): ParsedFeed {
  const url = meta.url ?? null;
  const text = decoded.replace(/^\uFEFF/, '');
  const head = text.trimStart();
  if (head === '') throw unparsable(`got a body of ${byteLength} bytes of whitespace, not a feed`);
  if (meta.selectors) return mapHtmlPage(text, meta.selectors, url);
  if (head.startsWith('{') || head.startsWith('[')) {
    let doc: unknown;
    try {
      doc = JSON.parse(head);
    } catch (err) {
      throw new PermanentError('unparsable_feed', `got JSON that does not parse: ${(err as Error).message}`, {
        cause: err,
      });
    }
    return mapJsonFeed(doc, url);
  }
  if (/^BEGIN:VCALENDAR/i.test(head)) return mapICalendar(head, url);
  if (head.startsWith('<')) {
    if (/^(?:<!--[\s\S]*?-->\s*)*<!doctype\s+html/i.test(head) || /^<html[\s>]/i.test(head)) {
      throw htmlPageError(text, url);
    }
    return mapXml(text, meta, url);
  }
  throw unparsable(
    `got ${byteLength} bytes that are not XML, JSON or iCalendar (starts with ${snippet(head)})`,
  );
}
