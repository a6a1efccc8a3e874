import { createHash } from 'node:crypto';
import type { FeedItem, ParsedFeed } from '@frameline/core';
import { htmlToText } from '@frameline/parse';
import type { ArticleMode, DocumentInput } from '@frameline/store';

/**
 * The natural key of an item within its source: the feed's id, else its link, else a hash of what identifies
 * it (title, date, summary). Never the position in the feed, which shifts as items are added.
 */
export function itemGuid(item: FeedItem): string {
  if (item.id?.trim()) return item.id.trim();
  if (item.link?.trim()) return item.link.trim();
  const h = createHash('sha256');
  for (const part of [item.title, item.published, item.updated, item.summary, item.content])
    h.update(`${part}\u0001`);
  return `sha256-${h.digest('hex').slice(0, 32)}`;
}

/** Query parameters that only track the click, not the page. */
const TRACKING_PARAM = /^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid|ref|ref_src|igshid|_hsenc|_hsmi)$/i;

/**
 * A URL normalised so the same page linked from two sources compares equal: no fragment, no tracking
 * parameters, lower-case host, no default port. Null when it is not an http(s) URL.
 */
export function canonicalizeUrl(raw: string | null): string | null {
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  url.hash = '';
  for (const key of [...url.searchParams.keys()]) if (TRACKING_PARAM.test(key)) url.searchParams.delete(key);
  url.searchParams.sort();
  if (url.pathname.length > 1 && url.pathname.endsWith('/')) url.pathname = url.pathname.slice(0, -1);
  return url.toString();
}

/** Map a parsed item to the document the store keeps. A missing date stays missing. */
export function toDocumentInput(item: FeedItem, format: ParsedFeed['format']): DocumentInput {
  const html = item.content ?? item.summary ?? null;
  const authors = item.authors.map((a) => a.name ?? a.email).filter((a): a is string => Boolean(a));
  const publishedFrom = item.published ? `${format}:published` : item.updated ? `${format}:updated` : null;
  return {
    guid: itemGuid(item),
    kind: format === 'ical' ? 'event' : 'item',
    url: item.link,
    canonicalUrl: canonicalizeUrl(item.link),
    title: item.title,
    author: authors.length > 0 ? authors.join(', ') : null,
    publishedAt: item.published ?? item.updated,
    publishedFrom,
    updatedAt: item.updated,
    updatedFrom: item.updated ? `${format}:updated` : null,
    html,
    text: html ? htmlToText(html) : '',
  };
}

/** When an item was published (else last updated), in ms since 1970; null when its feed dates it not at all. */
export function itemTime(item: FeedItem): number | null {
  const date = item.published ?? item.updated;
  return date ? Date.parse(date) : null;
}

/** A feed text this short, with no full content, is a teaser: the article is on the linked page. */
export const SUMMARY_ONLY_CHARS = 1_500;

/**
 * Whether to fetch an item's linked page. `auto` does so when the feed gives no full content and its summary
 * is short (or ends in an ellipsis or "read more"), which is how teaser feeds look. `text` is the item's
 * text as stored (toDocumentInput's), which without content is its summary's text.
 */
export function wantsArticle(
  item: FeedItem,
  format: ParsedFeed['format'],
  mode: ArticleMode,
  text: string,
): boolean {
  if (mode === 'never' || !item.link || !/^https?:/i.test(item.link)) return false;
  if (format === 'ical' || format === 'sitemap') return false;
  if (mode === 'always') return true;
  if (item.content?.trim()) return false;
  const teaser = text.trim();
  return (
    teaser.length < SUMMARY_ONLY_CHARS || /(…|\.\.\.|\[…\]|read more|continue reading)\s*$/i.test(teaser)
  );
}
