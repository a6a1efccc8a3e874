// Cleans the chosen article container: drops link farms, share bars, forms, image galleries and other
// blocks that a good container still carries, while keeping tables of data, lists of prose and code.
import {
  classAndId,
  countTags,
  descendants,
  type Element,
  hasAncestor,
  innerText,
  isTag,
  isText,
} from './dom.js';
import { BOILERPLATE_LINE, SHARE, VIDEOS } from './patterns.js';
import { classWeight } from './score.js';
import type { TextStats } from './stats.js';

export interface CleanOptions {
  weightClasses: boolean;
  cleanConditionally: boolean;
}

const P = new Set(['p']);
const IMG = new Set(['img']);
const LI = new Set(['li']);
const INPUT = new Set(['input']);
const EMBEDS = new Set(['object', 'embed', 'iframe']);
const FIGURE = new Set(['figure']);
const CODE = new Set(['code', 'pre']);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const DATA_TABLE_PARTS = new Set(['col', 'colgroup', 'tfoot', 'thead', 'th']);
const TABLE = new Set(['table']);
const TR = new Set(['tr']);

/** Whether a table holds data (keep it) rather than laying out the page. */
export function isDataTable(table: Element): boolean {
  const a = table.attribs;
  if (a.role === 'presentation' || a.datatable === '0') return false;
  if (a.summary) return true;
  const kids = table.children.filter(isTag);
  if (kids.some((k) => k.name === 'caption')) return true;
  if (countTags(table, DATA_TABLE_PARTS) > 0) return true;
  if (countTags(table, TABLE) > 0) return false;
  const rows = descendants(table, TR);
  let cols = 0;
  for (const r of rows)
    cols = Math.max(cols, r.children.filter((c) => isTag(c) && (c.name === 'td' || c.name === 'th')).length);
  if (rows.length >= 10 || cols > 4) return true;
  return rows.length * cols > 10;
}

function headingDensity(el: Element, stats: TextStats): number {
  const total = stats.get(el).chars;
  if (total === 0) return 0;
  let h = 0;
  for (const head of descendants(el, HEADINGS)) h += stats.get(head).chars;
  return h / total;
}

function insideDataTable(el: Element, dataTables: Set<Element>): boolean {
  let cur = el.parent;
  while (cur && isTag(cur)) {
    if (dataTables.has(cur)) return true;
    cur = cur.parent;
  }
  return false;
}

function shouldRemove(el: Element, stats: TextStats, opts: CleanOptions): boolean {
  const weight = opts.weightClasses ? classWeight(el) : 0;
  if (weight < 0) return true;
  const s = stats.get(el);
  if (s.commas >= 10) return false;
  let isList = el.name === 'ul' || el.name === 'ol';
  if (!isList) {
    let listChars = 0;
    for (const list of descendants(el, new Set(['ul', 'ol']))) listChars += stats.get(list).chars;
    isList = s.chars > 0 && listChars / s.chars > 0.9;
  }
  const p = countTags(el, P);
  const img = countTags(el, IMG);
  const li = countTags(el, LI) - 100;
  const input = countTags(el, INPUT);
  let embeds = 0;
  for (const e of descendants(el, EMBEDS)) {
    const src = `${e.attribs.src ?? ''} ${e.attribs.data ?? ''}`;
    if (!VIDEOS.test(src)) embeds++;
  }
  const density = stats.linkDensity(el);
  const chars = s.chars;
  const inFigure = hasAncestor(el, FIGURE);
  const remove =
    (img > 1 && p / img < 0.5 && !inFigure) ||
    (!isList && li > p) ||
    input > Math.floor(p / 3) ||
    (!isList && headingDensity(el, stats) < 0.9 && chars < 25 && (img === 0 || img > 2) && !inFigure) ||
    (!isList && weight < 25 && density > 0.2) ||
    (weight >= 25 && density > 0.5) ||
    (embeds === 1 && chars < 75) ||
    embeds > 1;
  if (remove && isList) {
    // A list of pictures, one per item, is content.
    const items = el.children.filter(isTag);
    if (
      items.length > 0 &&
      items.every((item) => countTags(item, IMG) === 1 && stats.get(item).chars === 0)
    ) {
      return false;
    }
  }
  return remove;
}

/** Cleans `root` (the article container) in place. */
export function cleanArticle(root: Element, stats: TextStats, opts: CleanOptions): void {
  const dataTables = new Set(descendants(root, TABLE).filter(isDataTable));

  for (const el of descendants(root)) {
    if (!el.parent) continue;
    const chars = stats.get(el).chars;
    const hint = classAndId(el);
    if (hint !== '' && SHARE.test(hint) && chars < 500) stats.remove(el);
    else if (chars > 0 && chars < 40 && BOILERPLATE_LINE.test(innerText(el)) && countTags(el, IMG) === 0) {
      stats.remove(el);
    }
  }
  if (opts.weightClasses) {
    for (const h of descendants(root, new Set(['h1', 'h2']))) {
      if (h.parent && classWeight(h) < 0) stats.remove(h);
    }
  }
  if (opts.cleanConditionally) {
    for (const name of ['form', 'fieldset', 'table', 'ul', 'div']) {
      const els = descendants(root, new Set([name]));
      for (let i = els.length - 1; i >= 0; i--) {
        const el = els[i] as Element;
        if (!el.parent || dataTables.has(el) || insideDataTable(el, dataTables) || hasAncestor(el, CODE))
          continue;
        if (shouldRemove(el, stats, opts)) stats.remove(el);
      }
    }
  }
  for (const p of descendants(root, P)) {
    if (!p.parent) continue;
    const empty =
      stats.get(p).chars === 0 && countTags(p, new Set(['img', 'embed', 'object', 'iframe', 'video'])) === 0;
    if (empty) stats.remove(p);
  }
  // Tables of one cell are layout: keep only the cell's content.
  for (const t of descendants(root, TABLE)) {
    if (!t.parent || dataTables.has(t)) continue;
    const cells = descendants(t, new Set(['td', 'th']));
    if (cells.length === 1 && descendants(t, TR).length === 1) {
      const cell = cells[0] as Element;
      const onlyText = cell.children.every(
        (c) => isText(c) || (isTag(c) && !['p', 'div', 'ul', 'ol'].includes(c.name)),
      );
      cell.name = onlyText ? 'p' : 'div';
      t.parent.children.splice(t.parent.children.indexOf(t), 1, cell);
      cell.parent = t.parent;
      cell.prev = t.prev;
      cell.next = t.next;
      if (t.prev) t.prev.next = cell;
      if (t.next) t.next.prev = cell;
    }
  }
}
