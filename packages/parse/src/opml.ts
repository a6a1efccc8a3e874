import { PermanentError } from '@frameline/core';
import { escapeAttribute, escapeText } from 'entities';
import { nonEmpty } from './text.js';
import { childElements, parseXml, textOf, type XmlElement } from './xml-tree.js';

/** One subscription read from an OPML file. */
export interface OpmlOutline {
  url: string;
  title: string | null;
  htmlUrl: string | null;
  /** Folder names the outline sits in (outermost first), then its own `category` values. */
  category: string[];
}

/** A source to write into an OPML file. */
export interface OpmlSource {
  url: string;
  name: string | null;
  htmlUrl?: string | null;
  tags?: string[];
}

function attr(el: XmlElement, name: string): string | null {
  return nonEmpty(el.attrs[name.toLowerCase()]);
}

function walk(el: XmlElement, folders: string[], out: OpmlOutline[]): void {
  for (const outline of childElements(el, 'outline')) {
    const url = attr(outline, 'xmlUrl') ?? attr(outline, 'url');
    const title = attr(outline, 'title') ?? attr(outline, 'text');
    const type = (attr(outline, 'type') ?? '').toLowerCase();
    const isFeed = attr(outline, 'xmlUrl') !== null || (url !== null && (type === 'rss' || type === 'atom'));
    if (isFeed && url) {
      const own = (attr(outline, 'category') ?? '')
        .split(',')
        .flatMap((c) => c.split('/'))
        .map((c) => c.trim())
        .filter((c) => c !== '');
      const category = [...new Set([...folders, ...own])];
      out.push({ url, title, htmlUrl: attr(outline, 'htmlUrl'), category });
    }
    walk(outline, isFeed || !title ? folders : [...folders, title], out);
  }
}

/** Reads an OPML subscription list. Throws PermanentError('invalid_opml') for anything that is not OPML. */
export function parseOpml(text: string): { title: string | null; outlines: OpmlOutline[] } {
  const { root } = parseXml(text.replace(/^\uFEFF/, ''));
  if (root?.local !== 'opml') {
    throw new PermanentError(
      'invalid_opml',
      `expected an OPML document, got ${root ? `<${root.name}>` : 'no XML element'}`,
    );
  }
  const head = childElements(root, 'head')[0];
  const titleEl = head ? childElements(head, 'title')[0] : undefined;
  const outlines: OpmlOutline[] = [];
  for (const body of childElements(root, 'body')) walk(body, [], outlines);
  return { title: titleEl ? nonEmpty(textOf(titleEl)) : null, outlines };
}

/** Writes sources as an OPML 2.0 subscription list; tags go into each outline's `category`. */
export function toOpml(sources: readonly OpmlSource[], title = 'frameline sources'): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    <title>${escapeText(title)}</title>`,
    '  </head>',
    '  <body>',
  ];
  for (const source of sources) {
    const name = source.name ?? source.url;
    let line = `    <outline type="rss" text="${escapeAttribute(name)}" title="${escapeAttribute(name)}" xmlUrl="${escapeAttribute(source.url)}"`;
    if (source.htmlUrl) line += ` htmlUrl="${escapeAttribute(source.htmlUrl)}"`;
    if (source.tags && source.tags.length > 0)
      line += ` category="${escapeAttribute(source.tags.join(','))}"`;
    lines.push(`${line}/>`);
  }
  lines.push('  </body>', '</opml>', '');
  return lines.join('\n');
}
