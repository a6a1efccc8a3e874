import type { EntityKind } from '@frameline/core';
import type { RawMention } from './entities.js';
import { addFoundNames, type FoundName, type FoundNames, nameWords, titleCaseLine } from './found-names.js';
import type { CompiledTables, EntityList, NewNameWords } from './rule-set.js';
import { isSpace } from './trigger-checks.js';
import { isWordAt, isWordBefore } from './unicode.js';

/**
 * Names a text defines: a noun of the rules' `defining_nouns` says what the capitalised name written with it
 * is, in the two ways a text introduces a thing: "the FastRTC library" (a determiner, the name, the noun) and
 * "Quasar, a deep learning framework" (the name, a comma, an indefinite article, a few lowercase words, the
 * noun). The name becomes an entity of the noun's kind for that text, and every other place the text writes
 * it is a mention too.
 *
 * Not in a line written in title case; not a name the rules know (it is that entity); not a name starting with
 * a word of `not_new_names` ("the AI model", "the Python package"), nor one holding a word of `nameStops` or a
 * research word ("the EVMbench dataset"); not a lone acronym ("the NLP model"), nor a lone word the text also
 * writes in lowercase ("the Data platform").
 */

const NAME_WORD = /\p{Lu}[\p{L}\p{N}+#.-]*/uy;
const MAX_WORDS = 3;
/** Longest word of a name read back over, in UTF-16 units. */
const MAX_WORD = 48;
/** A real text defines a few names; a hostile one is not read past this many nouns. */
const MAX_HITS = 256;
const MAX_SCANNED = 32;
// Before "the Name noun": a determiner (the words are few and fixed: a shape, not wording).
const DETERMINER = /(?:^|[^\p{L}])(?:the|a|an|our|its|their|new|open-source)[ \u00a0]+$/iu;
// Between "Name," and the noun: an indefinite article and up to four lowercase words ("a deep learning").
const APPOSITION = /^,[ \u00a0]+(?:an?|the)[ \u00a0]+(?:[\p{Ll}\p{N}][\p{L}\p{N}-]*[ \u00a0]+){0,4}$/u;

/** The capitalised words written right before `at` (single spaces between), as [start, end) or null. */
function nameBefore(
  text: string,
  at: number,
  words: NewNameWords,
  stops: ReadonlySet<string>,
): [number, number] | null {
  // The words, read backwards: each starts after a space or at the start of the text.
  const starts: number[] = [];
  let end = at;
  while (starts.length < MAX_WORDS + 1) {
    if (end === 0) break;
    const gap = text.charCodeAt(end - 1);
    if (gap !== 0x20 && gap !== 0xa0) break;
    // (A word is short: a token longer than a name is not read back over.)
    let s = end - 1;
    while (s > 0 && end - s <= MAX_WORD && !isSpace(text.charCodeAt(s - 1))) s--;
    if (s > 0 && !isSpace(text.charCodeAt(s - 1))) break;
    const first = text.charCodeAt(s);
    if (first < 0x41 || (first > 0x5a && first < 0xc0)) break;
    NAME_WORD.lastIndex = s;
    const m = NAME_WORD.exec(text);
    if (m === null || s + m[0].length !== end - 1) break;
    starts.push(s);
    end = s;
  }
  if (starts.length === 0 || starts.length > MAX_WORDS) return null;
  const start = starts[starts.length - 1] as number;
  const written = text.slice(start, at - 1);
  if (!nameWords(written, words, stops)) return null;
  const lower = written.toLowerCase().split(/[ \u00a0]/u);
  if (lower.some((w) => words.researchWords.some((r) => w.includes(r)))) return null;
  return [start, at - 1];
}

/** The name a defining noun at [hs, he) defines, or null. */
function definedAt(
  text: string,
  hs: number,
  kind: EntityKind,
  words: NewNameWords,
  stops: ReadonlySet<string>,
): FoundName | null {
  // "the FastRTC library"
  const direct = nameBefore(text, hs, words, stops);
  if (direct !== null && DETERMINER.test(text.slice(Math.max(0, direct[0] - 16), direct[0])))
    return { start: direct[0], end: direct[1], kind };
  // "Quasar, a deep learning framework"
  let comma = hs - 1;
  while (comma >= 0 && hs - comma <= 48 && text.charCodeAt(comma) !== 0x2c) comma--;
  if (comma < 0 || hs - comma > 48 || !APPOSITION.test(text.slice(comma, hs))) return null;
  const before = nameBeforeComma(text, comma, words, stops);
  return before === null ? null : { start: before[0], end: before[1], kind };
}

/** The capitalised words written right before a comma at `comma`. */
function nameBeforeComma(
  text: string,
  comma: number,
  words: NewNameWords,
  stops: ReadonlySet<string>,
): [number, number] | null {
  // Read the last word up to the comma, then the words before it.
  let s = comma;
  while (
    s > 0 &&
    comma - s <= MAX_WORD &&
    !isSpace(text.charCodeAt(s - 1)) &&
    text.charCodeAt(s - 1) !== 0x28
  )
    s--;
  if (s > 0 && !isSpace(text.charCodeAt(s - 1)) && text.charCodeAt(s - 1) !== 0x28) return null;
  NAME_WORD.lastIndex = s;
  const m = NAME_WORD.exec(text);
  if (m === null || s + m[0].length !== comma) return null;
  const rest = s > 0 ? nameBefore(text, s, words, stops) : null;
  const start = rest === null ? s : rest[0];
  const written = text.slice(start, comma);
  if (written.split(/[ \u00a0]/u).length > MAX_WORDS || !nameWords(written, words, stops)) return null;
  return [start, comma];
}

/** Whether the text writes `word` in lowercase as a word of its own somewhere. */
function lowercaseElsewhere(text: string, word: string): boolean {
  const lower = word.toLowerCase();
  for (let at = text.indexOf(lower); at >= 0; at = text.indexOf(lower, at + 1))
    if (!isWordBefore(text, at) && !isWordAt(text, at + lower.length)) return true;
  return false;
}

/**
 * Add the names defined around `hits` (flat [start, end] pairs of defining nouns, in text order) to the known
 * `mentions` (ordered by start): new entities numbered after `entities`, and every place each name is written.
 */
export function addDefinedNames(
  text: string,
  hits: readonly number[],
  mentions: RawMention[],
  entities: EntityList,
  tables: CompiledTables,
): FoundNames {
  const { entityIndex: byId, newNames: words, nameStops: stops } = tables;
  const found: FoundName[] = [];
  for (let h = 0; h < hits.length && h < MAX_HITS * 2; h += 2) {
    const hs = hits[h] as number;
    const he = hits[h + 1] as number;
    if (isWordBefore(text, hs) || isWordAt(text, he)) continue;
    const kind = words.definingNouns.get(text.slice(hs, he).toLowerCase());
    if (kind === undefined) continue;
    const d = definedAt(text, hs, kind, words, stops);
    if (d === null) continue;
    // A capitalised noun is part of the name ("the Harbor Compute Summit"), right after it.
    const c = text.charAt(hs);
    if (c !== c.toLowerCase() && d.end === hs - 1) d.end = he;
    // A known name there is that entity ("the PyTorch library").
    if (mentions.some((k) => k.start < d.end && d.start < k.end)) continue;
    const written = text.slice(d.start, d.end);
    // A lone acronym ("the NLP model") is too often a field or a technique; a lone word the text also
    // writes in lowercase ("the Data platform", "data") is an ordinary word.
    if (/^\p{Lu}{1,4}$/u.test(written)) continue;
    if (!/[ \u00a0]/u.test(written) && lowercaseElsewhere(text, written)) continue;
    if (titleCaseLine(text, d.start)) continue;
    found.push(d);
  }
  return addFoundNames(text, found, mentions, entities, byId, MAX_SCANNED);
}
