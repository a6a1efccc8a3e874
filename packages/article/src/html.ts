// Tidies the article HTML we hand back: presentational and script attributes go, links and images
// point to absolute URLs.
import { descendants, type Element } from './dom.js';

const KEEP_ATTRS = new Set([
  'href',
  'src',
  'srcset',
  'alt',
  'title',
  'colspan',
  'rowspan',
  'datetime',
  'cite',
  'lang',
  'dir',
  'start',
  'type',
]);
const URL_ATTRS = ['href', 'src'];

function absolute(href: string, base: string): string {
  if (href.startsWith('#') || /^(?:javascript|data|mailto|tel):/i.test(href)) return href;
  try {
    return new URL(href, base).href;
  } catch {
    return href;
  }
}

/** Drops attributes other than content ones and resolves link/image URLs against `base`. */
export function tidyHtml(root: Element, base: string | null): void {
  for (const el of descendants(root)) {
    const attribs: Record<string, string> = {};
    for (const [k, v] of Object.entries(el.attribs)) {
      if (!KEEP_ATTRS.has(k)) continue;
      attribs[k] = base !== null && URL_ATTRS.includes(k) ? absolute(v, base) : v;
    }
    el.attribs = attribs;
  }
}
