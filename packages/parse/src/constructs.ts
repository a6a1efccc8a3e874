import { NS } from './namespaces.js';
import { resolveHtmlUrls } from './text.js';
import { baseOf, childElements, hasElementChildren, innerXml, textOf, type XmlElement } from './xml-tree.js';

/** A text construct's value and whether it is markup (HTML/XHTML) or plain text. */
export interface Construct {
  value: string;
  html: boolean;
}

function isWhitespace(node: string | XmlElement): boolean {
  return typeof node === 'string' && node.trim() === '';
}

/** Atom 1.0 `type="xhtml"`: the content of the wrapping `<div>`, whose own tag is not part of the value. */
function xhtmlValue(el: XmlElement): string {
  const meaningful = el.children.filter((c) => !isWhitespace(c));
  const only = meaningful[0];
  if (meaningful.length === 1 && only !== undefined && typeof only !== 'string' && only.local === 'div') {
    return innerXml(only);
  }
  return innerXml(el);
}

function mediaTypeIsHtml(type: string): boolean {
  return (
    type === 'html' ||
    type === 'xhtml' ||
    type === 'text/html' ||
    type.includes('xhtml') ||
    type.endsWith('+xml')
  );
}

/** Reads an Atom (1.0 or 0.3) text construct: title, subtitle, summary, content, rights. */
export function atomConstruct(
  el: XmlElement,
  version: 'atom10' | 'atom03',
  documentUrl: string | null,
): Construct {
  const type = (el.attrs.type ?? '').trim().toLowerCase();
  const mode = (el.attrs.mode ?? '').trim().toLowerCase();
  let value: string;
  let html: boolean;
  if (version === 'atom03' || mode) {
    html = mediaTypeIsHtml(type);
    if (mode === 'base64') value = Buffer.from(textOf(el).replace(/\s+/g, ''), 'base64').toString('utf8');
    else if (mode === 'escaped' || !hasElementChildren(el)) value = textOf(el);
    else {
      value = innerXml(el);
      html = true;
    }
  } else if (type === 'xhtml') {
    value = xhtmlValue(el);
    html = true;
  } else if (type === 'html' || type === 'text/html') {
    value = textOf(el);
    html = true;
  } else if (hasElementChildren(el)) {
    value = innerXml(el);
    html = true;
  } else if (type !== '' && type !== 'text' && !type.startsWith('text/') && !type.endsWith('xml')) {
    // Atom 1.0 §4.1.3.3: any other media type is base64-encoded.
    value = Buffer.from(textOf(el).replace(/\s+/g, ''), 'base64').toString('utf8');
    html = false;
  } else {
    value = textOf(el);
    html = type !== '' && type !== 'text' && mediaTypeIsHtml(type);
  }
  if (html) value = resolveHtmlUrls(value, baseOf(el, documentUrl));
  return { value, html };
}

/** Reads an RSS element holding HTML (description, content:encoded): escaped HTML or inline markup. */
export function rssHtml(el: XmlElement, documentUrl: string | null): string {
  return resolveHtmlUrls(rssHtmlRaw(el), baseOf(el, documentUrl));
}

function rssHtmlRaw(el: XmlElement): string {
  if (!hasElementChildren(el)) return textOf(el);
  // <xhtml:body> and friends carry markup inline; a lone wrapping <div>/<body> stays, as feedparser keeps it.
  const meaningful = el.children.filter((c) => !isWhitespace(c));
  const only = meaningful[0];
  if (meaningful.length === 1 && only !== undefined && typeof only !== 'string' && only.local === 'body') {
    return innerXml(only);
  }
  return innerXml(el);
}

/** The first child of `el` with local name `local` in one of `namespaces`, or the last if `last` is set. */
export function pick(
  el: XmlElement,
  local: string,
  namespaces: readonly string[],
  last = false,
): XmlElement | null {
  let found: XmlElement | null = null;
  for (const child of childElements(el, local)) {
    if (!namespaces.includes(child.ns)) continue;
    if (!last) return child;
    found = child;
  }
  return found;
}

/** Namespaces RSS core elements may appear in: none, RSS 1.0, RSS 0.90 (and an undeclared default). */
export const RSS_CORE: readonly string[] = ['', NS.rss10, NS.rss090];
