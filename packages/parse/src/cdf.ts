import type { FeedItem, ParsedFeed } from '@frameline/core';
import { parseDate } from './dates.js';
import { nonEmpty, titleText } from './text.js';
import { baseOf, childElements, resolveUrl, textOf, type XmlElement } from './xml-tree.js';

function childText(el: XmlElement, local: string): string | null {
  const child = childElements(el, local)[0];
  return child ? nonEmpty(textOf(child)) : null;
}

/** Maps Microsoft's Channel Definition Format (`<CHANNEL HREF>` with `<ITEM HREF>`s), which feedparser reads as `cdf`. */
export function mapCdf(root: XmlElement, url: string | null): ParsedFeed {
  const items: FeedItem[] = childElements(root, 'item').map((item) => {
    const link = resolveUrl(item.attrs.href, baseOf(item, url));
    return {
      id: null,
      title: titleText(childText(item, 'title'), false),
      link,
      published: null,
      updated: parseDate(item.attrs.lastmod),
      summary: childText(item, 'abstract'),
      content: null,
      authors: [],
    };
  });
  return {
    format: 'rss',
    version: 'cdf',
    title: titleText(childText(root, 'title'), false),
    link: resolveUrl(root.attrs.href, baseOf(root, url)),
    description: childText(root, 'abstract'),
    items,
  };
}
