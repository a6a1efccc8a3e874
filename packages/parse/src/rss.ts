import type { Author, FeedItem, ParsedFeed } from '@frameline/core';
import { atomConstruct, pick, RSS_CORE, rssHtml } from './constructs.js';
import { parseDate } from './dates.js';
import { NS } from './namespaces.js';
import { nonEmpty, parseAuthor, titleText } from './text.js';
import {
  baseOf,
  childElements,
  hasElementChildren,
  resolveUrl,
  textOf,
  type XmlElement,
} from './xml-tree.js';

const ATOM = [NS.atom10, NS.atom03];

/** The last parsable date among children matching `names` (later values overwrite earlier ones). */
function lastDate(el: XmlElement, names: readonly (readonly [string, readonly string[]])[]): string | null {
  let found: string | null = null;
  for (const child of el.children) {
    if (typeof child === 'string') continue;
    if (!names.some(([local, ns]) => child.local === local && ns.includes(child.ns))) continue;
    const parsed = parseDate(textOf(child));
    if (parsed) found = parsed;
  }
  return found;
}

function linkOf(el: XmlElement, url: string | null): string | null {
  const link = pick(el, 'link', RSS_CORE, true);
  const text = link ? nonEmpty(textOf(link)) : null;
  if (link && text) return resolveUrl(text, baseOf(link, url));
  // Some channels give the link as an attribute (CDF-style) or only as <atom:link rel="alternate">.
  if (link?.attrs.href) return resolveUrl(link.attrs.href, baseOf(link, url));
  for (const atomLink of childElements(el, 'link')) {
    if (!ATOM.includes(atomLink.ns as (typeof ATOM)[number])) continue;
    if ((atomLink.attrs.rel ?? 'alternate').toLowerCase() !== 'alternate') continue;
    return resolveUrl(atomLink.attrs.href, baseOf(atomLink, url));
  }
  return null;
}

function authorsOf(item: XmlElement): Author[] {
  const out: Author[] = [];
  const seen = new Set<string>();
  const add = (author: Author | null) => {
    if (!author) return;
    const key = `${author.name ?? ''}\u0000${author.email ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(author);
  };
  for (const child of item.children) {
    if (typeof child === 'string') continue;
    const isRssAuthor = child.local === 'author' && RSS_CORE.includes(child.ns);
    const isDc =
      (child.local === 'creator' || child.local === 'author') &&
      (child.ns === NS.dc || child.ns === NS.dcterms);
    const isItunes = child.local === 'author' && child.ns === NS.itunes;
    if (isRssAuthor && hasElementChildren(child)) {
      const name = pick(child, 'name', [...RSS_CORE, ...ATOM]);
      const email = pick(child, 'email', [...RSS_CORE, ...ATOM]);
      add({ name: name ? nonEmpty(textOf(name)) : null, email: email ? nonEmpty(textOf(email)) : null });
    } else if (isRssAuthor || isDc || isItunes) add(parseAuthor(textOf(child)));
  }
  return out;
}

function contentOf(item: XmlElement, url: string | null): string | null {
  for (const child of item.children) {
    if (typeof child === 'string') continue;
    if (child.local === 'encoded' && child.ns === NS.content) return nonEmpty(rssHtml(child, url));
    if (child.local === 'body' && child.ns === NS.xhtml) return nonEmpty(rssHtml(child, url));
    if ((child.local === 'fullitem' || child.local === 'body') && RSS_CORE.includes(child.ns))
      return nonEmpty(rssHtml(child, url));
    if (child.local === 'content' && ATOM.includes(child.ns as (typeof ATOM)[number]))
      return nonEmpty(atomConstruct(child, child.ns === NS.atom10 ? 'atom10' : 'atom03', url).value);
  }
  return null;
}

function mapItem(item: XmlElement, url: string | null): FeedItem {
  const guid = pick(item, 'guid', RSS_CORE, true);
  const guidText = guid ? nonEmpty(textOf(guid)) : null;
  const identifier = pick(item, 'identifier', [NS.dc]);
  const about = item.attrs['rdf:about'] ?? null;
  let link = linkOf(item, url);
  // RSS 2.0: a guid is a permalink unless it says otherwise; feedparser uses it as the link when none is given.
  if (!link && guid && guidText && (guid.attrs.ispermalink ?? 'true').toLowerCase() !== 'false') {
    if (/^https?:\/\//i.test(guidText)) link = guidText;
  }
  const titleEl =
    pick(item, 'title', RSS_CORE, true) ?? pick(item, 'title', [NS.dc]) ?? pick(item, 'title', [NS.media]);
  const descriptionEl =
    pick(item, 'description', RSS_CORE, true) ??
    pick(item, 'description', [NS.dc]) ??
    pick(item, 'summary', [NS.itunes]) ??
    pick(item, 'description', [NS.media]);
  const dcDate = lastDate(item, [['date', [NS.dc]]]);
  const published = lastDate(item, [
    ['pubdate', RSS_CORE],
    ['issued', [NS.dcterms]],
    ['published', ATOM],
  ]);
  const updated = lastDate(item, [
    ['date', [NS.dc]],
    ['modified', [NS.dcterms]],
    ['updated', ATOM],
    ['lastmod', RSS_CORE],
  ]);
  return {
    id: guidText ?? (identifier ? nonEmpty(textOf(identifier)) : null) ?? nonEmpty(about),
    title: titleEl ? titleText(textOf(titleEl), false) : null,
    link,
    // RSS 1.0 feeds date items only with dc:date; it is their publication date.
    published: published ?? dcDate,
    updated,
    summary: descriptionEl ? nonEmpty(rssHtml(descriptionEl, url)) : null,
    content: contentOf(item, url),
    authors: authorsOf(item),
  };
}

function rssVersion(root: XmlElement, doctype: string | null): string {
  if (root.local === 'rdf') {
    const channel = pick(root, 'channel', [NS.rss090]);
    const item = pick(root, 'item', [NS.rss090]);
    return channel || item || root.attrs.xmlns === NS.rss090 ? 'rss090' : 'rss10';
  }
  const version = (root.attrs.version ?? '').trim();
  if (version.startsWith('2')) return 'rss20';
  if (version === '0.91') return doctype && /netscape/i.test(doctype) ? 'rss091n' : 'rss091u';
  if (version === '0.92') return 'rss092';
  if (version === '0.93') return 'rss093';
  if (version === '0.94') return 'rss094';
  if (version === '0.90' || version === '0.9') return 'rss090';
  return 'rss';
}

/** Maps an RSS 0.9x/2.0 (`<rss>`) or RDF (`<rdf:RDF>`, RSS 1.0/0.90) document to a parsed feed. */
export function mapRss(root: XmlElement, doctype: string | null, url: string | null): ParsedFeed {
  const channel = pick(root, 'channel', RSS_CORE) ?? root;
  const items = [
    ...childElements(channel, 'item'),
    ...(channel === root ? [] : childElements(root, 'item')),
  ].filter((i) => RSS_CORE.includes(i.ns));
  const titleEl = pick(channel, 'title', RSS_CORE, true) ?? pick(channel, 'title', [NS.dc]);
  const descriptionEl =
    pick(channel, 'description', RSS_CORE, true) ??
    pick(channel, 'description', [NS.dc]) ??
    pick(channel, 'subtitle', ATOM) ??
    pick(channel, 'subtitle', [NS.itunes]) ??
    pick(channel, 'summary', [NS.itunes]);
  const version = rssVersion(root, doctype);
  return {
    format: root.local === 'rdf' ? 'rdf' : 'rss',
    version,
    title: titleEl ? titleText(textOf(titleEl), false) : null,
    link: linkOf(channel, url),
    description: descriptionEl ? nonEmpty(rssHtml(descriptionEl, url)) : null,
    ttlMinutes: ttlMinutes(channel),
    items: items.map((item) => mapItem(item, url)),
  };
}

const SY_PERIOD_MINUTES: Record<string, number> = {
  hourly: 60,
  daily: 1_440,
  weekly: 10_080,
  monthly: 43_200,
  yearly: 525_600,
};

/**
 * The channel's own caching advice in minutes: `<ttl>` (RSS 2.0), else `sy:updatePeriod` divided by
 * `sy:updateFrequency` (RSS 1.0's syndication module, which WordPress writes). Nonsense values are ignored.
 */
function ttlMinutes(channel: XmlElement): number | null {
  const ttl = pick(channel, 'ttl', RSS_CORE);
  if (ttl) {
    const minutes = Number(textOf(ttl).trim());
    if (Number.isFinite(minutes) && minutes > 0) return minutes;
  }
  const period = pick(channel, 'updateperiod', [NS.sy]);
  if (!period) return null;
  const perPeriod = SY_PERIOD_MINUTES[textOf(period).trim().toLowerCase()];
  const frequencyEl = pick(channel, 'updatefrequency', [NS.sy]);
  const frequency = frequencyEl ? Number(textOf(frequencyEl).trim()) : 1;
  if (perPeriod === undefined || !Number.isFinite(frequency) || frequency < 1) return null;
  return perPeriod / frequency;
}
