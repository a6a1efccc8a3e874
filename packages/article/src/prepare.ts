// First pass over the body: drop what is never article text (scripts, hidden nodes, navigation), and,
// when asked, containers whose class/id/role name them as page furniture. Also finds a byline element
// and the heading that repeats the title, which are metadata rather than body text.
import {
  type AnyNode,
  classAndId,
  type Element,
  hasAncestor,
  innerText,
  isTag,
  isText,
  removeNode,
} from './dom.js';
import { BYLINE, FURNITURE_TAGS, JUNK_TAGS, MAYBE_CANDIDATE, UNLIKELY, UNLIKELY_ROLES } from './patterns.js';
import { textSimilarity } from './similarity.js';

export interface PrepareOptions {
  stripUnlikely: boolean;
  title: string | null;
}

export interface Prepared {
  /** Text of the byline element found in the body, if any. */
  byline: string | null;
}

const TABLE_OR_CODE = new Set(['table', 'code', 'pre']);
const EMPTY_CANDIDATES = new Set(['div', 'section', 'header', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const KEEP_EMPTY = new Set([
  'img',
  'picture',
  'video',
  'audio',
  'iframe',
  'embed',
  'object',
  'br',
  'hr',
  'math',
]);

/** Whether the element is hidden by attribute or inline style. */
export function isHidden(el: Element): boolean {
  const a = el.attribs;
  if (a.hidden !== undefined) return true;
  if (a['aria-hidden'] === 'true' && !(a.class ?? '').includes('fallback-image')) return true;
  const style = a.style;
  if (style !== undefined && /display\s*:\s*none|visibility\s*:\s*hidden/i.test(style)) return true;
  return false;
}

function isUnlikely(el: Element): boolean {
  if (el.name === 'body' || el.name === 'a' || el.name === 'article' || el.name === 'main') return false;
  const role = el.attribs.role;
  if (role !== undefined && UNLIKELY_ROLES.has(role)) return true;
  const hint = classAndId(el);
  if (hint === '' || !UNLIKELY.test(hint) || MAYBE_CANDIDATE.test(hint)) return false;
  return !hasAncestor(el, TABLE_OR_CODE);
}

function isByline(el: Element): boolean {
  const a = el.attribs;
  const hint = `${classAndId(el)} ${a.rel ?? ''} ${a.itemprop ?? ''}`;
  return a.rel === 'author' || (a.itemprop ?? '').includes('author') || BYLINE.test(hint);
}

function hasContent(el: Element): boolean {
  const stack: AnyNode[] = [...el.children];
  while (stack.length > 0) {
    const n = stack.pop() as AnyNode;
    if (isText(n)) {
      if (n.data.trim() !== '') return true;
    } else if (isTag(n)) {
      if (KEEP_EMPTY.has(n.name)) return true;
      for (const k of n.children) stack.push(k);
    }
  }
  return false;
}

/** Cleans `body` in place; see the file comment. */
export function prepare(body: Element, opts: PrepareOptions): Prepared {
  let byline: string | null = null;
  let titleRemoved = false;
  const visit = (node: AnyNode): void => {
    if (!isTag(node)) {
      if (node.type === 'comment' || node.type === 'directive') removeNode(node);
      return;
    }
    const el = node;
    if (JUNK_TAGS.has(el.name) || FURNITURE_TAGS.has(el.name) || isHidden(el)) {
      removeNode(el);
      return;
    }
    if (byline === null && isByline(el)) {
      const text = innerText(el);
      if (text.length > 0 && text.length < 100) {
        byline = text;
        removeNode(el);
        return;
      }
    }
    if (opts.stripUnlikely && isUnlikely(el)) {
      removeNode(el);
      return;
    }
    if (!titleRemoved && opts.title && (el.name === 'h1' || el.name === 'h2')) {
      if (textSimilarity(opts.title, innerText(el)) > 0.75) {
        titleRemoved = true;
        removeNode(el);
        return;
      }
    }
    for (const child of [...el.children]) visit(child);
    if (EMPTY_CANDIDATES.has(el.name) && !hasContent(el)) removeNode(el);
  };
  for (const child of [...body.children]) visit(child);
  return { byline };
}
