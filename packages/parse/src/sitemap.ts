import type { FeedItem, ParsedFeed } from '@frameline/core';
import { parseDate } from './dates.js';
import { nonEmpty } from './text.js';
import { baseOf, childElements, resolveUrl, textOf, type XmlElement } from './xml-tree.js';

const NEWS_NS = 'http://www.google.com/schemas/sitemap-news/0.9';

function childText(el: XmlElement, local: string, ns?: string): string | null {
  const child = childElements(el, local, ns)[0];
  return child ? nonEmpty(textOf(child)) : null;
}

/**
 * Maps an XML sitemap (`<urlset>`) or sitemap index (`<sitemapindex>`): each `<url>`/`<sitemap>` becomes an
 * item whose link and id are its `<loc>` and whose `updated` is its `<lastmod>`. Google News sitemaps also
 * give a title and a publication date.
 */
export function mapSitemap(root: XmlElement, url: string | null): ParsedFeed {
  const isIndex = root.local === 'sitemapindex';
  const items: FeedItem[] = [];
  for (const entry of childElements(root, isIndex ? 'sitemap' : 'url')) {
    const loc = resolveUrl(childText(entry, 'loc'), baseOf(entry, url));
    if (!loc) continue;
    const news = childElements(entry, 'news', NEWS_NS)[0];
    items.push({
      id: loc,
      title: news ? childText(news, 'title', NEWS_NS) : null,
      link: loc,
      published: news ? parseDate(childText(news, 'publication_date', NEWS_NS)) : null,
      updated: parseDate(childText(entry, 'lastmod')),
      summary: null,
      content: null,
      authors: [],
    });
  }
  return {
    format: 'sitemap',
    version: isIndex ? 'sitemapindex' : 'sitemap',
    title: null,
    link: url,
    description: null,
    items,
  };
}
