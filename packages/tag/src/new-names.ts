import type { EntityKind } from '@frameline/core';
import { firstMentionFrom, type RawMention } from './entities.js';
import type { EntityInfo, EntityList, NewNameWords } from './rule-set.js';
import { isWordAt, isWordBefore } from './unicode.js';

/**
 * Names the rules do not know, where a release introduces them. A release is often the first time a name is
 * written anywhere ("Introducing Muse Spark 1.1", "Model Vault is now available"), so no list can hold it:
 * after an opener phrase, or before a follower phrase at the start of a line or sentence, a run of capitalised
 * words becomes an entity of its own for that text. Its id is the name in lowercase words joined by hyphens,
 * its kind `product` unless its last word makes it a programme, an event, an organisation or a library.
 *
 * Conservative by design, since a wrong name takes the announcement away from the right one: no name made
 * only of words listed as `not_new_names`, no name ending in a feature word ("Prompt Caching on ..."), none
 * followed by "in"/"on" a known name (a feature of that product), none that is a dataset or a benchmark, and a
 * known name at the start only extends into a new one when it is a product or library followed by one more
 * capitalised word ("Dagster Pipes"), or a vendor followed by its product's name ("Perplexity Pages").
 */

// One word of a name: capitalised ("Vault", "GroqCloud", "SWE-1", "Claude.ai") or a version ("3.1", "v2").
const WORD = /\p{Lu}[\p{L}\p{M}\p{N}+#&'’.-]*|v?\p{N}[\p{L}\p{N}.]*/uy;
const VERSION = /^v?\p{N}[\p{N}.]*\p{Ll}?$/u;
const LEADING = /(?:(?:the|our|a|an|new|its|their|your)[ \u00a0]+)*/iuy;
const RESEARCH_OUTPUT =
  /^[,:]?[ \u00a0]+(?:(?:a|an|our|the)[ \u00a0]+)?(?:[\p{L}-]+[ \u00a0]+){0,2}(?:dataset|benchmark|paper|study|method|technique|report|evaluation|eval|leaderboard)s?\b/iu;
const FEATURE_OF =
  /^[ \u00a0]+(?:(?:now[ \u00a0]+)?(?:in|on)[ \u00a0]+(?:public[ \u00a0]+|private[ \u00a0]+)?(?:beta|preview|alpha|early[ \u00a0]+access)[ \u00a0]+)?(?:in|on|inside|within|for|to)[ \u00a0]+(?:the[ \u00a0]+)?$/iu;
const MAX_WORDS = 6;
const MAX_SCANNED_NAMES = 32;
/** How far before a follower its name may start, in UTF-16 units. */
const FOLLOWER_REACH = 120;
// The name goes on past a small word: "Security and Public Sector Advisory Council", "AI for Science Program".
export const CONTINUES = /^[ \u00a0]+(?:and|&|of|for|de|du|der)[ \u00a0]+\p{Lu}/u;
// Lowercase words that may follow a new name: function words, verbs of the news, stages ("Introducing Vault
// for teams", "Vault is here", "Vault today", "Vault in beta").
const NAME_FOLLOWERS = new Set(
  (
    'for to in on with at by from into onto via and or but as than of the a an is are was were be been has have ' +
    'had will can could may might should would does do did now today this that which who where when while ' +
    'after before since until across inside within through over under beyond alongside plus built designed ' +
    'made powered available general generally officially publicly finally also just beta alpha preview ' +
    'launches launched arrives arrived brings helps lets makes gives enables offers delivers supports ' +
    'comes joins expands adds gets goes runs works yet here there'
  ).split(' '),
);
// Small words that end a name even when capitalised in a headline ("Annual Report For 2011").
const STOP_WORDS = new Set(
  'for of and the to in on with at by from a an or as via into is are was now your our its new vs'.split(' '),
);
/** The longest of STOP_WORDS: a longer word is none of them (tested before lowercasing it). */
const STOP_WORD_LENGTH = Math.max(...[...STOP_WORDS].map((w) => w.length));

/** `.`, `'`, `’`, `&`, `+` or `-`: marks that end a word without belonging to it ("Vault.", "Tag's"). */
function trailingMark(c: number): boolean {
  return c === 0x2e || c === 0x27 || c === 0x2019 || c === 0x26 || c === 0x2b || c === 0x2d;
}

// "This paper introduces ...", "This release introduces ...": a method or a feature, not a new product.
const DOCUMENT_OPENER =
  /(?:paper|study|post|article|report|work|release|section|chapter|update|version)[ \u00a0]+$/iu;

/** The words of a name written from `at`: word spans up to the first one that cannot continue a name. */
function wordsAt(text: string, at: number, limit: number): [number, number][] {
  const out: [number, number][] = [];
  let p = at;
  while (out.length < MAX_WORDS) {
    WORD.lastIndex = p;
    const m = WORD.exec(text);
    if (m === null || m.index + m[0].length > limit) break;
    if (m[0].length <= STOP_WORD_LENGTH && STOP_WORDS.has(m[0].toLowerCase())) break;
    let end = m.index + m[0].length;
    // "Vault." ends a sentence; "Tag's" is a possessive: neither the dot nor the "'s" is part of the word.
    let possessive = false;
    const word = m[0];
    if (/['’]s$/u.test(word)) {
      end -= 2;
      possessive = true;
    } else {
      while (trailingMark(text.charCodeAt(end - 1)) && end > m.index + 1 && !word.endsWith('+')) end--;
    }
    if (isWordAt(text, end) && !possessive) break;
    out.push([m.index, end]);
    if (possessive || end !== m.index + word.length) break;
    const next = text.charCodeAt(end);
    if ((next !== 0x20 && next !== 0xa0) || end + 1 >= limit) break;
    p = end + 1;
  }
  return out;
}

/** "Model Vault" → "model-vault", "Weaviate C# Client" → "weaviate-csharp-client". */
export function idOfName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\+\+/g, 'pp')
    .replace(/#/g, 'sharp')
    .replace(/\+/g, '-plus')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

interface Found {
  start: number;
  end: number;
  /** The kind its last word gives a new name. */
  kind: EntityKind;
  /** A known entity written with an ambiguous name ("North"), which the release confirms; else -1. */
  known: number;
}

/** The new name written from `at`, or null. `mentions` are the known names of the text, by start. */
function nameAt(
  text: string,
  at: number,
  limit: number,
  mentions: readonly RawMention[],
  entities: EntityList,
  words: NewNameWords,
): Found | null {
  LEADING.lastIndex = at;
  const lead = LEADING.exec(text);
  const from = at + (lead?.[0].length ?? 0);
  const spans = wordsAt(text, from, limit);
  // Versions after the name are the release's version, not part of the name.
  let n = spans.length;
  while (n > 0 && VERSION.test(text.slice(...(spans[n - 1] as [number, number])))) n--;
  if (n === 0) return null;
  const ws = spans.slice(0, n).map(([s, e]) => text.slice(s, e));
  const start = (spans[0] as [number, number])[0];
  const end = (spans[n - 1] as [number, number])[1];
  if (VERSION.test(ws[0] as string)) return null;
  const lower = ws.map((w) => w.toLowerCase());
  if (words.notNames.has(lower[0] as string) || lower.every((w) => words.notNames.has(w))) return null;
  const last = lower[n - 1] as string;
  const kind = kindOfLast(last, words);
  const kindWord = kind === 'program' || kind === 'event' || kind === 'vendor';
  // "Introducing Labs": a kind word alone names nothing.
  if (kindWord && n === 1) return null;
  if (!kindWord && words.featureWords.has(last)) return null;
  // "Introducing EVMbench", "GeneBench-Pro": benchmarks and datasets are research outputs, not entities.
  if (lower.some((w) => words.researchWords.some((r) => w.includes(r)))) return null;
  // A lone acronym ("UK", "API") is too often not a product's name; so is a plain word after a headline's
  // "New" ("Introducing New Ways to Work"), unlike "the new Dagster+ UI".
  if (n === 1 && /^\p{Lu}{1,4}$/u.test(ws[0] as string)) return null;
  if (n === 1 && /\bNew[ \u00a0]+$/u.test(lead?.[0] ?? '') && /^\p{Lu}\p{Ll}+$/u.test(ws[0] as string))
    return null;
  const after = text.slice(end, Math.min(text.length, end + 80));
  if (RESEARCH_OUTPUT.test(after) || CONTINUES.test(after)) return null;
  // "announced our San Francisco office", "releasing new Llama protection tools": a name followed by a
  // lowercase noun only qualifies that noun.
  const tail = (spans[spans.length - 1] as [number, number])[1];
  const nextWord = /^[ \u00a0]+(\p{Ll}[\p{Ll}-]*)(?![\p{N}])/u.exec(text.slice(tail, tail + 40))?.[1];
  if (nextWord !== undefined && !NAME_FOLLOWERS.has(nextWord)) return null;
  // "Publishers’ Program": a possessive with a capitalised word after it is inside a longer name.
  if (/^['’]s?[ \u00a0]+\p{Lu}/u.test(after)) return null;
  const next = firstMentionFrom(mentions, end);
  const nextKnown = mentions[next];
  if (nextKnown !== undefined && FEATURE_OF.test(text.slice(end, nextKnown.start))) return null;

  // Known names overlapping the new one (mentions are ordered and do not overlap each other).
  const inside: RawMention[] = [];
  for (let k = Math.max(0, firstMentionFrom(mentions, start) - 1); k < next; k++) {
    const m = mentions[k] as RawMention;
    if (m.end > start) inside.push(m);
  }
  if (inside.length === 0) return { start, end, kind, known: -1 };
  const first = inside[0] as RawMention;
  if (inside.length === 1 && first.ambiguous && first.start === start && first.end === end) {
    return { start, end, kind, known: first.entity };
  }
  if (inside.length > 1 || first.start !== start || first.end >= end) return null;
  const knownKind = entities.at(first.entity).kind;
  // The rest must start right after the known name, a space apart.
  const restStart = spans.findIndex(([s]) => s > first.end);
  if (restStart < 0 || (spans[restStart] as [number, number])[0] !== first.end + 1) return null;
  const rest = n - restStart;
  if (knownKind === 'vendor') return { start, end, kind, known: -1 };
  if (knownKind === 'product' || knownKind === 'library' || knownKind === 'framework') {
    if (rest === 1 || words.libraryWords.has(last)) return { start, end, kind, known: -1 };
  }
  return null;
}

/** The kind a new name's last word (lowercased) gives it. */
export function kindOfLast(last: string, words: NewNameWords): EntityKind {
  if (words.programWords.has(last)) return 'program';
  if (words.eventWords.has(last)) return 'event';
  if (words.vendorWords.has(last)) return 'vendor';
  if (words.libraryWords.has(last)) return 'library';
  return 'product';
}

/**
 * Add the new names around `hits` (flat [start, end, side] triples of opener and follower phrases) to the
 * known `mentions` (ordered by start). Returns the mentions (known ones nested in a new name dropped, every
 * occurrence of a new name added) and the new entities, numbered after `entities`.
 */
export function addNewNames(
  text: string,
  hits: readonly number[],
  mentions: RawMention[],
  entities: EntityList,
  byId: ReadonlyMap<string, number>,
  words: NewNameWords,
): { mentions: RawMention[]; added: EntityInfo[] } {
  const found: Found[] = [];
  // End of the line of the current hit; hits come in text order, so it only moves forward (a text without
  // line breaks is not searched again for every hit).
  let lineEnd = -1;
  for (let h = 0; h < hits.length; h += 3) {
    if ((hits[h + 2] as number) >= 3) continue; // an organisation's head word or a defining noun
    const hs = hits[h] as number;
    const he = hits[h + 1] as number;
    if (isWordBefore(text, hs) || isWordAt(text, he)) continue;
    if (hits[h + 2] === 1) {
      const gap = text.charCodeAt(he);
      if (gap !== 0x20 && gap !== 0xa0) continue;
      if (DOCUMENT_OPENER.test(text.slice(Math.max(0, hs - 12), hs))) continue;
      if (lineEnd < he) {
        const nl = text.indexOf('\n', he);
        lineEnd = nl < 0 ? text.length : nl;
      }
      const f = nameAt(text, he + 1, lineEnd, mentions, entities, words);
      if (f) found.push(f);
    } else {
      // A follower counts only after a name that opens its line or sentence: "Model Vault is now
      // available". A name is short, so only the text just before the follower is looked at.
      const from = Math.max(0, hs - FOLLOWER_REACH);
      const before = text.slice(from, hs);
      const boundary = Math.max(
        before.lastIndexOf('\n'),
        before.search(/[.!?]["')\]]?\s+(?!.*[.!?]["')\]]?\s)/su),
      );
      if (boundary < 0 && from > 0) continue;
      let at = boundary < 0 ? from : from + boundary + 1;
      while (at < hs && /[\s.!?"')\]]/u.test(text[at] as string)) at++;
      const f = nameAt(text, at, hs, mentions, entities, words);
      if (f && /^[ \u00a0]+(?:v?\p{N}[\p{N}.]*\p{Ll}?[ \u00a0]+)*$/u.test(text.slice(f.end, hs)))
        found.push(f);
    }
  }
  if (found.length === 0) return { mentions, added: [] };

  const added: EntityInfo[] = [];
  const entityOf = new Map<string, number>();
  const extra: RawMention[] = [];
  // Each written form is looked up in the text once, however often an opener introduces it, and only the
  // first few forms are (a real text introduces a handful; a hostile one thousands, each a scan of the text).
  const scanned = new Set<string>();
  for (const f of found) {
    if (f.known >= 0) {
      extra.push({ start: f.start, end: f.end, entity: f.known, ambiguous: false });
      continue;
    }
    const written = text.slice(f.start, f.end);
    const name = written.replace(/[\s\u00a0]+/gu, ' ');
    const id = idOfName(name);
    if (id === '') continue;
    let entity = byId.get(id) ?? entityOf.get(id);
    if (entity === undefined) {
      entity = entities.length + added.length;
      added.push({ id, name, kind: f.kind, parent: null });
      entityOf.set(id, entity);
    }
    extra.push({ start: f.start, end: f.end, entity, ambiguous: false });
    // Every other occurrence of the new name in the text is a mention too.
    if (scanned.has(written) || scanned.size >= MAX_SCANNED_NAMES) continue;
    scanned.add(written);
    for (let at = text.indexOf(written); at >= 0; at = text.indexOf(written, at + 1)) {
      if (at >= f.start && at < f.end) continue;
      if (isWordBefore(text, at) || isWordAt(text, at + written.length)) continue;
      extra.push({ start: at, end: at + written.length, entity, ambiguous: false });
    }
  }
  // Longest first at one start, then drop whatever overlaps an earlier kept span (new names win over the
  // known names nested in them, since they are longer).
  const all = [...extra, ...mentions].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: RawMention[] = [];
  for (const m of all) {
    const prev = out[out.length - 1];
    if (prev !== undefined && m.start < prev.end) continue;
    out.push(m);
  }
  return { mentions: out, added };
}
