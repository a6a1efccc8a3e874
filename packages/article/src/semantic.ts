// Authors often mark the article body themselves (schema.org `itemprop=articleBody`, `<article>`,
// `<main>`). When such a container inside the scorer's pick holds nearly all of the pick's prose, the
// pick also took in side matter, so we narrow to the container. (Widening to a container around the pick
// was measured too: it let in more boilerplate than missed text, F1 0.9918 -> 0.9886.)
import { descendants, type Element, isTag } from './dom.js';
import type { TextStats } from './stats.js';

const NARROW_SHARE = 0.95;
const MIN_CHARS = 200;

function contains(ancestor: Element, node: Element): boolean {
  let cur: Element | null = node;
  while (cur) {
    if (cur === ancestor) return true;
    cur = cur.parent && isTag(cur.parent) ? cur.parent : null;
  }
  return false;
}

/** Prose characters: text outside links. */
function prose(el: Element, stats: TextStats): number {
  const s = stats.get(el);
  return s.chars - s.linkChars;
}

function semanticContainers(body: Element): Element[] {
  const all = descendants(body);
  const marked = all.filter((el) => (el.attribs.itemprop ?? '').split(/\s+/).includes('articleBody'));
  const articles = all.filter((el) => el.name === 'article');
  const mains = all.filter((el) => el.name === 'main' || el.attribs.role === 'main');
  // Several <article> elements usually mean a listing (teasers), not one story.
  return [...marked, ...(articles.length === 1 ? articles : []), ...mains];
}

/** The container to use instead of `top`, or `top` itself. */
export function preferSemantic(body: Element, top: Element, stats: TextStats): Element {
  const topProse = prose(top, stats);
  for (const s of semanticContainers(body)) {
    if (s === top) return top;
    const sProse = prose(s, stats);
    if (sProse < MIN_CHARS) continue;
    if (contains(top, s) && sProse >= NARROW_SHARE * topProse) return s;
  }
  return top;
}
