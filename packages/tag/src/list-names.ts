import type { EntityKind } from '@frameline/core';
import type { RawMention } from './entities.js';
import { addFoundNames, type FoundNames, nameWords, titleCaseLine } from './found-names.js';
import type { CompiledTables, EntityList, NewNameWords } from './rule-set.js';
import { isWordAt, isWordBefore } from './unicode.js';

/**
 * Names nobody listed that a text lists beside known ones: in "TorchCSPRNG, TorchVision, TorchText and
 * TorchAudio" the first is what the others are (a library). A list of at least three members joined by commas
 * and a conjunction, two or more of them known, makes each capitalised member nobody listed an entity of the
 * kind most known members have; so does a list with one known member when the unknown one is written as only
 * names are (inner capitals or digits: "FriendliAI", "OpenWebUI", "Gaudi3").
 *
 * Not in a line written in title case; not a member starting with a word of `not_new_names`, nor one holding a
 * headline word (`nameStops`), a contraction or a possessive, nor a lone acronym of up to four letters.
 */

const MEMBER = /\p{Lu}[\p{L}\p{N}+#.&'-]*(?:[ \u00a0]\p{Lu}[\p{L}\p{N}+#.&'-]*){0,2}/uy;

/** Between two members of a list, and a gap holding a join, for a rule set's `list_joins`. */
export interface ListWords {
  /** Between two members: a comma, a join, or both (issue references of release notes allowed). */
  readonly gap: RegExp;
  /** A gap holding a join ("and", "or", "&"): commas alone make no list. */
  readonly joined: RegExp;
}

/** The patterns for a rule set's joins (an alternation of `reading.ts`, already escaped). */
export function listPatterns(joins: string): ListWords {
  return {
    gap: new RegExp(
      `(?:[ \\u00a0]*\\(?#\\d+\\)?)*(?:[ \\u00a0]*,[ \\u00a0]*(?:${joins}[ \\u00a0]+)?|[ \\u00a0]+${joins}[ \\u00a0]+)`,
      'uy',
    ),
    joined: new RegExp(`(?:^|[ \\u00a0])${joins}[ \\u00a0]`, 'u'),
  };
}
const NAME_LIKE = /^\p{Lu}[\p{L}\p{N}]*(?:\p{Ll}\p{Lu}|\p{N})|^\p{Lu}\p{Ll}+\p{Lu}/u;
const MAX_MEMBERS = 24;
const MAX_SCANNED = 32;

interface Member {
  start: number;
  end: number;
  /** The known entity, or -1. */
  entity: number;
}

/** The known mention starting exactly at `at`, or undefined (mentions ordered by start). */
function knownAt(
  mentions: readonly RawMention[],
  at: number,
  from: number,
): [RawMention, number] | undefined {
  for (let k = from; k < mentions.length; k++) {
    const m = mentions[k] as RawMention;
    if (m.start > at) return undefined;
    if (m.start === at) return [m, k];
  }
  return undefined;
}

/** The list around the known mention `k`, read forwards from it (members before it are read by the caller). */
function listFrom(
  text: string,
  mentions: readonly RawMention[],
  k: number,
  gap_: RegExp,
): { members: Member[]; gaps: string[] } {
  const first = mentions[k] as RawMention;
  const members: Member[] = [{ start: first.start, end: first.end, entity: first.entity }];
  const gaps: string[] = [];
  let pos = first.end;
  let next = k + 1;
  while (members.length < MAX_MEMBERS) {
    gap_.lastIndex = pos;
    const gap = gap_.exec(text);
    if (gap === null || gap.index !== pos || gap[0].length === 0) break;
    const at = pos + gap[0].length;
    const known = knownAt(mentions, at, next);
    if (known !== undefined) {
      members.push({ start: at, end: known[0].end, entity: known[0].entity });
      gaps.push(gap[0]);
      pos = known[0].end;
      next = known[1] + 1;
      continue;
    }
    MEMBER.lastIndex = at;
    const m = MEMBER.exec(text);
    if (m === null || m.index !== at) break;
    let end = at + m[0].length;
    while (end > at && /[.'&-]/u.test(text.charAt(end - 1))) end--;
    // A member runs into no known name ("TorchFoo TorchVision" is not one member).
    for (let j = next; j < mentions.length && (mentions[j] as RawMention).start < end; j++) {
      const x = mentions[j] as RawMention;
      if (x.start > at) {
        end = Math.max(at, x.start - 1);
        break;
      }
    }
    if (end <= at) break;
    members.push({ start: at, end, entity: -1 });
    gaps.push(gap[0]);
    pos = end;
  }
  return { members, gaps };
}

/** The member written right before `at` as the first of a list ("TorchFoo, " before a known name), or null. */
function memberBefore(text: string, at: number): Member | null {
  // (Most names have no comma before them: look at the character first, the expression only then.)
  let i = at - 1;
  while (i >= 0 && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0xa0)) i--;
  const c = text.charCodeAt(i);
  if (c !== 0x2c && c !== 0x29 && !(c >= 0x30 && c <= 0x39)) return null;
  const before = text.slice(Math.max(0, at - 60), at);
  const m =
    /(\p{Lu}[\p{L}\p{N}+#.&'-]*(?:[ \u00a0]\p{Lu}[\p{L}\p{N}+#.&'-]*){0,2})(?:[ \u00a0]*\(?#\d+\)?)*[ \u00a0]*,[ \u00a0]*$/u.exec(
      before,
    );
  if (m === null) return null;
  const start = at - before.length + m.index;
  return { start, end: start + (m[1] as string).length, entity: -1 };
}

function okMember(text: string, m: Member, words: NewNameWords, stops: ReadonlySet<string>): boolean {
  const written = text.slice(m.start, m.end);
  // (nor a contraction or possessive: "We're", "Google's")
  if (!nameWords(written, words, stops) || /['’]\p{Ll}/u.test(written)) return false;
  if (/^\p{Lu}{1,4}$/u.test(written)) return false;
  return !isWordBefore(text, m.start) && !isWordAt(text, m.end);
}

/**
 * Add the unlisted members of lists of known names to the known `mentions` (ordered by start): new entities
 * numbered after `entities`, and every place each name is written.
 */
export function addListNames(
  text: string,
  mentions: RawMention[],
  entities: EntityList,
  tables: CompiledTables,
): FoundNames {
  const { entityIndex: byId, newNames: words, nameStops: stops, list } = tables;
  const found: { member: Member; kind: EntityKind }[] = [];
  let done = -1;
  for (let k = 0; k < mentions.length; k++) {
    const start = mentions[k] as RawMention;
    if (start.start < done || start.ambiguous) continue;
    // (Most names are in no list: nothing is built unless a list gap follows the name or a member precedes it.)
    list.gap.lastIndex = start.end;
    const head = memberBefore(text, start.start);
    if (head === null && list.gap.exec(text)?.index !== start.end) continue;
    const { members, gaps } = listFrom(text, mentions, k, list.gap);
    if (head !== null) {
      members.unshift(head);
      gaps.unshift(',');
    }
    done = (members[members.length - 1] as Member).end;
    if (members.length < 2 || !gaps.some((g) => list.joined.test(g))) continue;
    const known = members.filter((m) => m.entity >= 0);
    const unknown = members.filter((m) => m.entity < 0 && okMember(text, m, words, stops));
    // In a title-case line every word is capitalised: the members are not told from the words around them.
    if (unknown.length === 0 || titleCaseLine(text, start.start)) continue;
    const strong = known.length >= 2 && members.length >= 3;
    const kinds = new Map<EntityKind, number>();
    for (const m of known) {
      const kind = entities.at(m.entity).kind;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    const kind = [...kinds].sort((a, b) => b[1] - a[1])[0]?.[0];
    if (kind === undefined) continue;
    for (const m of unknown) {
      if (strong || NAME_LIKE.test(text.slice(m.start, m.end))) found.push({ member: m, kind });
    }
  }
  return addFoundNames(
    text,
    found.map(({ member, kind }) => ({ start: member.start, end: member.end, kind })),
    mentions,
    entities,
    byId,
    MAX_SCANNED,
  );
}
