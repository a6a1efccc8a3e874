// Page metadata: title, byline, published date (with where it came from) and canonical URL, from
// JSON-LD, <meta> tags (Open Graph, Dublin Core, Parse.ly, article:*), <link> and <time> elements.
import { parseDate } from '@frameline/parse';
import { type JsonLdArticle, readJsonLd } from './json-ld.js';
import type { PageScan } from './scan.js';
import { textSimilarity } from './similarity.js';
import { cleanDocumentTitle, stripSiteName } from './title.js';

export interface PageMetadata {
  canonicalUrl: string | null;
  title: string | null;
  /** From JSON-LD or meta tags only; the caller falls back to a byline element in the body. */
  byline: string | null;
  published: string | null;
  publishedFrom: string | null;
}

function first(metas: Map<string, string>, keys: readonly string[]): string | null {
  for (const k of keys) {
    const v = metas.get(k);
    if (v) return v;
  }
  return null;
}

const norm = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** Resolves `href` against `base`; null when it cannot be made absolute. */
export function absoluteUrl(href: string | null | undefined, base: string | null): string | null {
  if (!href) return null;
  try {
    const u = new URL(href.trim(), base ?? undefined);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

// Dublin Core first: sites that bother with it tend to put the plain headline there.
const TITLE_KEYS = [
  'dc:title',
  'dcterm:title',
  'dc.title',
  'og:title',
  'twitter:title',
  'parsely-title',
  'title',
];
const AUTHOR_KEYS = [
  'dc:creator',
  'dcterm:creator',
  'dc.creator',
  'author',
  'parsely-author',
  'sailthru.author',
  'byl',
  'article:author',
];
const DATE_KEYS = [
  'article:published_time',
  'og:published_time',
  'datepublished',
  'parsely-pub-date',
  'sailthru.date',
  'pubdate',
  'publishdate',
  'publish-date',
  'publication_date',
  'dc.date.issued',
  'dcterms.issued',
  'dc.date',
  'dcterms.created',
  'date',
];

/** Byline from JSON-LD or meta tags. */
function bylineFrom(json: JsonLdArticle | null, metas: Map<string, string>): string | null {
  if (json && json.authors.length > 0) return norm([...new Set(json.authors)].join(', '));
  const meta = first(metas, AUTHOR_KEYS);
  // article:author is often a profile URL rather than a name.
  if (meta && !/^https?:\/\//.test(meta)) return norm(meta);
  return null;
}

function publishedFrom(
  json: JsonLdArticle | null,
  scan: PageScan,
): { published: string | null; from: string | null } {
  const fromJson = parseDate(json?.datePublished);
  if (fromJson) return { published: fromJson, from: 'json-ld' };
  for (const k of DATE_KEYS) {
    const v = parseDate(scan.metas.get(k));
    if (v) return { published: v, from: `meta:${k}` };
  }
  for (const raw of [scan.timePublished, scan.timeFirst]) {
    const v = parseDate(raw);
    if (v) return { published: v, from: 'time-element' };
  }
  return { published: null, from: null };
}

/** JSON-LD headline or name, whichever is closer to the document title when both are given. */
function jsonLdTitle(json: JsonLdArticle | null, docTitle: string): string | null {
  const headline = json?.headline ? norm(json.headline) : null;
  const name = json?.name ? norm(json.name) : null;
  if (headline && name && headline !== name) {
    return textSimilarity(name, docTitle) > textSimilarity(headline, docTitle) ? name : headline;
  }
  return headline ?? name;
}

/** Reads the page's metadata from a scan of the document (taken before the body is cleaned). */
export function readMetadata(scan: PageScan, url: string | null): PageMetadata {
  const { metas } = scan;
  const json = readJsonLd(scan.jsonLd);
  const base = absoluteUrl(scan.baseHref, url) ?? url;
  const docTitle = scan.title;
  const siteName = metas.get('og:site_name') ?? null;
  let title = jsonLdTitle(json, docTitle);
  if (!title) {
    const meta = first(metas, TITLE_KEYS);
    title = meta ? stripSiteName(norm(meta), siteName) : null;
  }
  if (!title && docTitle) title = stripSiteName(cleanDocumentTitle(docTitle, scan.headings), siteName);
  if (!title) title = scan.firstH1 || null;
  const canonical =
    absoluteUrl(scan.canonicalHref, base) ??
    absoluteUrl(metas.get('og:url'), base) ??
    absoluteUrl(json?.url, base);
  const date = publishedFrom(json, scan);
  return {
    canonicalUrl: canonical,
    title,
    byline: bylineFrom(json, metas),
    published: date.published,
    publishedFrom: date.from,
  };
}
