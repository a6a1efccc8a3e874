import type { Author, FeedItem, ParsedFeed } from '@frameline/core';
import { atomConstruct, pick } from './constructs.js';
import { parseDate } from './dates.js';
import { NS } from './namespaces.js';
import { nonEmpty, parseAuthor, titleText } from './text.js';
import { baseOf, childElements, resolveUrl, textOf, type XmlElement } from './xml-tree.js';

interface Ctx {
  ns: string[];
  version: 'atom10' | 'atom03';
  url: string | null;
}

function construct(el: XmlElement | null, ctx: Ctx) {
  return el ? atomConstruct(el, ctx.version, ctx.url) : null;
}

/** A link's target: its href, or (as some feeds write it) its text. */
function hrefOf(link: XmlElement): string | null {
  return link.attrs.href ?? nonEmpty(textOf(link));
}

/** The `alternate` link (or one without `rel`), preferring an HTML one, resolved against its xml:base. */
function alternateLink(el: XmlElement, ctx: Ctx): string | null {
  let fallback: XmlElement | null = null;
  for (const link of childElements(el, 'link')) {
    if (!ctx.ns.includes(link.ns)) continue;
    const rel = (link.attrs.rel ?? 'alternate').trim().toLowerCase();
    if (rel !== 'alternate') continue;
    const type = (link.attrs.type ?? '').toLowerCase();
    if (type === '' || type.includes('html')) return resolveUrl(hrefOf(link), baseOf(link, ctx.url));
    fallback ??= link;
  }
  return fallback ? resolveUrl(hrefOf(fallback), baseOf(fallback, ctx.url)) : null;
}

function persons(el: XmlElement, ctx: Ctx): Author[] {
  const out: Author[] = [];
  for (const person of childElements(el, 'author')) {
    if (!ctx.ns.includes(person.ns)) continue;
    const nameEl = pick(person, 'name', ctx.ns);
    const emailEl = pick(person, 'email', ctx.ns);
    if (!nameEl && !emailEl) {
      const loose = parseAuthor(textOf(person));
      if (loose) out.push(loose);
      continue;
    }
    const name = nameEl ? nonEmpty(textOf(nameEl)) : null;
    const email = emailEl ? nonEmpty(textOf(emailEl)) : null;
    if (name || email) out.push({ name, email });
  }
  for (const creator of childElements(el, 'creator', NS.dc)) {
    const author = parseAuthor(textOf(creator));
    if (author) out.push(author);
  }
  return out;
}

/** The last date among elements named `names` (feedparser lets a later value overwrite an earlier one). */
function lastDate(el: XmlElement, names: readonly [string, string][]): string | null {
  let found: string | null = null;
  for (const child of el.children) {
    if (typeof child === 'string') continue;
    if (!names.some(([local, ns]) => child.local === local && child.ns === ns)) continue;
    const parsed = parseDate(textOf(child));
    if (parsed) found = parsed;
  }
  return found;
}

function mapEntry(entry: XmlElement, ctx: Ctx, feedAuthors: Author[]): FeedItem {
  const [atomNs = ''] = ctx.ns;
  const title = construct(pick(entry, 'title', ctx.ns), ctx);
  const summary = construct(pick(entry, 'summary', ctx.ns), ctx);
  const contentEl = pick(entry, 'content', ctx.ns);
  const content =
    contentEl && !(contentEl.attrs.src && textOf(contentEl).trim() === '') ? construct(contentEl, ctx) : null;
  const idEl = pick(entry, 'id', ctx.ns, true);
  const source = pick(entry, 'source', ctx.ns);
  let authors = persons(entry, ctx);
  if (authors.length === 0 && source) authors = persons(source, ctx);
  if (authors.length === 0) authors = feedAuthors;
  const published = lastDate(entry, [
    ['published', atomNs],
    ['issued', atomNs],
    ['issued', NS.dcterms],
  ]);
  const updated = lastDate(entry, [
    ['updated', atomNs],
    ['modified', atomNs],
    ['modified', NS.dcterms],
    ['date', NS.dc],
  ]);
  return {
    id: idEl ? idOf(idEl, ctx) : null,
    title: title ? titleText(title.value, title.html) : null,
    link: alternateLink(entry, ctx),
    published,
    updated,
    summary: summary ? nonEmpty(summary.value) : null,
    content: content ? nonEmpty(content.value) : null,
    authors,
  };
}

/** An entry id, resolved only against an explicit xml:base (never the fetch URL, which may change). */
function idOf(el: XmlElement, _ctx: Ctx): string | null {
  const raw = nonEmpty(textOf(el));
  if (!raw) return null;
  const base = baseOf(el, null);
  return base ? resolveUrl(raw, base) : raw;
}

/** Maps an Atom 1.0 or 0.3 document (root `<feed>`) to a parsed feed. */
export function mapAtom(root: XmlElement, version: string, url: string | null): ParsedFeed {
  const ctx: Ctx = {
    ns: version === 'atom' ? [root.ns, ''] : [root.ns],
    version: version === 'atom10' ? 'atom10' : 'atom03',
    url,
  };
  const title = construct(pick(root, 'title', ctx.ns), ctx);
  const subtitle = construct(pick(root, 'subtitle', ctx.ns) ?? pick(root, 'tagline', ctx.ns), ctx);
  const feedAuthors = persons(root, ctx);
  const items = childElements(root, 'entry')
    .filter((e) => ctx.ns.includes(e.ns))
    .map((entry) => mapEntry(entry, ctx, feedAuthors));
  return {
    format: 'atom',
    version,
    title: title ? titleText(title.value, title.html) : null,
    link: alternateLink(root, ctx),
    description: subtitle ? nonEmpty(subtitle.value) : null,
    items,
  };
}
