import type { Author, FeedItem, ParsedFeed } from '@frameline/core';
import { htmlToText } from '@frameline/parse';
import { canonicalHtml } from './canonical-html.js';
import { operandsOf, type PyNode, type PyValue } from './py-expr.js';

/**
 * Translates feedparser result paths (`entries[0]['summary_detail']['value']`) into our fields, and evaluates
 * an `Expect:` expression against our result. Fields we do not keep make a case "not applicable", decided
 * from the expression alone, before anything runs.
 */
export interface OurResult {
  feed: ParsedFeed | null;
  error: Error | null;
  encoding: string;
}

/** How a feedparser value compares with ours. */
type Mode = 'text' | 'html' | 'plain' | 'date' | 'rawdate' | 'author' | 'encoding' | 'count';

interface FieldRef {
  ref: true;
  mode: Mode;
  value: unknown;
}

type Step = string | number;
type Getter = { mode: Mode; get: (r: OurResult) => unknown };

function item(r: OurResult, n: number): FeedItem | undefined {
  return r.feed?.items[n];
}

function author(r: OurResult, n: number, m: number): Author | undefined {
  return item(r, n)?.authors[m];
}

/** Why a feedparser field is outside what we keep, as a short group name. */
function reasonFor(scope: 'feed' | 'entry', steps: Step[]): string {
  const key = String(steps[0] ?? '');
  const last = String(steps[steps.length - 1] ?? '');
  if (['base', 'language', 'type'].includes(last) && steps.length > 1)
    return 'content metadata (type, language, xml:base)';
  if (/^(itunes|media|psc|georss|where|geo|thr|wfw|madeup|abcdefg|newlocation)/.test(key))
    return 'extension elements (itunes, media, geo, psc, threading, ...)';
  if (['links', 'enclosures', 'href'].includes(key)) return 'links list and enclosures';
  if (['tags', 'category'].includes(key)) return 'categories and tags';
  if (['contributors', 'publisher', 'publisher_detail'].includes(key)) return 'contributors and publisher';
  if (scope === 'feed' && ['author', 'author_detail', 'authors'].includes(key)) return 'feed-level authors';
  if (['author_detail', 'authors'].includes(key) && last === 'url') return 'author URLs';
  if (['rights', 'rights_detail', 'copyright', 'copyright_detail', 'license'].includes(key))
    return 'rights and licence';
  if (
    [
      'image',
      'textinput',
      'cloud',
      'ttl',
      'docs',
      'generator',
      'generator_detail',
      'icon',
      'logo',
      'info',
      'info_detail',
      'comments',
    ].includes(key)
  )
    return 'channel metadata (image, cloud, textinput, generator, docs, info, comments, ...)';
  if (key === 'source') return 'entry source';
  if (
    /_parsed$/.test(key) ||
    ['published', 'updated', 'created', 'modified', 'issued', 'expired', 'date'].includes(key)
  ) {
    if (scope === 'feed') return 'feed-level dates';
    if (/^(created|expired|validity)/.test(key)) return 'dates we do not keep (created, expired)';
    return 'raw date strings (we keep ISO 8601)';
  }
  if (['guidislink', 'language', 'id', 'guid', 'subtitle'].includes(key)) return `${scope}-level ${key}`;
  return `other field: ${key}`;
}

function mapFeedPath(steps: Step[]): Getter | string {
  const path = steps.join('.');
  if (path === 'title' || path === 'title_detail.value') return { mode: 'text', get: (r) => r.feed?.title };
  if (path === 'link') return { mode: 'plain', get: (r) => r.feed?.link };
  if (['description', 'subtitle', 'tagline', 'subtitle_detail.value', 'tagline_detail.value'].includes(path))
    return { mode: 'html', get: (r) => r.feed?.description };
  return reasonFor('feed', steps);
}

function mapEntryPath(n: number, steps: Step[]): Getter | string {
  const path = steps.map((s) => (typeof s === 'number' ? '#' : s)).join('.');
  const idx = (i: number) => (typeof steps[i] === 'number' ? (steps[i] as number) : -1);
  switch (path) {
    case 'title':
    case 'title_detail.value':
      return { mode: 'text', get: (r) => item(r, n)?.title };
    case 'link':
      return { mode: 'plain', get: (r) => item(r, n)?.link };
    case 'id':
    case 'guid':
      return { mode: 'plain', get: (r) => item(r, n)?.id };
    // feedparser copies text/HTML content into `summary` when there is no summary element.
    case 'summary':
    case 'description':
    case 'summary_detail.value':
      return { mode: 'html', get: (r) => item(r, n)?.summary ?? item(r, n)?.content };
    case '#':
      break;
    case 'content.#.value':
      if (idx(1) === 0) return { mode: 'html', get: (r) => item(r, n)?.content };
      return 'multiple content elements';
    case 'published_parsed':
    case 'issued_parsed':
      return { mode: 'date', get: (r) => item(r, n)?.published };
    // feedparser 6 answers `updated*` with `published*` when an entry has no update date.
    case 'updated_parsed':
    case 'modified_parsed':
    case 'date_parsed':
      return { mode: 'date', get: (r) => item(r, n)?.updated ?? item(r, n)?.published };
    // feedparser keeps the date string as written; we keep it normalised, so compare instants.
    case 'published':
    case 'issued':
      return { mode: 'rawdate', get: (r) => item(r, n)?.published };
    case 'updated':
    case 'modified':
      return { mode: 'rawdate', get: (r) => item(r, n)?.updated ?? item(r, n)?.published };
    case 'author':
      return { mode: 'author', get: (r) => author(r, n, 0) };
    case 'author_detail.name':
      return { mode: 'plain', get: (r) => author(r, n, 0)?.name };
    case 'author_detail.email':
      return { mode: 'plain', get: (r) => author(r, n, 0)?.email };
    case 'authors.#.name':
      return { mode: 'plain', get: (r) => author(r, n, idx(1))?.name };
    case 'authors.#.email':
      return { mode: 'plain', get: (r) => author(r, n, idx(1))?.email };
  }
  return reasonFor('entry', steps);
}

/** The chain of literal subscripts/attributes under a root name, e.g. entries[0]['title'] → entries, [0, 'title']. */
export function chainOf(node: PyNode): { root: string; steps: Step[] } | null {
  const steps: Step[] = [];
  let current = node;
  for (;;) {
    if (current.kind === 'sub') {
      if (current.index.kind !== 'lit') return null;
      const v = current.index.value;
      if (typeof v !== 'string' && typeof v !== 'number') return null;
      steps.unshift(v);
      current = current.target;
    } else if (current.kind === 'attr') {
      steps.unshift(current.name);
      current = current.target;
    } else if (current.kind === 'name') return { root: current.id, steps };
    else return null;
  }
}

function resolvePath(node: PyNode): Getter | string | null {
  const chain = chainOf(node);
  if (!chain) return null;
  const { root, steps } = chain;
  if (root === 'feed') return steps.length === 0 ? 'whole feed dict' : mapFeedPath(steps);
  if (root === 'entries') {
    if (steps.length === 0) return { mode: 'count', get: (r) => r.feed?.items ?? [] };
    const [n, ...rest] = steps;
    if (typeof n !== 'number') return `entries.${String(n)}`;
    if (rest.length === 0) return 'whole entry dict';
    return mapEntryPath(n, rest);
  }
  if (root === 'encoding' && steps.length === 0) return { mode: 'encoding', get: (r) => r.encoding };
  if (root === 'version' && steps.length === 0) return { mode: 'plain', get: (r) => r.feed?.version };
  return null;
}

/** `x.has_key('k')` where x['k'] is a field we keep: the path it asks about, else null. */
function hasKeyPath(n: PyNode): Getter | null {
  if (n.kind !== 'call' || n.fn.kind !== 'attr' || n.fn.name !== 'has_key') return null;
  const arg = n.args[0];
  if (arg?.kind !== 'lit' || typeof arg.value !== 'string') return null;
  const resolved = resolvePath({ kind: 'sub', target: n.fn.target, index: arg });
  return resolved && typeof resolved !== 'string' ? resolved : null;
}

const KNOWN_FUNCTIONS = new Set(['len', 'ord']);

/** Returns why an expression concerns something we do not keep, or null when it is fully translatable. */
export function notApplicableReason(node: PyNode): string | null {
  const reasons: string[] = [];
  let checks = 0;
  const visit = (n: PyNode): void => {
    const resolved = resolvePath(n);
    if (typeof resolved === 'string') {
      reasons.push(resolved);
      return;
    }
    if (resolved) {
      checks++;
      return;
    }
    const operands = operandsOf(n);
    if (operands !== null) {
      operands.forEach(visit);
      return;
    }
    switch (n.kind) {
      case 'name':
        if (n.id === 'bozo') return;
        reasons.push(
          ['etag', 'modified', 'modified_parsed', 'headers', 'locals', 'href', 'status'].includes(n.id)
            ? 'HTTP response metadata'
            : n.id === 'bozo_exception' || n.id === 'feedparser'
              ? 'bozo exception class'
              : `name ${n.id}`,
        );
        return;
      case 'call':
        if (n.fn.kind === 'name' && KNOWN_FUNCTIONS.has(n.fn.id)) n.args.forEach(visit);
        else if (n.fn.kind === 'name' && n.fn.id === 'isinstance') reasons.push('bozo exception class');
        else if (hasKeyPath(n)) checks++;
        else if (n.fn.kind === 'attr' && (n.fn.name === 'get' || n.fn.name === 'has_key'))
          reasons.push('key presence checks');
        else reasons.push('unsupported call');
        return;
      case 'sub':
      case 'attr':
        reasons.push('unsupported expression');
        return;
      case 'dict':
        reasons.push('dict comparisons (links, tags, where)');
        return;
      case 'lit':
        if (n.value === 1 || n.value === true) checks++;
        return;
    }
  };
  visit(node);
  if (reasons.length > 0) return reasons[0] ?? null;
  if (checks === 0 && containsNotBozo(node)) return null;
  return checks === 0 ? 'bozo flag (well-formedness) only' : null;
}

function containsNotBozo(node: PyNode): boolean {
  if (node.kind === 'not' && node.operand.kind === 'name' && node.operand.id === 'bozo') return true;
  if (node.kind === 'bool') return node.operands.some(containsNotBozo);
  return false;
}

type Value = PyValue | FieldRef | undefined;

function isRef(v: Value): v is FieldRef {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as FieldRef).ref === true;
}

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

function tupleToIso(t: PyValue[]): string | null {
  const [y, mo, d, h, mi, s] = t.map(Number);
  if (y === undefined || mo === undefined || d === undefined) return null;
  return new Date(Date.UTC(y, mo - 1, d, h ?? 0, mi ?? 0, s ?? 0)).toISOString().replace('.000Z', 'Z');
}

/** gb18030 is the superset feedparser itself substitutes for gb2312; other names compare case-insensitively. */
function sameEncoding(a: string, b: string): boolean {
  const norm = (s: string) => (s.toLowerCase() === 'gb2312' ? 'gb18030' : s.toLowerCase());
  return norm(a) === norm(b);
}

function refEquals(ref: FieldRef, expected: Value): boolean {
  const ours = ref.value;
  if (expected === null || expected === undefined) return ours === null || ours === undefined || ours === '';
  switch (ref.mode) {
    case 'text': {
      if (typeof expected !== 'string') return false;
      const o = typeof ours === 'string' ? ours : '';
      return o === collapse(expected) || o === htmlToText(expected, 'inline');
    }
    case 'html': {
      if (typeof expected !== 'string') return ours === expected;
      const o = typeof ours === 'string' ? ours : '';
      // Same markup, different serialisation (feedparser re-serialises HTML; we keep the feed's own).
      return o.trim() === expected.trim() || canonicalHtml(o) === canonicalHtml(expected);
    }
    case 'plain': {
      if (typeof expected !== 'string') return ours === expected;
      const o = typeof ours === 'string' ? ours : '';
      return o.trim() === expected.trim();
    }
    case 'date':
      return Array.isArray(expected) && typeof ours === 'string' && tupleToIso(expected) === ours;
    case 'rawdate': {
      // JavaScript's own Date parser is the independent reference for the expected instant.
      const instant = typeof expected === 'string' ? Date.parse(expected) : Number.NaN;
      return typeof ours === 'string' && Number.isFinite(instant) && Date.parse(ours) === instant;
    }
    case 'encoding':
      return typeof expected === 'string' && typeof ours === 'string' && sameEncoding(ours, expected);
    case 'author': {
      if (typeof expected !== 'string') return false;
      const a = ours as Author | undefined;
      if (!a) return expected === '';
      const forms = [
        a.name,
        a.email,
        `${a.name} (${a.email})`,
        `${a.email} (${a.name})`,
        `${a.name} <${a.email}>`,
      ];
      return forms.includes(expected.trim());
    }
    case 'count':
      return false;
  }
}

function plain(v: Value): unknown {
  return isRef(v) ? v.value : v;
}

function truthy(v: Value): boolean {
  const p = plain(v);
  if (Array.isArray(p)) return p.length > 0;
  return p !== null && p !== undefined && p !== '' && p !== 0 && p !== false;
}

function equals(a: Value, b: Value): boolean {
  if (isRef(a)) return refEquals(a, isRef(b) ? (b.value as PyValue) : b);
  if (isRef(b)) return refEquals(b, a);
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Evaluates a translatable expression against our result. */
export function evaluate(node: PyNode, r: OurResult): Value {
  const resolved = resolvePath(node);
  if (resolved && typeof resolved !== 'string')
    return { ref: true, mode: resolved.mode, value: resolved.get(r) };
  switch (node.kind) {
    case 'lit':
      return node.value;
    case 'name':
      // A positive `bozo` (feedparser flagged the document ill-formed) is not something we keep: it holds.
      if (node.id === 'bozo') return true;
      throw new Error(`cannot evaluate name ${node.id}`);
    case 'tuple':
      return node.items.map((i) => plain(evaluate(i, r)) as PyValue);
    case 'not':
      if (node.operand.kind === 'name' && node.operand.id === 'bozo') return r.error === null;
      return !truthy(evaluate(node.operand, r));
    case 'neg':
      return -Number(plain(evaluate(node.operand, r)));
    case 'bool':
      if (node.op === 'and') return node.operands.every((o) => truthy(evaluate(o, r)));
      return node.operands.some((o) => truthy(evaluate(o, r)));
    case 'call': {
      const key = hasKeyPath(node);
      if (key) {
        const v = key.get(r);
        return v !== null && v !== undefined && v !== '';
      }
      const fn = node.fn.kind === 'name' ? node.fn.id : '';
      const arg = plain(evaluate(node.args[0] as PyNode, r));
      if (fn === 'len') return Array.isArray(arg) || typeof arg === 'string' ? arg.length : -1;
      if (fn === 'ord')
        return typeof arg === 'string' && [...arg].length === 1 ? (arg.codePointAt(0) ?? -1) : -1;
      throw new Error(`cannot evaluate call ${fn}`);
    }
    case 'compare': {
      let left = evaluate(node.first, r);
      for (const { op, right: rightNode } of node.rest) {
        const right = evaluate(rightNode, r);
        let ok: boolean;
        if (op === '==' || op === 'is') ok = equals(left, right);
        else if (op === '!=' || op === 'is not') ok = !equals(left, right);
        else if (op === '<') ok = Number(plain(left)) < Number(plain(right));
        else if (op === '>') ok = Number(plain(left)) > Number(plain(right));
        else throw new Error(`cannot evaluate operator ${op}`);
        if (!ok) return false;
        left = right;
      }
      return true;
    }
    default:
      throw new Error(`cannot evaluate ${node.kind}`);
  }
}

/** Whether the expression holds for our result (a case expecting `1` only asks that parsing returns). */
export function holds(node: PyNode, r: OurResult): boolean {
  if (node.kind === 'lit') return r.error === null && truthy(node.value);
  // `not bozo` asks that the document parse; a thrown error fails every case, whatever else it checks.
  if (r.error !== null) return false;
  return truthy(evaluate(node, r));
}
