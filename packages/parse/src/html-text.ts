import { decodeHTML } from 'entities';

/**
 * The one HTML → text rendering of frameline. A hand scanner (no DOM) so that every code unit of the text
 * maps back to the HTML it came from (the tagger's evidence spans point into stored HTML). Three layouts of
 * the same visible text:
 * - `lines` (default): each block element starts a line (what the tagger reads: a line is a sentence end);
 * - `inline`: one line, blocks and line breaks become spaces (feed titles and summaries);
 * - `paragraphs`: blocks are paragraphs separated by a blank line, `<br>` a line break, `<pre>` keeps its
 *   white space (extracted article text).
 */
export type TextLayout = 'lines' | 'inline' | 'paragraphs';

/** Visible text of an HTML string, with the HTML span each text code unit came from. */
export interface MappedText {
  text: string;
  /** For each UTF-16 unit of `text`: the offset in the HTML where its source starts. */
  starts: Int32Array;
  /** For each UTF-16 unit of `text`: the offset in the HTML just after its source (e.g. after "&amp;"). */
  ends: Int32Array;
}

const SKIP_CONTENT = new Set(['script', 'style', 'noscript', 'template', 'head', 'svg', 'iframe', 'object']);
const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'br',
  'caption',
  'dd',
  'details',
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
  'html',
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
  'td',
  'tfoot',
  'th',
  'thead',
  'title',
  'tr',
  'ul',
  'option',
  'button',
  'label',
  'legend',
]);
// In paragraphs, a table cell is a space between its neighbours, not a block of its own.
const CELL = new Set(['td', 'th']);
const ENTITY = /&(?:#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};?)/y;
const TAG_NAME = /<\/?([A-Za-z][A-Za-z0-9-]*)/y;

function isHtmlSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c;
}

/**
 * End of a tag starting at `i` (just after its `>`), skipping quoted attribute values. As in HTML's
 * tokenizer, a quote opens a value only right after `=` (`<div "="">` ends at its `>`).
 */
function tagEnd(html: string, i: number): number {
  let quote = 0;
  let afterEquals = false;
  for (let j = i + 1; j < html.length; j++) {
    const c = html.charCodeAt(j);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if ((c === 0x22 || c === 0x27) && afterEquals) quote = c;
    else if (c === 0x3e) return j + 1;
    if (c === 0x3d) afterEquals = true;
    else if (!isHtmlSpace(c)) afterEquals = false;
  }
  return html.length;
}

/**
 * Visible text of an HTML fragment or page with an offset map: block elements and `<br>` become line
 * breaks, runs of white space one space, entities are decoded, and script, style and the head are dropped.
 */
export function htmlToMappedText(html: string, layout: TextLayout = 'lines'): MappedText {
  return render(html, layout, true);
}

/** Visible text of an HTML fragment or page in one of the layouts (see `htmlToMappedText`). */
export function htmlToText(html: string, layout: TextLayout = 'lines'): string {
  return render(html, layout, false).text;
}

/** The renderer; without `mapped`, the offset map is not kept (and comes back empty). */
function render(html: string, layout: TextLayout, mapped: boolean): MappedText {
  const parts: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const inline = layout === 'inline';
  const paragraphs = layout === 'paragraphs';
  // Inside <pre> (paragraphs only): white space is kept as written.
  let pre = 0;
  let last = 0x0a; // treat the start as a line start so leading space is dropped
  // Whether the text ends with a blank line (a paragraph break) or nothing was written yet.
  const atParagraph = () => parts.length === 0 || parts[parts.length - 1] === '\n\n';
  const emit = (s: string, from: number, to: number) => {
    parts.push(s);
    if (mapped)
      for (let k = 0; k < s.length; k++) {
        starts.push(from);
        ends.push(to);
      }
    last = s.charCodeAt(s.length - 1);
  };
  const dropSpace = () => {
    if (last !== 0x20) return;
    const prev = parts.pop() as string;
    if (mapped) {
      starts.pop();
      ends.pop();
    }
    // (A space is always a part of its own.)
    if (prev.length > 1) {
      parts.push(prev.slice(0, -1));
      last = prev.charCodeAt(prev.length - 2);
      return;
    }
    const before = parts[parts.length - 1];
    last = before === undefined ? 0x0a : before.charCodeAt(before.length - 1);
  };
  const space = (from: number, to: number) => {
    if (last !== 0x20 && last !== 0x0a) emit(' ', from, to);
  };
  // A block boundary: a line break, a space when inline, a blank line between paragraphs.
  const lineBreak = (at: number) => {
    if (inline) return space(at, at);
    dropSpace();
    if (!paragraphs) {
      if (last !== 0x0a) emit('\n', at, at);
      return;
    }
    if (atParagraph()) return;
    if (last === 0x0a) {
      // A <br> line break before the block becomes part of the blank line.
      parts.pop();
      if (mapped) {
        starts.pop();
        ends.pop();
      }
    }
    emit('\n\n', at, at);
  };
  let i = 0;
  const n = html.length;
  while (i < n) {
    const c = html.charCodeAt(i);
    if (c === 0x3c) {
      if (html.startsWith('<!--', i)) {
        const close = html.indexOf('-->', i + 4);
        i = close < 0 ? n : close + 3;
        continue;
      }
      TAG_NAME.lastIndex = i;
      const m = TAG_NAME.exec(html);
      if (m === null) {
        if (html.charCodeAt(i + 1) === 0x21 || html.charCodeAt(i + 1) === 0x3f) {
          i = tagEnd(html, i);
          continue;
        }
        emit('<', i, i + 1);
        i++;
        continue;
      }
      const name = (m[1] as string).toLowerCase();
      const closing = html.charCodeAt(i + 1) === 0x2f;
      const end = tagEnd(html, i);
      if (paragraphs && name === 'br') {
        dropSpace();
        if (!atParagraph()) emit('\n', i, i);
      } else if (paragraphs && CELL.has(name)) space(i, i);
      else if (BLOCK.has(name)) lineBreak(i);
      if (paragraphs && name === 'pre') pre = Math.max(0, pre + (closing ? -1 : 1));
      if (!closing && SKIP_CONTENT.has(name) && html.charCodeAt(end - 2) !== 0x2f) {
        const closer = new RegExp(`</${name}[\\s>/]`, 'gi');
        closer.lastIndex = end;
        const close = closer.exec(html);
        i = close === null ? n : tagEnd(html, close.index);
        if (BLOCK.has(name)) lineBreak(i);
        continue;
      }
      i = end;
      continue;
    }
    if (c === 0x26) {
      ENTITY.lastIndex = i;
      const m = ENTITY.exec(html);
      if (m !== null) {
        const decoded = decodeHTML(m[0]);
        if (decoded !== m[0]) {
          const to = i + m[0].length;
          const norm = decoded.replace(/[\u00a0\s]+/g, ' ');
          if (norm === ' ' && pre === 0) space(i, to);
          else emit(decoded, i, to);
          i = to;
          continue;
        }
      }
      emit('&', i, i + 1);
      i++;
      continue;
    }
    if (pre > 0 && (isHtmlSpace(c) || c === 0xa0)) {
      emit(html[i] as string, i, i + 1);
      i++;
      continue;
    }
    if (isHtmlSpace(c) || (inline && c === 0xa0)) {
      space(i, i + 1);
      i++;
      continue;
    }
    // A run of plain text up to the next tag, entity or white space.
    let j = i + 1;
    while (j < n) {
      const d = html.charCodeAt(j);
      if (d === 0x3c || d === 0x26 || isHtmlSpace(d) || (d === 0xa0 && (inline || pre > 0))) break;
      j++;
    }
    parts.push(html.slice(i, j));
    if (mapped)
      for (let k = i; k < j; k++) {
        starts.push(k);
        ends.push(k + 1);
      }
    last = html.charCodeAt(j - 1);
    i = j;
  }
  let text = parts.join('');
  let len = text.length;
  while (len > 0 && (text.charCodeAt(len - 1) === 0x20 || text.charCodeAt(len - 1) === 0x0a)) len--;
  text = text.slice(0, len);
  if (!mapped) return { text, starts: new Int32Array(0), ends: new Int32Array(0) };
  return { text, starts: Int32Array.from(starts.slice(0, len)), ends: Int32Array.from(ends.slice(0, len)) };
}
