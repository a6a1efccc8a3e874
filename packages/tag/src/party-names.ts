import type { RawMention } from './entities.js';
import { addFoundNames, type FoundName, type FoundNames, nameWords } from './found-names.js';
import { kindOfLast } from './new-names.js';
import type { CompiledTables, EntityList, NewNameWords } from './rule-set.js';
import { isWordAt, isWordBefore } from './unicode.js';

/**
 * Parties of a partnership nobody listed: where a known name and a capitalised one are the two sides of a
 * partnership ("Acme and Quillstone partner", "Quillstone & Acme team up", "Acme partners with Quillstone"),
 * the capitalised name is an organisation (or what its last word makes it: "... Institute", "... Labs"). The
 * slot is narrow enough to be read in a title-case headline too. Every other place the text writes the name is
 * a mention of it as well.
 *
 * The words come from the rule set: the first words of the partnership rules' triggers ("partner", "team"),
 * `party_joins` ("and", "&") and `party_words` ("with", "between") of `reading:`.
 */

const CAP_WORD = "\\p{Lu}[\\p{L}\\p{N}&'.-]*";
/** A name of one to three capitalised words, captured. */
const NAME = `(${CAP_WORD}(?:[ \\u00a0]${CAP_WORD}){0,2})`;
const MAX_SCANNED = 16;
const NEXT_WORD = /[ \u00a0]+([\p{L}&]+)/uy;

export interface PartyWords {
  /** First words of the partnership triggers, lowercase ("partner", "partners", "team", "collaborate"). */
  readonly triggerWords: ReadonlySet<string>;
  /** The joins of two parties, lowercase ("and", "&"). */
  readonly joinWords: ReadonlySet<string>;
  /** "Acme and Quillstone partner": after a known name, a join, the name, and a trigger word. */
  readonly joinedAfter: RegExp;
  /** "Quillstone and Acme partner": before a known name, the name and a join. */
  readonly joinedBefore: RegExp;
  /** "Acme partners with Quillstone": after a known name, a trigger word, a party word, the name. */
  readonly withAfter: RegExp;
  /**
   * 1 at each lowercase ASCII letter that starts a trigger or join word: a word starting with another ASCII
   * letter (in either case) is neither.
   */
  readonly asciiStarts: Uint8Array;
}

/** The patterns for a rule set's words (alternations of `reading.ts`, already escaped). */
export function partyPatterns(
  triggerWords: ReadonlySet<string>,
  joinWords: ReadonlySet<string>,
  joins: string,
  with_: string,
): PartyWords {
  return {
    triggerWords,
    joinWords,
    joinedAfter: new RegExp(`^[ \\u00a0]+${joins}[ \\u00a0]+${NAME}[ \\u00a0]+(\\p{L}+)`, 'u'),
    joinedBefore: new RegExp(`${NAME}[ \\u00a0]+${joins}[ \\u00a0]+$`, 'u'),
    withAfter: new RegExp(
      `^[ \\u00a0]+(\\p{L}+)(?:[ \\u00a0]+up)?[ \\u00a0]+${with_}[ \\u00a0]+(?:the[ \\u00a0]+)?${NAME}`,
      'u',
    ),
    asciiStarts: asciiStarts([...triggerWords, ...joinWords]),
  };
}

function asciiStarts(words: readonly string[]): Uint8Array {
  const starts = new Uint8Array(128);
  for (const w of words) {
    const c = w.charCodeAt(0);
    if (c < 128) starts[c] = 1;
  }
  return starts;
}

/**
 * Whether the word after the spaces at `at` may be a trigger or join word, by its first letter alone: false
 * when no space follows the name or the word opens with an ASCII letter no such word opens with. (A regular
 * expression and a lowercased copy per mention cost more than the rest of this pass.)
 */
function mayBePartyWord(text: string, at: number, party: PartyWords): boolean {
  let p = at;
  while (text.charCodeAt(p) === 0x20 || text.charCodeAt(p) === 0xa0) p++;
  if (p === at) return false;
  const c = text.charCodeAt(p);
  if (c >= 0x41 && c <= 0x5a) return party.asciiStarts[c + 0x20] === 1;
  if (c >= 0x61 && c <= 0x7a) return party.asciiStarts[c] === 1;
  return true;
}

/**
 * The party's name within a captured run at [start, end): leading words that are never a name dropped ("Meet
 * Quillstone"), cut before a trigger word a title-case headline capitalises ("Quillstone Partner"); null when
 * nothing is left or a word is a headline word.
 */
function partySpan(
  text: string,
  start: number,
  end: number,
  words: NewNameWords,
  stops: ReadonlySet<string>,
  party: PartyWords,
): [number, number] | null {
  const parts: [number, number][] = [];
  for (const m of text.slice(start, end).matchAll(/\S+/gu))
    parts.push([start + m.index, start + m.index + m[0].length]);
  const word = (k: number) => text.slice(...(parts[k] as [number, number])).toLowerCase();
  let from = 0;
  while (from < parts.length && words.notNames.has(word(from))) from++;
  let to = from;
  while (to < parts.length && !party.triggerWords.has(word(to))) to++;
  if (to === from) return null;
  const span: [number, number] = [
    (parts[from] as [number, number])[0],
    (parts[to - 1] as [number, number])[1],
  ];
  return nameWords(text.slice(...span), words, stops) ? span : null;
}

/** Whether the run at [start, end) of a "name and name" ends in a trigger word or is followed by one. */
function endsInTrigger(text: string, start: number, end: number, next: string, party: PartyWords): boolean {
  if (party.triggerWords.has(next.toLowerCase())) return true;
  return text
    .slice(start, end)
    .split(/[ \u00a0]/u)
    .some((w, k) => k > 0 && party.triggerWords.has(w.toLowerCase()));
}

/**
 * Add the partnership parties nobody listed, next to the known `mentions` (ordered by start): new entities
 * numbered after `entities`, and every place each name is written.
 */
export function addPartyNames(
  text: string,
  mentions: RawMention[],
  entities: EntityList,
  tables: CompiledTables,
): FoundNames {
  const { entityIndex: byId, newNames: words, nameStops: stops, party } = tables;
  const found: [number, number][] = [];
  for (const m of mentions) {
    if (m.ambiguous) continue;
    // (Only a join or a trigger word after the name can start a party: read that word before the rest.)
    if (!mayBePartyWord(text, m.end, party)) continue;
    NEXT_WORD.lastIndex = m.end;
    const word = NEXT_WORD.exec(text)?.[1]?.toLowerCase();
    if (word === undefined || (!party.triggerWords.has(word) && !party.joinWords.has(word))) continue;
    const after = text.slice(m.end, m.end + 80);
    const joined = party.joinedAfter.exec(after);
    if (joined !== null) {
      const at = m.end + after.indexOf(joined[1] as string, 1);
      const end = at + (joined[1] as string).length;
      if (endsInTrigger(text, at, end, joined[2] as string, party)) {
        found.push([at, end]);
        continue;
      }
    }
    const partnered = party.withAfter.exec(after);
    if (partnered !== null && party.triggerWords.has((partnered[1] as string).toLowerCase())) {
      const name = partnered[2] as string;
      const at = m.end + partnered[0].length - name.length;
      found.push([at, at + name.length]);
      continue;
    }
    const next = /^[ \u00a0]+(\p{L}+)/u.exec(after);
    if (next === null || !party.triggerWords.has((next[1] as string).toLowerCase())) continue;
    const before = text.slice(Math.max(0, m.start - 60), m.start);
    const first = party.joinedBefore.exec(before);
    if (first !== null) {
      const at = m.start - before.length + first.index;
      found.push([at, at + (first[1] as string).length]);
    }
  }
  const names: FoundName[] = [];
  for (const run of found) {
    const span = partySpan(text, run[0], run[1], words, stops, party);
    if (span === null) continue;
    const [start, end] = span;
    if (isWordBefore(text, start) || isWordAt(text, end)) continue;
    // A known name inside it is that name ("Acme and NVIDIA partner").
    if (mentions.some((k) => k.start < end && start < k.end)) continue;
    const written = text.slice(start, end);
    const kind = kindOfLast(written.slice(written.search(/\S+$/u)).toLowerCase(), words);
    names.push({ start, end, kind: kind === 'product' ? 'vendor' : kind });
  }
  return addFoundNames(text, names, mentions, entities, byId, MAX_SCANNED);
}
