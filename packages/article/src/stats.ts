// Text measures of subtrees (characters, characters inside links, commas), cached per element so the
// scoring passes stay linear. Removing a node through `remove` keeps the cached ancestors right.
import { type AnyNode, type Element, isTag, isText, removeNode } from './dom.js';

export interface NodeStats {
  /** Characters of text, whitespace runs collapsed, whitespace-only text nodes ignored. */
  chars: number;
  /** Characters inside `<a href>` (in-page `#` links count 0.3). */
  linkChars: number;
  /** Commas, in any script. */
  commas: number;
}

const COMMAS = /[\u002C\u060C\uFE50\uFE10\uFE11\u2E41\u2E34\u2E32\uFF0C]/g;
const WS = /\s+/g;

function textStats(data: string): NodeStats {
  const collapsed = data.replace(WS, ' ');
  let chars = collapsed.length;
  if (chars > 0 && collapsed.charCodeAt(0) === 32) chars--;
  if (chars > 0 && collapsed.charCodeAt(collapsed.length - 1) === 32) chars--;
  COMMAS.lastIndex = 0;
  const commas = data.match(COMMAS)?.length ?? 0;
  return { chars: Math.max(chars, 0), linkChars: 0, commas };
}

export class TextStats {
  private readonly cache = new Map<Element, NodeStats>();

  /** Measures of `el`'s subtree. */
  get(el: Element): NodeStats {
    const hit = this.cache.get(el);
    if (hit) return hit;
    const out: NodeStats = { chars: 0, linkChars: 0, commas: 0 };
    for (const child of el.children) {
      let s: NodeStats;
      if (isText(child)) s = textStats(child.data);
      else if (isTag(child)) s = this.get(child);
      else continue;
      out.chars += s.chars;
      out.linkChars += s.linkChars;
      out.commas += s.commas;
    }
    if (el.name === 'a' && el.attribs.href !== undefined) {
      out.linkChars = el.attribs.href.startsWith('#') ? out.chars * 0.3 : out.chars;
    }
    this.cache.set(el, out);
    return out;
  }

  /** Share of the text that sits inside links (0 for an empty element). */
  linkDensity(el: Element): number {
    const s = this.get(el);
    return s.chars === 0 ? 0 : s.linkChars / s.chars;
  }

  /** Detaches `node` and subtracts its measures from cached ancestors. */
  remove(node: AnyNode): void {
    let s: NodeStats | null = null;
    if (isTag(node)) s = this.get(node);
    else if (isText(node)) s = textStats(node.data);
    let cur = node.parent;
    while (s && cur && isTag(cur)) {
      const c = this.cache.get(cur);
      if (c) {
        c.chars -= s.chars;
        c.linkChars = Math.max(0, Math.min(c.chars, c.linkChars - s.linkChars));
        c.commas -= s.commas;
      }
      cur = cur.parent;
    }
    removeNode(node);
  }

  /** Forgets cached measures (after edits made without `remove`). */
  clear(): void {
    this.cache.clear();
  }
}
