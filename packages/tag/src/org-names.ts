import type { RawMention } from './entities.js';
import type { EntityInfo, EntityList, NewNameWords } from './rule-set.js';

/**
 * Organisations named by their shape wherever they are written: one to four capitalised words and a head
 * word of the rules' `org_shape_words` ("Vector Institute", "Canopy Labs", "Stanford University"), with
 * "of"/"for" and capitalised words after it ("Allen Institute for AI"), or "University of X". A vendor
 * entity named as written (id: its words in lowercase, `vector-institute`). Words of `not_new_names`
 * ("The", "Our", "Introducing") are not part of such a name; a name the rules know wins when it is as long.
 */
const CAP = "\\p{Lu}[\\p{L}\\p{N}&'.\\u2019-]*";
const SEP = '[ \\u00a0]+';

/** A real text names a few; a hostile one is not scanned past this many. */
const MAX_NAMES = 256;

/** The shape as one sticky expression, built once per rule set from its head words (null without any). */
export function orgShape(heads: ReadonlySet<string>): RegExp | null {
  if (heads.size === 0) return null;
  const alternatives = [...heads].map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  const tail = `(?:${SEP}(?:of|for)${SEP}(?:the${SEP})?${CAP}(?:${SEP}${CAP}){0,2})?`;
  return new RegExp(
    `(?<![\\p{L}\\p{N}_])(?:((?:${CAP}${SEP}){1,4})(?:${alternatives})${tail}|University${SEP}of${SEP}${CAP}(?:${SEP}${CAP})?)(?![\\p{L}\\p{N}_])`,
    'uy',
  );
}

/** A character a capitalised word of a name may hold (`CAP` above). */
function nameChar(c: number): boolean {
  if (c < 0x80)
    return (
      (c >= 0x61 && c <= 0x7a) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x30 && c <= 0x39) ||
      c === 0x26 ||
      c === 0x27 ||
      c === 0x2e ||
      c === 0x2d
    );
  return c === 0x2019 || /[\p{L}\p{N}]/u.test(String.fromCharCode(c));
}

/** Starts of up to `n` words written right before `at` (single spaces or no-break spaces between), farthest first. */
function wordStartsBefore(text: string, at: number, n: number): number[] {
  const starts: number[] = [];
  let i = at;
  while (starts.length < n) {
    let gap = i;
    while (gap > 0 && (text.charCodeAt(gap - 1) === 0x20 || text.charCodeAt(gap - 1) === 0xa0)) gap--;
    if (gap === i || gap === 0) break;
    let start = gap;
    while (start > 0 && nameChar(text.charCodeAt(start - 1))) start--;
    if (start === gap) break;
    starts.push(start);
    i = start;
  }
  return starts.reverse();
}

/**
 * Matches of the shape (a sticky expression) covering the head words (their offsets, in order, as the entity
 * pass found them), tried only from the few words before each head, farthest first: one expression over a
 * whole text is slow, it tries every capitalised word.
 */
export function* shapes(
  text: string,
  shape: RegExp,
  heads: readonly number[],
): Generator<{ start: number; written: string }> {
  let done = -1;
  for (const i of heads) {
    if (i < done) continue;
    // "University of X" starts at its head.
    for (const start of [...wordStartsBefore(text, i, 4), i]) {
      if (start < done) continue;
      shape.lastIndex = start;
      const m = shape.exec(text);
      if (m === null || start + m[0].length <= i) continue;
      done = start + m[0].length;
      yield { start, written: m[0] };
      break;
    }
  }
}

/** Organisation mentions found by shape (numbered after `entities`), replacing known names inside them. */
export function addOrgNames(
  text: string,
  heads: readonly number[],
  mentions: RawMention[],
  entities: EntityList,
  byId: ReadonlyMap<string, number>,
  words: NewNameWords,
): { mentions: RawMention[]; added: EntityInfo[] } {
  if (words.orgShape === null || heads.length === 0) return { mentions, added: [] };
  const found: RawMention[] = [];
  const added: EntityInfo[] = [];
  const local = new Map<string, number>();
  for (const m of shapes(text, words.orgShape, heads)) {
    if (found.length >= MAX_NAMES) break;
    let start = m.start;
    let written = m.written;
    // Leading words that never begin a name ("The Vector Institute", "Introducing Canopy Labs").
    for (;;) {
      const first = /^(\S+)[ \u00a0]+/u.exec(written);
      if (!first) break;
      if (/^(?:our|their|its|your|my|his|her)$/i.test(first[1] as string)) {
        start = -1;
        break;
      }
      if (!words.notNames.has((first[1] as string).toLowerCase())) break;
      start += first[0].length;
      written = written.slice(first[0].length);
    }
    // "NASA's Jet Propulsion Laboratory": the name starts after its owner's possessive.
    const possessive = /^.*['’]s[ \u00a0]+/u.exec(written);
    if (possessive !== null) {
      start += possessive[0].length;
      written = written.slice(possessive[0].length);
    }
    // "Our Research Labs", "our Research Labs": a description, not a name.
    if (
      start < 0 ||
      /(?:^|[^\p{L}])(?:our|their|its|your|my)[ \u00a0]+$/iu.test(text.slice(Math.max(0, start - 8), start))
    )
      continue;
    if (!/[ \u00a0]/.test(written)) continue;
    const end = start + written.length;
    // A known name covering the whole span is the better reading ("Meta Superintelligence Labs"), and so is a
    // known organisation inside it ("University of Pittsburgh Transform ..." in a title-case headline).
    if (
      mentions.some(
        (k) =>
          (k.start <= start && k.end >= end) ||
          (k.start < end && start < k.end && entities.at(k.entity).kind === 'vendor'),
      )
    )
      continue;
    const name = written.replace(/[\s\u00a0]+/gu, ' ');
    const id = name
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '');
    let entity = byId.get(id) ?? local.get(id);
    if (entity === undefined) {
      entity = entities.length + added.length;
      local.set(id, entity);
      added.push({ id, name, kind: 'vendor', parent: null });
    }
    found.push({ start, end, entity, ambiguous: false });
  }
  if (found.length === 0) return { mentions, added };
  const out = [...found, ...mentions.filter((k) => !found.some((f) => k.start < f.end && f.start < k.end))];
  out.sort((a, b) => a.start - b.start);
  return { mentions: out, added };
}
