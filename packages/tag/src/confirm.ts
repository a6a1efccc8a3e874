import { findCues, firstMentionFrom, type RawMention } from './entities.js';
import type { CompiledTables } from './rule-set.js';
import { splitSentencesInto } from './sentences.js';

// Ambiguous names ("Spark", "Arm", "Cursor") count only where something confirms them: the entity named
// plainly elsewhere in the text, a context word or entity near them, or the name acting in the news.

/**
 * The mentions starting in [from, to) (mentions ordered by start), found by binary search so that checks
 * around each of many ambiguous names stay linear in a long text.
 */
function within(raw: RawMention[], from: number, to: number): RawMention[] {
  const lo = firstMentionFrom(raw, from);
  let end = lo;
  while (end < raw.length && (raw[end] as RawMention).start < to) end++;
  return raw.slice(lo, end);
}

/** Index of the sentence containing offset `at` (sentences as flat [start, end, ...] pairs), or -1. */
export function sentenceAt(sentences: number[], at: number): number {
  let lo = 0;
  let hi = sentences.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (at < (sentences[2 * mid] as number)) hi = mid - 1;
    else if (at >= (sentences[2 * mid + 1] as number)) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/**
 * Sentences of the lines that hold a mention (flat [start, end, ...] pairs in order). Lines without a
 * mention are never split: the splitter treats a line break as a sentence end anyway, so the result is the
 * same as splitting the whole text and keeping those lines.
 */
export function sentencesWithMentions(text: string, raw: RawMention[]): number[] {
  const out: number[] = [];
  let k = 0;
  while (k < raw.length) {
    const at = (raw[k] as RawMention).start;
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    const newline = text.indexOf('\n', at);
    const lineEnd = newline < 0 ? text.length : newline;
    splitSentencesInto(text, lineStart, lineEnd, out);
    while (k < raw.length && (raw[k] as RawMention).start < lineEnd) k++;
  }
  return out;
}

/** Whether sentence `a` and the next one in the list have no line break between them. */
function sameLine(text: string, sentences: number[], a: number): boolean {
  // Only the gap between the two is looked at (a search to the next line break would cross a whole text
  // without breaks for every ambiguous name).
  for (let k = sentences[2 * a + 1] as number; k < (sentences[2 * a + 2] as number); k++) {
    if (text.charCodeAt(k) === 0x0a) return false;
  }
  return true;
}

/**
 * Keep an ambiguous mention ("Spark") when its entity is named unambiguously in the text, or a context
 * word or context entity occurs in its sentence or the sentence before or after.
 */
export function confirm(
  text: string,
  raw: RawMention[],
  sentences: number[],
  tables: CompiledTables,
): RawMention[] {
  if (!raw.some((m) => m.ambiguous)) return raw;
  const plain = new Set(raw.filter((m) => !m.ambiguous).map((m) => m.entity));
  return raw.filter((m) => {
    if (!m.ambiguous || plain.has(m.entity)) return true;
    const s = sentenceAt(sentences, m.start);
    if (s < 0) return false;
    // Neighbours count only on the same line (other lines' sentences are not all split, see above).
    const first = s > 0 && sameLine(text, sentences, s - 1) ? s - 1 : s;
    const last = s + 1 < sentences.length / 2 && sameLine(text, sentences, s) ? s + 1 : s;
    const from = sentences[2 * first] as number;
    const to = sentences[2 * last + 1] as number;
    const wanted = tables.contextEntities[m.entity] ?? [];
    const near = within(raw, from, to);
    if (near.some((o) => o !== m && o.end <= to && wanted.includes(o.entity))) return true;
    for (let k = first; k <= last; k++) {
      const context = findCues(
        text,
        tables,
        sentences[2 * k] as number,
        sentences[2 * k + 1] as number,
        true,
      );
      if (context.some((c) => tables.cues[c.cue]?.confirms.includes(m.entity))) return true;
    }
    // The last two readings need another entity named unambiguously in the sentence.
    const range: [number, number] = [sentences[2 * s] as number, sentences[2 * s + 1] as number];
    if (
      !within(raw, range[0], range[1]).some((o) => !o.ambiguous && o.entity !== m.entity && o.end <= range[1])
    )
      return false;
    return actsInAnnouncement(text, m, range, tables) || placeOfAvailability(text, m, range, tables);
  });
}

/**
 * "Cursor is now a part of SpaceX", "Arm joins forces with Meta": a capitalised ambiguous name written
 * right before an announcement trigger, in a sentence that names another entity unambiguously (the caller
 * checks that), is that entity acting in the news, not the ordinary word ("cursor", "arm" are not announced about).
 */
function actsInAnnouncement(
  text: string,
  m: RawMention,
  [from, to]: [number, number],
  tables: CompiledTables,
): boolean {
  // Not the tail of a longer name ("Nemotron 3.5 Lightning", "GPT-5.3-Codex-Spark"): the name opens the
  // sentence or follows a lowercase word or a comma.
  const before = text.slice(from, m.start);
  if (!/^[\s\p{P}]*$/u.test(before) && !/(?:^|[\s(])\p{Ll}+[ \u00a0]+$|,[ \u00a0]+$/u.test(before))
    return false;
  return findCues(text, tables, m.end, to).some(
    (c) =>
      (tables.cues[c.cue]?.rules.length ?? 0) > 0 &&
      c.start > m.end &&
      tables.reading.actorGap.test(text.slice(m.end, c.start)),
  );
}

/**
 * "Gemini 3 Pro is now available in Cursor": an ambiguous name right after "available in" (and the like),
 * in a sentence that names another entity unambiguously (the caller checks that), is the platform that name
 * belongs to, not a word.
 */
function placeOfAvailability(
  text: string,
  m: RawMention,
  [from]: [number, number],
  tables: CompiledTables,
): boolean {
  // "... is now available in Cursor", "comes to Modal": the capitalised place a named thing becomes available in.
  return tables.reading.arrivalBefore.test(text.slice(Math.max(from, m.start - 40), m.start));
}
