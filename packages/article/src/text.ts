// Renders a DOM subtree as plain text: one paragraph per block, paragraphs separated by a blank line,
// whitespace collapsed except inside <pre>.
import { load } from 'cheerio';
import { type AnyNode, isTag, isText } from './dom.js';

const BLOCKS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'caption',
  'dd',
  'details',
  'dialog',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'thead',
  'tfoot',
  'tr',
  'ul',
]);
const CELLS = new Set(['td', 'th']);
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'head', 'title']);

/** Plain text of `nodes`: paragraphs separated by blank lines. */
export function toText(nodes: readonly AnyNode[]): string {
  const paragraphs: string[] = [];
  let line = '';
  const flush = (): void => {
    const t = line
      .replace(/[ \t\f\v\r\u00a0]+/g, ' ')
      .replace(/ ?\n ?/g, '\n')
      .trim();
    if (t !== '') paragraphs.push(t);
    line = '';
  };
  const walk = (node: AnyNode, pre: boolean): void => {
    if (isText(node)) {
      line += pre ? node.data : node.data.replace(/\s+/g, ' ');
      return;
    }
    if (!isTag(node) || SKIP.has(node.name)) return;
    if (node.name === 'br') {
      line += '\n';
      return;
    }
    const block = BLOCKS.has(node.name);
    if (block) flush();
    if (CELLS.has(node.name)) line += ' ';
    const inPre = pre || node.name === 'pre';
    for (const child of node.children) walk(child, inPre);
    if (CELLS.has(node.name)) line += ' ';
    if (block) flush();
  };
  for (const n of nodes) walk(n, false);
  flush();
  return paragraphs.join('\n\n');
}

/** Visible text of an HTML document or fragment, rendered as extracted article text is. */
export function htmlToArticleText(html: string): string {
  const $ = load(html, { xml: { xmlMode: false, decodeEntities: true } });
  return toText($.root().contents().toArray());
}
