import type { CompiledTables } from './rule-set.js';
import { isWordAt, isWordBefore, PUNCT_FOLD } from './unicode.js';

/** One selected mention of an entity, before ambiguous names are confirmed. */
export interface RawMention {
  start: number;
  end: number;
  /** Index into the rule set's entities. */
  entity: number;
  /** Written with an ambiguous name ("Spark"): needs context to count. */
  ambiguous: boolean;
}

/** Whether `text[start, end)` equals `form` exactly, after folding typographic quotes, dashes and spaces. */
function sameCase(text: string, start: number, form: string): boolean {
  for (let i = 0; i < form.length; i++) {
    if (PUNCT_FOLD[text.charCodeAt(start + i)] !== form.charCodeAt(i)) return false;
  }
  return true;
}

// A dotted version right after a name: "jax 0.4.35", "ray==2.9.0", "torch>=2.1".
const PACKAGE_VERSION = /^(?:[ \u00a0]|[=~<>!]=|>|@)v?\d+\.\d+/u;

/**
 * Whether a name the rules recognise only in its own capitalisation ("JAX", "Ray") is written here as its
 * package is, in lowercase right before a dotted version ("jax 0.4.35", "ray==2.9.0"): the package, not a word.
 */
function packageSpelling(text: string, start: number, end: number): boolean {
  if (!PACKAGE_VERSION.test(text.slice(end, end + 12))) return false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) return false;
  }
  return true;
}

/** Index of the first mention starting at or after `at` (mentions ordered by start), or their count. */
export function firstMentionFrom(mentions: readonly { start: number }[], at: number): number {
  let lo = 0;
  let hi = mentions.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((mentions[mid] as { start: number }).start < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Scratch buffers for `findMentions`' candidates, grown as needed and reused (it is not reentrant). */
interface Scratch {
  starts: Int32Array;
  ends: Int32Array;
  owners: Int32Array;
  ambiguous: Uint8Array;
  order: Int32Array;
}

function newScratch(size: number): Scratch {
  return {
    starts: new Int32Array(size),
    ends: new Int32Array(size),
    owners: new Int32Array(size),
    ambiguous: new Uint8Array(size),
    order: new Int32Array(size),
  };
}

let scratch = newScratch(256);

/**
 * The entity pass: one scan of the automaton over `text`, keeping whole-word matches whose case rules hold,
 * then choosing leftmost-longest among overlapping ones; shorter names nested inside a longer one are not
 * mentions. A `not:` phrase of an entity removes that entity's names inside it (and only its). An owner's
 * name directly before its product's name joins the product's mention ("NVIDIA Nemotron").
 *
 * The same scan finds the phrases around new names and the head words of organisations' names; they are
 * appended to `newNameHits` (the caller's, or null to skip them) as flat [start, end, 1 | 2 | 3, ...] triples
 * in text order (see `SurfaceUse.newName`).
 */
export function findMentions(
  text: string,
  tables: CompiledTables,
  newNameHits: number[] | null,
): RawMention[] {
  const { entityMatcher, uses } = tables;
  const count = entityMatcher.scan(text, 0, text.length);
  // Most fields (titles above all) name nothing: nothing to allocate then.
  if (count === 0) return [];
  const lengths = entityMatcher.lengths;
  const { hitPattern, hitEnd } = entityMatcher;
  // Candidates as parallel arrays in reused scratch buffers (never more than the hits); block phrases
  // (`not:`) kept apart.
  if (scratch.starts.length < count) scratch = newScratch(count * 2);
  const { starts, ends, owners, ambiguous, order } = scratch;
  let candidates = 0;
  let blocks: { start: number; end: number; entity: number }[] | null = null;
  for (let h = 0; h < count; h++) {
    const pattern = hitPattern[h] as number;
    const end = hitEnd[h] as number;
    const start = end - (lengths[pattern] as number);
    if (isWordBefore(text, start) || isWordAt(text, end)) continue;
    let owner = -1;
    let amb = true;
    const last = uses.first[pattern + 1] as number;
    for (let u = uses.first[pattern] as number; u < last; u++) {
      const newName = uses.newName[u] as number;
      if (newName !== 0) {
        newNameHits?.push(start, end, newName);
        continue;
      }
      const exact = uses.exact[u] ?? null;
      if (exact !== null && !sameCase(text, start, exact) && !packageSpelling(text, start, end)) continue;
      const entity = uses.entity[u] as number;
      const useAmbiguous = uses.ambiguous[u] === 1;
      if (uses.block[u] === 1) {
        blocks ??= [];
        blocks.push({ start, end, entity });
      } else if (owner < 0 || (amb && !useAmbiguous)) {
        owner = entity;
        amb = useAmbiguous;
      }
    }
    if (owner < 0) continue;
    starts[candidates] = start;
    ends[candidates] = end;
    owners[candidates] = owner;
    ambiguous[candidates] = amb ? 1 : 0;
    candidates++;
  }
  if (candidates === 0) return [];

  let kept = 0;
  let sorted = true;
  for (let i = 0; i < candidates; i++) {
    const s = starts[i] as number;
    const e = ends[i] as number;
    const o = owners[i] as number;
    if (blocks?.some((b) => b.entity === o && b.start <= s && e <= b.end)) continue;
    if (kept > 0 && s <= (starts[order[kept - 1] as number] as number)) sorted = false;
    order[kept++] = i;
  }
  // Candidates arrive by end offset; leftmost-longest needs them by start, longest first. Without nesting or
  // overlap (the usual case) both orders agree and the sort is skipped.
  if (!sorted) {
    order
      .subarray(0, kept)
      .sort(
        (a, b) => (starts[a] as number) - (starts[b] as number) || (ends[b] as number) - (ends[a] as number),
      );
  }
  const out: RawMention[] = [];
  let covered = 0;
  for (let k = 0; k < kept; k++) {
    const i = order[k] as number;
    const start = starts[i] as number;
    if (start < covered) {
      // "NVIDIA DGX" then "DGX Spark": an overlapping longer name of the same entity (or of a product of
      // it) extends the mention instead of being dropped.
      const last = out[out.length - 1];
      const entity = owners[i] as number;
      if (
        last !== undefined &&
        (ends[i] as number) > covered &&
        ambiguous[i] === 0 &&
        (last.entity === entity || tables.ancestors[entity]?.includes(last.entity) === true)
      ) {
        covered = ends[i] as number;
        out[out.length - 1] = { start: last.start, end: covered, entity, ambiguous: false };
      }
      continue;
    }
    covered = ends[i] as number;
    const mention = { start, end: covered, entity: owners[i] as number, ambiguous: ambiguous[i] === 1 };
    // "NVIDIA Nemotron", "Google Gemma 2": a vendor's name written right before its own product's name
    // (a space apart, no possessive) is one name, the product's.
    const prev = out[out.length - 1];
    if (
      prev !== undefined &&
      start - prev.end === 1 &&
      text.charCodeAt(prev.end) === 0x20 &&
      (prev.entity === mention.entity || tables.ancestors[mention.entity]?.includes(prev.entity) === true)
    ) {
      out[out.length - 1] = { ...mention, start: prev.start, ambiguous: mention.ambiguous && prev.ambiguous };
      continue;
    }
    out.push(mention);
  }
  return out;
}

/** One cue phrase occurrence (trigger, plan word, negation, context word) inside a sentence. */
export interface CueHit {
  start: number;
  end: number;
  /** Index into the rule set's cues. */
  cue: number;
}

/**
 * A trigger written in lower case in the rules, found capitalised after a lowercase word, is part of a name
 * ("raised $88M from Benchmark", "joined the Partnership on AI"), not the word itself. Headlines in title
 * case capitalise the word before too, and German nouns are written capitalised in the rules.
 */
function properNameAt(text: string, start: number, written: string): boolean {
  const c = text.charCodeAt(start);
  if (c < 0x41 || c > 0x5a) return false;
  const w = written.charCodeAt(0);
  if (w < 0x61 || w > 0x7a) return false;
  let i = start - 1;
  while (i >= 0 && text.charCodeAt(i) === 0x20) i--;
  if (i === start - 1) return false;
  // The first letter of the word before.
  let w0 = i;
  while (w0 > 0 && isWordBefore(text, w0)) w0--;
  if (w0 > i) return false;
  const p = text.charCodeAt(w0);
  return p >= 0x61 && p <= 0x7a;
}

/**
 * Every whole-word cue phrase in `text[from, to)`, overlaps kept, ordered by start: trigger, plan and
 * negation phrases, or with `context` the context words of ambiguous names.
 */
export function findCues(
  text: string,
  tables: CompiledTables,
  from: number,
  to: number,
  context = false,
): CueHit[] {
  const matcher = context ? tables.contextMatcher : tables.cueMatcher;
  const ids = context ? tables.contextIds : tables.cueIds;
  const out: CueHit[] = [];
  const count = matcher.scan(text, from, to);
  for (let h = 0; h < count; h++) {
    const pattern = matcher.hitPattern[h] as number;
    const cue = ids[pattern] as number;
    const end = matcher.hitEnd[h] as number;
    const start = end - (matcher.lengths[pattern] as number);
    if (isWordBefore(text, start) || isWordAt(text, end)) continue;
    // A hyphen joins words for cues: "Pre-Release" is not "release", "re-launch" not "launch".
    if (text.charCodeAt(start - 1) === 0x2d && isWordBefore(text, start - 1)) continue;
    if (text.charCodeAt(end) === 0x2d && isWordAt(text, end + 1)) continue;
    if (!context && properNameAt(text, start, matcher.patterns[pattern] as string)) continue;
    out.push({ start, end, cue });
  }
  // Hits arrive by end offset: only overlapping phrases put them out of start order, so the sort (stable,
  // hence a no-op on hits already in order) is skipped unless one is.
  for (let k = 1; k < out.length; k++) {
    if (byStartLongestFirst(out[k - 1] as CueHit, out[k] as CueHit) > 0) return out.sort(byStartLongestFirst);
  }
  return out;
}

function byStartLongestFirst(a: CueHit, b: CueHit): number {
  return a.start - b.start || b.end - a.end;
}
