import { parseXml, type XmlElement } from '@frameline/parse';
import { operandsOf, type PyNode } from './py-expr.js';
import type { IndexEntry } from './run.js';
import { chainOf, type OurResult } from './translate.js';

/** Why rss-parser failed a case; `expressible: false` when the check is about something it cannot say at all. */
export interface FailureCause {
  cause: string;
  expressible: boolean;
}

/** The causes. A failing case is counted once, under the first cause {@link classifyFailure} finds. */
export const CAUSES = {
  noChannel:
    "exception: <rss>/<rdf:RDF> with no <channel> (feedparser's minimal test files; rss-parser reads channel[0] unguarded)",
  prefixed: 'exception: RSS elements under a namespace prefix (rss-parser matches qualified names literally)',
  cdf: 'exception: CDF (Microsoft Channel Definition Format) not supported',
  illFormed: 'exception: ill-formed XML (xml2js runs sax in strict mode)',
  otherException: 'exception: other',
  version: 'format version (rss-parser does not say which RSS/Atom version it read)',
  authorSplit: 'author name/email, second author (rss-parser gives an RSS item one author string)',
  base64: 'Atom base64 content (0.3 mode="base64", 1.0 binary type) left encoded',
  markup:
    'markup inside title/summary/content (xml2js splits mixed content: an XHTML title comes back as an object, text after an element is dropped or moved)',
  base: 'relative URLs not resolved (xml:base, document URL)',
  charset: 'charset guess (our decodeBody in front, so ours fails these too)',
  repair: 'text repair after parsing (cp1252 C1 references, double-encoded UTF-8)',
  dates: 'dates (element not read, or first value not kept)',
  mapping:
    'other: an element or rule rss-parser does not map (guid as link, dc:author, media:title, Atom 0.3 link text, <id> with attributes)',
} as const;

const TEXT_ELEMENTS = new Set([
  'title',
  'subtitle',
  'tagline',
  'summary',
  'description',
  'content',
  'encoded',
  'body',
  'fullitem',
  'info',
]);

function elementsOf(root: XmlElement | null): XmlElement[] {
  const all: XmlElement[] = [];
  const stack = root ? [root] : [];
  for (let el = stack.pop(); el; el = stack.pop()) {
    all.push(el);
    for (const c of el.children) if (typeof c !== 'string') stack.push(c);
  }
  return all;
}

/** Whether a text element holds child elements (XHTML or naked markup) instead of text. */
function hasMarkupChildren(el: XmlElement): boolean {
  return TEXT_ELEMENTS.has(el.local) && el.children.some((c) => typeof c !== 'string');
}

/** An Atom text construct carried as base64: 0.3 `mode="base64"`, or 1.0 with a binary MIME `type`. */
function isBase64(el: XmlElement): boolean {
  if (!TEXT_ELEMENTS.has(el.local)) return false;
  const type = (el.attrs.type ?? '').toLowerCase();
  const binary = /^[a-z]+\/[\w.+-]+$/.test(type) && !type.startsWith('text/') && !type.includes('xml');
  return el.attrs.mode === 'base64' || binary;
}

/**
 * The result paths an expression reads, numbers dropped (`entries[0]['author_detail']['email']` →
 * `entries.author_detail.email`; `version`, `encoding`): what a failure is about, for grouping failures.
 */
export function fieldsOf(node: PyNode): string[] {
  const out = new Set<string>();
  const visit = (n: PyNode): void => {
    const chain = chainOf(n);
    if (chain && ['feed', 'entries', 'version', 'encoding'].includes(chain.root)) {
      out.add([chain.root, ...chain.steps.filter((s) => typeof s === 'string')].join('.'));
      return;
    }
    const operands = operandsOf(n);
    if (operands !== null) {
      operands.forEach(visit);
      return;
    }
    switch (n.kind) {
      case 'call':
        if (n.fn.kind === 'attr') visit(n.fn.target);
        n.args.forEach(visit);
        return;
      default:
        return;
    }
  };
  visit(node);
  return [...out];
}

/** An `href` or a link/id in a mapped result that is not absolute. */
const RELATIVE_IN_OUTPUT = /href=\\"(?![a-z][\w+.-]*:)|"(?:link|id)":"(?![a-z][\w+.-]*:)/i;

/** Sorts one failing case into a cause, from the error, the fields the expression reads and the document. */
export function classifyFailure(
  entry: IndexEntry,
  tree: PyNode,
  result: OurResult & { text: string },
): FailureCause {
  const bad = (cause: string): FailureCause => ({ cause, expressible: true });
  // Our forgiving XML reader (it never throws) looks at the document rss-parser was given.
  const { root } = parseXml(result.text);
  const rssLike = root !== null && (root.local === 'rss' || root.local === 'rdf');
  const elements = elementsOf(root);
  if (result.error) {
    const message = result.error.message;
    if (root?.local === 'channel') return bad(CAUSES.cdf);
    if (/\nLine: \d+/.test(message)) return bad(CAUSES.illFormed);
    const channel = elements.find((el) => el.local === 'channel');
    if (rssLike && !channel) return bad(CAUSES.noChannel);
    if (root?.name.includes(':') || channel?.name.includes(':')) return bad(CAUSES.prefixed);
    return bad(`${CAUSES.otherException} (${message.slice(0, 60)})`);
  }
  const fields = fieldsOf(tree);
  if (fields.includes('version')) return { cause: CAUSES.version, expressible: false };
  const authorDetail = fields.some((f) => /^entries\.(author_detail|authors)\.(name|email)$/.test(f));
  if (authorDetail && rssLike && result.feed?.items.some((i) => i.authors.length > 0))
    return { cause: CAUSES.authorSplit, expressible: false };
  if (elements.some(isBase64)) return bad(CAUSES.base64);
  // Relative URLs first when rss-parser's output does hold one: then the markup itself came through.
  const wantsAbsolute = /https?:\/\//.test(entry.expect);
  const baseContext = entry.http || elements.some((el) => el.attrs['xml:base'] !== undefined);
  if (wantsAbsolute && baseContext && RELATIVE_IN_OUTPUT.test(JSON.stringify(result.feed)))
    return bad(CAUSES.base);
  if (elements.some(hasMarkupChildren)) return bad(CAUSES.markup);
  if (wantsAbsolute && baseContext) return bad(CAUSES.base);
  if (fields.includes('encoding')) return bad(CAUSES.charset);
  if (entry.group === 'encoding') return bad(CAUSES.repair);
  if (fields.some((f) => /(_parsed|published|updated|modified|issued|created|date)$/.test(f)))
    return bad(CAUSES.dates);
  return bad(CAUSES.mapping);
}
