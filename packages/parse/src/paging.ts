import { decodeBody } from './decode.js';
import { baseOf, childElements, parseXml, resolveUrl, textOf, type XmlElement } from './xml-tree.js';

const ATOM_NS = 'http://www.w3.org/2005/Atom';

/** How a feed leads to its older entries, for reading a site's history. */
export interface FeedPaging {
  /** RFC 5005 archived feeds: the archive document before this one (`prev-archive`). */
  prevArchive: string | null;
  /** RFC 5005 paged feeds (and JSON Feed's `next_url`): the next, older page. */
  next: string | null;
  /** The feed says it is made by WordPress, whose feeds page with `?paged=N`. */
  wordpress: boolean;
}

const NONE: FeedPaging = { prevArchive: null, next: null, wordpress: false };

/**
 * The paging links of a feed body: feed-level `<link rel="prev-archive|next">` (Atom, or atom:link inside an
 * RSS channel) resolved against xml:base and the feed's URL, JSON Feed's `next_url`, and whether its generator
 * is WordPress. A body that is not a feed has no paging.
 */
export function feedPaging(bytes: Uint8Array, contentType: string | null, url: string | null): FeedPaging {
  const { text } = decodeBody(bytes, contentType);
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) return jsonFeedPaging(trimmed, url);
  let root: XmlElement | null;
  try {
    root = parseXml(text).root;
  } catch {
    return NONE;
  }
  if (!root) return NONE;
  const feedLevel = root.local === 'rss' || root.local === 'rdf' ? childElements(root, 'channel')[0] : root;
  if (!feedLevel) return NONE;
  const links = childElements(feedLevel, 'link').filter((l) => l.ns === ATOM_NS || root.ns === ATOM_NS);
  const linkTo = (rel: string) => {
    const link = links.find((l) => (l.attrs.rel ?? '').trim().toLowerCase() === rel);
    return link ? resolveUrl(link.attrs.href, baseOf(link, url)) : null;
  };
  const generator = childElements(feedLevel, 'generator')[0];
  const generatorText = generator ? `${textOf(generator)} ${generator.attrs.uri ?? ''}` : '';
  return {
    prevArchive: linkTo('prev-archive'),
    next: linkTo('next'),
    wordpress: /wordpress/i.test(generatorText),
  };
}

function jsonFeedPaging(text: string, url: string | null): FeedPaging {
  try {
    const feed = JSON.parse(text) as { next_url?: unknown };
    const next = typeof feed.next_url === 'string' ? resolveUrl(feed.next_url, url) : null;
    return { ...NONE, next };
  } catch {
    return NONE;
  }
}

/** The WordPress page of a feed URL: `?paged=N` (page 1 is the feed itself). */
export function wordpressPage(feedUrl: string, page: number): string {
  const u = new URL(feedUrl);
  u.searchParams.set('paged', String(page));
  return u.toString();
}
