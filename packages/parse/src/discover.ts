import { load } from 'cheerio';
import { nonEmpty } from './text.js';
import { resolveUrl } from './xml-tree.js';

/** A feed a page links to. */
export interface DiscoveredFeed {
  url: string;
  title: string | null;
  type: string;
}

const FEED_TYPES = new Set([
  'application/rss+xml',
  'application/atom+xml',
  'application/feed+json',
  'application/json',
  'application/rdf+xml',
  'application/xml',
  'text/xml',
]);

/** Paths sites commonly serve feeds at, tried in this order when a page links to none. */
export const COMMON_FEED_PATHS: readonly string[] = [
  '/feed',
  '/rss.xml',
  '/atom.xml',
  '/feed.xml',
  '/index.xml',
  '/rss',
  '/feed/',
  '/rss/',
  '/atom',
  '/feeds/posts/default',
  '/blog/feed',
  '/blog/rss.xml',
  '/blog/atom.xml',
  '/feed.json',
  '/index.rss',
];

/**
 * The feeds an HTML page declares with `<link rel="alternate" type="…">` (RSS, Atom, JSON Feed), in document
 * order, resolved against `<base href>` and then `baseUrl`, without duplicates.
 */
export function discoverFeeds(html: string, baseUrl: string): DiscoveredFeed[] {
  const $ = load(html);
  const base = resolveUrl($('base[href]').first().attr('href'), baseUrl) ?? baseUrl;
  const out: DiscoveredFeed[] = [];
  const seen = new Set<string>();
  $('link[rel][href]').each((_, node) => {
    const el = $(node);
    const rels = (el.attr('rel') ?? '').toLowerCase().split(/\s+/);
    if (!rels.includes('alternate')) return;
    const type = (el.attr('type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!FEED_TYPES.has(type)) return;
    const url = resolveUrl(el.attr('href'), base);
    if (!url || seen.has(url)) return;
    seen.add(url);
    out.push({ url, title: nonEmpty(el.attr('title')), type });
  });
  return out;
}
