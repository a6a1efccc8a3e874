import { DecodingMode, decodeHTML, escapeAttribute, escapeText } from 'entities';
import { Parser } from 'htmlparser2';

/**
 * A small, forgiving XML tree: htmlparser2 in XML mode tolerates what real feeds get wrong (bare `&`,
 * undeclared entities, unclosed tags), and we resolve namespaces ourselves so that feeds using any prefix
 * (or none) for Atom, Dublin Core and friends are read alike. Element and attribute names are compared in
 * lower case, as feedparser does.
 */
export interface XmlElement {
  /** The qualified name as written (`dc:creator`). */
  name: string;
  /** The local name, lower-cased (`creator`). */
  local: string;
  /** The namespace URI the prefix resolved to, or '' for none. */
  ns: string;
  /** Attributes with lower-cased names as written (`xml:base`, `href`). */
  attrs: Record<string, string>;
  children: XmlNode[];
  parent: XmlElement | null;
}
export type XmlNode = XmlElement | string;

const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/** Namespace URIs feeds are known to misspell or vary, folded to the form the mappers match. */
const NS_ALIASES: Record<string, string> = {
  'http://purl.org/rss/1.0/modules/content': 'http://purl.org/rss/1.0/modules/content/',
  'http://purl.org/dc/elements/1.1': 'http://purl.org/dc/elements/1.1/',
  'http://purl.org/dc/terms': 'http://purl.org/dc/terms/',
  'http://www.w3.org/2005/atom': 'http://www.w3.org/2005/Atom',
  'http://www.itunes.com/dtds/podcast-1.0.dtd': 'http://www.itunes.com/dtds/podcast-1.0.dtd',
  'http://search.yahoo.com/mrss': 'http://search.yahoo.com/mrss/',
};

/** Prefixes commonly used without a declaration, so `<dc:creator>` still means Dublin Core. */
const DEFAULT_PREFIXES: Record<string, string> = {
  xml: XML_NS,
  dc: 'http://purl.org/dc/elements/1.1/',
  dcterms: 'http://purl.org/dc/terms/',
  content: 'http://purl.org/rss/1.0/modules/content/',
  atom: 'http://www.w3.org/2005/Atom',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  xhtml: 'http://www.w3.org/1999/xhtml',
  media: 'http://search.yahoo.com/mrss/',
  itunes: 'http://www.itunes.com/dtds/podcast-1.0.dtd',
};

/** Namespaces some RSS 2.0 feeds put their core elements in; RSS 2.0 has none. */
const RSS2_NAMESPACES = /^https?:\/\/(?:backend\.userland\.com\/rss|blogs\.law\.harvard\.edu\/tech\/rss)/i;

function normaliseNs(uri: string): string {
  if (RSS2_NAMESPACES.test(uri)) return '';
  return NS_ALIASES[uri.toLowerCase()] ?? NS_ALIASES[uri] ?? uri;
}

/** Entities a document declares in its internal DTD subset (`<!ENTITY name "value">`), which feeds do use. */
function declaredEntities(text: string): Map<string, string> | null {
  const start = text.indexOf('<!ENTITY');
  if (start < 0 || start > 64 * 1024) return null;
  const entities = new Map<string, string>();
  const re = /<!ENTITY\s+([A-Za-z_][\w.-]*)\s+(?:"([^"]*)"|'([^']*)')\s*>/g;
  for (const m of text.slice(0, 64 * 1024).matchAll(re)) entities.set(m[1] ?? '', m[2] ?? m[3] ?? '');
  return entities.size > 0 ? entities : null;
}

function decodeWith(entities: Map<string, string> | null, raw: string, mode: DecodingMode): string {
  const expanded = entities
    ? raw.replace(/&([A-Za-z_][\w.-]*);/g, (m, name: string) => entities.get(name) ?? m)
    : raw;
  return decodeHTML(expanded, mode);
}

interface Scope {
  prefixes: Record<string, string>;
}

/** Parses XML text into a tree. Never throws: whatever the text is, the result is the tree it could read. */
export function parseXml(text: string): { root: XmlElement | null; doctype: string | null } {
  const documentNode: XmlElement = {
    name: '#document',
    local: '#document',
    ns: '',
    attrs: {},
    children: [],
    parent: null,
  };
  let current = documentNode;
  const scopes: Scope[] = [{ prefixes: { ...DEFAULT_PREFIXES, '': '' } }];
  let inCdata = false;
  let doctype: string | null = null;
  const entities = declaredEntities(text);

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        const parentScope = scopes[scopes.length - 1] as Scope;
        let prefixes = parentScope.prefixes;
        const attrs: Record<string, string> = {};
        for (const [rawName, rawValue] of Object.entries(attribs)) {
          const value = decodeWith(entities, rawValue, DecodingMode.Attribute);
          if (rawName === 'xmlns' || rawName.startsWith('xmlns:')) {
            if (prefixes === parentScope.prefixes) prefixes = { ...prefixes };
            prefixes[rawName === 'xmlns' ? '' : rawName.slice(6)] = normaliseNs(value.trim());
          }
          attrs[rawName.toLowerCase()] = value;
        }
        scopes.push({ prefixes });
        const colon = name.indexOf(':');
        const prefix = colon >= 0 ? name.slice(0, colon) : '';
        const local = (colon >= 0 ? name.slice(colon + 1) : name).toLowerCase();
        const element: XmlElement = {
          name,
          local,
          ns: prefixes[prefix] ?? prefixes[prefix.toLowerCase()] ?? `urn:undeclared:${prefix.toLowerCase()}`,
          attrs,
          children: [],
          parent: current,
        };
        current.children.push(element);
        current = element;
      },
      onclosetag() {
        scopes.pop();
        if (current.parent) current = current.parent;
      },
      ontext(data) {
        const value = inCdata ? data : decodeWith(entities, data, DecodingMode.Strict);
        const last = current.children[current.children.length - 1];
        if (typeof last === 'string') current.children[current.children.length - 1] = last + value;
        else current.children.push(value);
      },
      oncdatastart() {
        inCdata = true;
      },
      oncdataend() {
        inCdata = false;
      },
      onprocessinginstruction(name, data) {
        if (name.toLowerCase() === '!doctype') doctype = data;
      },
    },
    { xmlMode: true, decodeEntities: false },
  );
  parser.end(text);
  const root = documentNode.children.find((c): c is XmlElement => typeof c !== 'string') ?? null;
  if (root) root.parent = null;
  return { root, doctype };
}

/** Child elements of `el`, optionally only those with local name `local` (and namespace `ns`, if given). */
export function childElements(el: XmlElement, local?: string, ns?: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const child of el.children) {
    if (typeof child === 'string') continue;
    if (local !== undefined && child.local !== local) continue;
    if (ns !== undefined && child.ns !== ns) continue;
    out.push(child);
  }
  return out;
}

/** All text under `el`, in document order. */
export function textOf(el: XmlElement): string {
  let out = '';
  for (const child of el.children) out += typeof child === 'string' ? child : textOf(child);
  return out;
}

export function hasElementChildren(el: XmlElement): boolean {
  return el.children.some((c) => typeof c !== 'string');
}

const VOID_ELEMENTS = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);

/** Serialises an element back to markup, dropping namespace prefixes and declarations (for inline XHTML). */
export function outerXml(el: XmlElement): string {
  let out = `<${el.local}`;
  for (const [name, value] of Object.entries(el.attrs)) {
    if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
    out += ` ${name}="${escapeAttribute(value)}"`;
  }
  if (el.children.length === 0 && VOID_ELEMENTS.has(el.local)) return `${out} />`;
  return `${out}>${innerXml(el)}</${el.local}>`;
}

/** The markup of `el`'s children. */
export function innerXml(el: XmlElement): string {
  let out = '';
  for (const child of el.children) out += typeof child === 'string' ? escapeText(child) : outerXml(child);
  return out;
}

/** The nearest `xml:base` in scope, resolved against the ones above it and finally `documentUrl`. */
export function baseOf(el: XmlElement | null, documentUrl: string | null): string | null {
  const chain: string[] = [];
  for (let node = el; node; node = node.parent) {
    const base = node.attrs['xml:base'];
    if (base !== undefined) chain.push(base.trim());
  }
  let base = documentUrl;
  for (let i = chain.length - 1; i >= 0; i--) base = resolveUrl(chain[i] ?? '', base) ?? base;
  return base;
}

const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:/i;

/** Resolves `href` against `base`; returns `href` trimmed when it cannot be resolved, null when empty. */
export function resolveUrl(href: string | null | undefined, base: string | null | undefined): string | null {
  if (href === null || href === undefined) return null;
  const trimmed = href.trim();
  // Absolute URLs are kept exactly as written; only relative ones are resolved (and so normalised).
  if (!base || ABSOLUTE_URL.test(trimmed)) return trimmed || null;
  try {
    // Keep IRIs readable: URL() percent-encodes non-ASCII characters, which the feed wrote as characters.
    return new URL(trimmed, base).href.replace(/(?:%[89a-f][0-9a-f])+/gi, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  } catch {
    return trimmed || null;
  }
}
