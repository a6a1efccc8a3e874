// Small helpers over domhandler nodes. We walk the tree directly instead of going through cheerio
// selections because the scoring passes touch every node several times and the wrappers cost more
// than the work.
import { type AnyNode, Element, isTag, isText } from 'domhandler';

export type { AnyNode, Element };

/** A new detached element. */
export function createElement(name: string, attribs: Record<string, string> = {}): Element {
  return new Element(name, attribs);
}
export { isTag, isText };

/** Element children of a node, in document order. */
export function elementChildren(node: Element): Element[] {
  const out: Element[] = [];
  for (const child of node.children) if (isTag(child)) out.push(child);
  return out;
}

/** Every element below `root` (not `root` itself), in document order. */
export function descendants(root: Element, names?: ReadonlySet<string>): Element[] {
  const out: Element[] = [];
  const stack: AnyNode[] = [...root.children].reverse();
  while (stack.length > 0) {
    const node = stack.pop() as AnyNode;
    if (!isTag(node)) continue;
    if (names === undefined || names.has(node.name)) out.push(node);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as AnyNode);
  }
  return out;
}

/** Raw concatenated text of a subtree (like DOM textContent). */
export function textContent(node: AnyNode): string {
  if (isText(node)) return node.data;
  if (!isTag(node) && !('children' in node)) return '';
  let out = '';
  const stack: AnyNode[] = [node];
  while (stack.length > 0) {
    const cur = stack.pop() as AnyNode;
    if (isText(cur)) out += cur.data;
    else if (isTag(cur) || cur.type === 'root') {
      const kids = (cur as Element).children;
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i] as AnyNode);
    }
  }
  return out;
}

/** Text with whitespace runs collapsed and trimmed, as Readability's getInnerText does. */
export function innerText(node: AnyNode): string {
  return textContent(node).replace(/\s+/g, ' ').trim();
}

/** Removes a node from its parent. */
export function removeNode(node: AnyNode): void {
  const parent = node.parent;
  if (parent === null) return;
  const i = parent.children.indexOf(node as never);
  if (i >= 0) parent.children.splice(i, 1);
  if (node.prev) node.prev.next = node.next;
  if (node.next) node.next.prev = node.prev;
  node.parent = null;
  node.prev = null;
  node.next = null;
}

/** Replaces `node` by its own children. */
export function unwrap(node: Element): void {
  const parent = node.parent;
  if (parent === null) return;
  const i = parent.children.indexOf(node);
  const kids = node.children;
  for (const k of kids) k.parent = parent;
  parent.children.splice(i, 1, ...kids);
  relink(parent.children);
  node.children = [];
  node.parent = null;
}

/** Appends `child` (detached first) to `parent`. */
export function appendChild(parent: Element, child: AnyNode): void {
  removeNode(child);
  const last = parent.children[parent.children.length - 1] ?? null;
  child.parent = parent;
  child.prev = last;
  child.next = null;
  if (last) last.next = child;
  parent.children.push(child as never);
}

function relink(nodes: AnyNode[]): void {
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i] as AnyNode;
    n.prev = nodes[i - 1] ?? null;
    n.next = nodes[i + 1] ?? null;
  }
}

/** `class` and `id` joined, for the class/id hint patterns. */
export function classAndId(el: Element): string {
  const c = el.attribs.class ?? '';
  const id = el.attribs.id ?? '';
  return c && id ? `${c} ${id}` : c || id;
}

/** Whether an ancestor (up to `maxDepth` levels, 0 = unlimited) has one of the tag names. */
export function hasAncestor(el: AnyNode, names: ReadonlySet<string>, maxDepth = 0): boolean {
  let depth = 0;
  let cur = el.parent;
  while (cur && isTag(cur)) {
    if (maxDepth > 0 && ++depth > maxDepth) return false;
    if (names.has(cur.name)) return true;
    cur = cur.parent;
  }
  return false;
}

/** Counts elements below `root` with one of the names. */
export function countTags(root: Element, names: ReadonlySet<string>): number {
  let n = 0;
  const stack: AnyNode[] = [...root.children];
  while (stack.length > 0) {
    const cur = stack.pop() as AnyNode;
    if (!isTag(cur)) continue;
    if (names.has(cur.name)) n++;
    for (const k of cur.children) stack.push(k);
  }
  return n;
}

/**
 * Caps the tree's depth: below `maxDepth`, element structure is dropped and only text, images and line
 * breaks are kept, in order. Real pages nest a few dozen levels; thousands of levels (unclosed <font>
 * or <div> tags) would otherwise overflow the stack of every recursive walk, the serializer's included.
 */
export function capDepth(root: AnyNode, maxDepth: number): void {
  const stack: [AnyNode, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [AnyNode, number];
    if (!('children' in node)) continue;
    const parent = node as Element;
    if (depth >= maxDepth && parent.children.some(isTag)) {
      const kept: AnyNode[] = [];
      const inner: AnyNode[] = [...parent.children].reverse();
      while (inner.length > 0) {
        const n = inner.pop() as AnyNode;
        if (isTag(n) && n.children.length > 0) {
          for (let i = n.children.length - 1; i >= 0; i--) inner.push(n.children[i] as AnyNode);
        } else if (isText(n) || (isTag(n) && (n.name === 'img' || n.name === 'br'))) {
          kept.push(n);
        }
      }
      for (const k of kept) k.parent = parent;
      parent.children = kept as Element['children'];
      relink(kept);
      continue;
    }
    for (const child of parent.children) stack.push([child, depth + 1]);
  }
}
