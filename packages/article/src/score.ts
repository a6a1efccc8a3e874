// Finds the main-content container: every paragraph-like element gives points (1 + commas + one per
// 100 characters, up to 3) to its parent, half to its grandparent and less further up; containers start
// from a tag prior and class/id hints, and lose their link share. The best container, possibly widened
// to a shared ancestor, is then joined by siblings that look like more of the same article.
import {
  appendChild,
  classAndId,
  createElement,
  type Element,
  elementChildren,
  isTag,
  isText,
} from './dom.js';
import { BLOCK_TAGS, NEGATIVE, POSITIVE } from './patterns.js';
import type { TextStats } from './stats.js';

const SCORED_TAGS = new Set(['section', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'td', 'pre']);
const ANCESTOR_LEVELS = 5;
const TOP_CANDIDATES = 5;

/** +25/−25 for positive/negative words in the class, and again in the id. */
export function classWeight(el: Element): number {
  let w = 0;
  const c = el.attribs.class;
  if (c) {
    if (NEGATIVE.test(c)) w -= 25;
    if (POSITIVE.test(c)) w += 25;
  }
  const id = el.attribs.id;
  if (id) {
    if (NEGATIVE.test(id)) w -= 25;
    if (POSITIVE.test(id)) w += 25;
  }
  return w;
}

function tagPrior(name: string): number {
  switch (name) {
    case 'div':
    case 'article':
    case 'main':
      return 5;
    case 'pre':
    case 'td':
    case 'blockquote':
      return 3;
    case 'address':
    case 'ol':
    case 'ul':
    case 'dl':
    case 'dd':
    case 'dt':
    case 'li':
    case 'form':
      return -3;
    case 'h1':
    case 'h2':
    case 'h3':
    case 'h4':
    case 'h5':
    case 'h6':
    case 'th':
      return -5;
    default:
      return 0;
  }
}

// Memo of "has a block-level descendant", filled as the walk asks; one page's answers stay valid while
// collectScorable edits, since it only renames block-free divs and adds <p> where blocks already are.
type BlockMemo = Map<Element, boolean>;

function hasBlockDescendant(el: Element, memo: BlockMemo): boolean {
  const hit = memo.get(el);
  if (hit !== undefined) return hit;
  let found = false;
  for (const child of el.children) {
    if (isTag(child) && (BLOCK_TAGS.has(child.name) || hasBlockDescendant(child, memo))) {
      found = true;
      break;
    }
  }
  memo.set(el, found);
  return found;
}

function isPhrasing(node: Element['children'][number], memo: BlockMemo): boolean {
  if (isText(node)) return true;
  return isTag(node) && !BLOCK_TAGS.has(node.name) && !hasBlockDescendant(node, memo);
}

/**
 * Turns text-only divs into paragraphs and wraps loose inline runs of mixed divs into paragraphs, so
 * that every run of prose is a scorable element. Returns the elements to score, in document order.
 */
export function collectScorable(body: Element): Element[] {
  const out: Element[] = [];
  const memo: BlockMemo = new Map();
  const walk = (el: Element): void => {
    if (el.name === 'div' || el.name === 'section' || el.name === 'article' || el.name === 'main') {
      if (el.name === 'div' && !hasBlockDescendant(el, memo)) {
        el.name = 'p';
        el.tagName = 'p';
        out.push(el);
        return;
      }
      wrapInlineRuns(el, memo);
    }
    if (SCORED_TAGS.has(el.name)) out.push(el);
    for (const child of elementChildren(el)) walk(child);
  };
  walk(body);
  return out;
}

function wrapInlineRuns(el: Element, memo: BlockMemo): void {
  const kids = [...el.children];
  let run: Element | null = null;
  for (const kid of kids) {
    if (isPhrasing(kid, memo)) {
      if (run === null) {
        if (isText(kid) && kid.data.trim() === '') continue;
        run = createElement('p');
        el.children.splice(el.children.indexOf(kid), 0, run);
        run.parent = el;
      }
      appendChild(run, kid);
    } else {
      run = null;
    }
  }
  relinkChildren(el);
}

function relinkChildren(el: Element): void {
  const kids = el.children;
  for (let i = 0; i < kids.length; i++) {
    const k = kids[i] as Element['children'][number];
    k.prev = kids[i - 1] ?? null;
    k.next = kids[i + 1] ?? null;
  }
}

export interface ScoreOptions {
  weightClasses: boolean;
}

/** Scores the containers of `paragraphs` and returns the best one with the score map. */
export function pickTopCandidate(
  paragraphs: Element[],
  stats: TextStats,
  opts: ScoreOptions,
): { top: Element | null; scores: Map<Element, number> } {
  const scores = new Map<Element, number>();
  const candidates: Element[] = [];
  for (const p of paragraphs) {
    const s = stats.get(p);
    if (p.parent === null || s.chars < 25) continue;
    const points = 1 + s.commas + Math.min(Math.floor(s.chars / 100), 3);
    let ancestor = p.parent;
    for (let level = 0; level < ANCESTOR_LEVELS && ancestor && isTag(ancestor); level++) {
      if (!ancestor.parent || !isTag(ancestor.parent)) break;
      let score = scores.get(ancestor);
      if (score === undefined) {
        score = tagPrior(ancestor.name) + (opts.weightClasses ? classWeight(ancestor) : 0);
        candidates.push(ancestor);
      }
      const divider = level === 0 ? 1 : level === 1 ? 2 : level * 3;
      scores.set(ancestor, score + points / divider);
      ancestor = ancestor.parent;
    }
  }
  for (const c of candidates) scores.set(c, (scores.get(c) ?? 0) * (1 - stats.linkDensity(c)));
  const ranked = candidates
    .sort((a, b) => (scores.get(b) ?? 0) - (scores.get(a) ?? 0))
    .slice(0, TOP_CANDIDATES);
  let top = ranked[0] ?? null;
  if (top === null || top.name === 'body') return { top, scores };
  top = widen(top, ranked, scores);
  return { top, scores };
}

/** Moves up from `top` when its ancestors hold more of the good candidates or score as well. */
function widen(first: Element, ranked: Element[], scores: Map<Element, number>): Element {
  let top = first;
  const topScore = scores.get(top) ?? 0;
  // If several strong candidates share an ancestor, the article is split across them.
  const alternatives = ranked.slice(1).filter((c) => (scores.get(c) ?? 0) / topScore >= 0.75);
  if (alternatives.length >= 3) {
    let parent = top.parent;
    while (parent && isTag(parent) && parent.name !== 'body') {
      let holding = 0;
      for (const alt of alternatives) if (contains(parent, alt)) holding++;
      if (holding >= 3) {
        top = parent;
        break;
      }
      parent = parent.parent;
    }
  }
  // Climb while the parent scores comparably: the article body is often one level up.
  let lastScore = scores.get(top) ?? 0;
  const threshold = lastScore / 3;
  let parent = top.parent;
  while (parent && isTag(parent) && parent.name !== 'body') {
    const ps = scores.get(parent);
    if (ps === undefined) {
      parent = parent.parent;
      continue;
    }
    if (ps < threshold) break;
    if (ps > lastScore) {
      top = parent;
      break;
    }
    lastScore = ps;
    parent = parent.parent;
  }
  // A container that is its parent's only child says nothing on its own.
  while (
    top.parent &&
    isTag(top.parent) &&
    top.parent.name !== 'body' &&
    elementChildren(top.parent).length === 1
  ) {
    top = top.parent;
  }
  return top;
}

function contains(ancestor: Element, node: Element): boolean {
  let cur = node.parent;
  while (cur) {
    if (cur === ancestor) return true;
    cur = cur.parent;
  }
  return false;
}

/** The top candidate plus siblings that look like more of the same article, in document order. */
export function gatherSiblings(top: Element, scores: Map<Element, number>, stats: TextStats): Element[] {
  const parent = top.parent;
  if (!parent || !isTag(parent) || top.name === 'body') return [top];
  const topScore = scores.get(top) ?? 0;
  const threshold = Math.max(10, topScore * 0.2);
  const topClass = top.attribs.class ?? '';
  const out: Element[] = [];
  for (const sib of elementChildren(parent)) {
    if (sib === top) {
      out.push(sib);
      continue;
    }
    let bonus = 0;
    if (topClass !== '' && sib.attribs.class === topClass) bonus += topScore * 0.2;
    const score = scores.get(sib);
    if (score !== undefined && score + bonus >= threshold) {
      out.push(sib);
      continue;
    }
    if (sib.name === 'p') {
      const s = stats.get(sib);
      const density = stats.linkDensity(sib);
      if (s.chars > 80 && density < 0.25) out.push(sib);
      else if (s.chars > 0 && s.chars < 80 && density === 0 && /\.( |$)/.test(textOf(sib))) out.push(sib);
    }
  }
  return out;
}

function textOf(el: Element): string {
  let out = '';
  for (const c of el.children) {
    if (isText(c)) out += c.data;
    else if (isTag(c)) out += textOf(c);
  }
  return out;
}

export { classAndId };
