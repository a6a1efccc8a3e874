import { createHash } from 'node:crypto';
import type { FeedItem } from '@frameline/core';
import type { DocumentInput } from '@frameline/store';
import { htmlToText } from '@frameline/tag';

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

/** Map a parsed item to the document the store keeps. A missing date stays missing. */
export function toDocumentInput(item: FeedItem): DocumentInput {
  const html = item.content ?? item.summary ?? null;
  const authors = item.authors.map((a) => a.name ?? a.email).filter((a): a is string => Boolean(a));
  const publishedFrom = item.published ? 'feed:published' : item.updated ? 'feed:updated' : null;
  return {
    guid: itemGuid(item),
    url: item.link,
    canonicalUrl: null,
    title: item.title,
    author: authors.length > 0 ? authors.join(', ') : null,
    publishedAt: item.published ?? item.updated,
    publishedFrom,
    updatedAt: item.updated,
    html,
    text: html ? htmlToText(html) : '',
  };
}
