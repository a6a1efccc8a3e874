import { isWordBefore } from './unicode.js';

/**
 * Sentence splitting with exact offsets. A sentence ends at a line break, or at `.`, `!`, `?` or `…`
 * (plus any closing quotes or brackets) followed by white space and then something that can start a
 * sentence. A period does not end a sentence inside a number or URL ("1.0", "v2.3.1", "pytorch.org": no
 * white space follows), after a known abbreviation ("e.g.", "Inc.", "Dr.") or an initial ("J. Smith"), or
 * when the next word starts in lowercase.
 */

const ABBREVIATIONS = new Set([
  'e.g',
  'i.e',
  'etc',
  'vs',
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'inc',
  'ltd',
  'corp',
  'co',
  'jr',
  'sr',
  'st',
  'no',
  'nos',
  'fig',
  'figs',
  'al',
  'approx',
  'dept',
  'est',
  'u.s',
  'u.k',
  'u.s.a',
  'e.u',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
  'mt',
  'vol',
  'ed',
  'eds',
  'ph.d',
  'a.m',
  'p.m',
  'cf',
  'resp',
  'incl',
  'esp',
  'ca',
  'gen',
  'gov',
  'sen',
  'rep',
  'lt',
  'col',
  'capt',
  'sgt',
]);

/**
 * The code units the splitter stops at: line breaks and sentence-final punctuation. (Found by the regular
 * expression engine, which skips the text between them several times faster than a loop over code units.)
 */
const STOP = /[\n\u2028\u2029.!?\u2026\u3002]/g;

const CLOSERS = new Set([0x22, 0x27, 0x29, 0x5d, 0x7d, 0x2019, 0x201d, 0xbb]);

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0xa0 || c === 0x0d || (c >= 0x2000 && c <= 0x200a) || c === 0x3000;
}

/** Whether the character at `i` is a lowercase letter (ASCII fast path). */
function isLowerAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 0x80) return c >= 0x61 && c <= 0x7a;
  const ch = String.fromCodePoint(text.codePointAt(i) as number);
  return ch !== ch.toUpperCase() && ch === ch.toLowerCase();
}

/** The word (letters and inner periods) that ends just before offset `end`, lowercased. */
function wordBefore(text: string, end: number): string {
  let i = end;
  while (i > 0 && end - i < 12 && (text.charCodeAt(i - 1) === 0x2e || isWordBefore(text, i))) i--;
  return text.slice(i, end).toLowerCase();
}

/**
 * Longest sentence, in UTF-16 units. A run of text longer than this without a sentence end (a list, a table, a
 * page without punctuation) is cut at the last space before the limit, so that the work around each name in
 * a sentence stays bounded however long the text is.
 */
export const MAX_SENTENCE = 1500;

/**
 * Push `[s, e)` trimmed of white space, in pieces of at most MAX_SENTENCE, unless nothing is left. (Module
 * level: no closure per call.)
 */
function pushTrimmed(text: string, out: number[], s: number, e: number): void {
  while (s < e && (isSpace(text.charCodeAt(s)) || text.charCodeAt(s) === 0x0a)) s++;
  while (e > s && (isSpace(text.charCodeAt(e - 1)) || text.charCodeAt(e - 1) === 0x0a)) e--;
  while (e - s > MAX_SENTENCE) {
    let cut = s + MAX_SENTENCE;
    while (cut > s + MAX_SENTENCE / 2 && !isSpace(text.charCodeAt(cut))) cut--;
    if (!isSpace(text.charCodeAt(cut))) cut = s + MAX_SENTENCE;
    // Never between the two halves of a surrogate pair.
    const c = text.charCodeAt(cut);
    if (c >= 0xdc00 && c <= 0xdfff) cut--;
    let end = cut;
    while (end > s && isSpace(text.charCodeAt(end - 1))) end--;
    if (end > s) out.push(s, end);
    s = cut;
    while (s < e && isSpace(text.charCodeAt(s))) s++;
  }
  if (e > s) out.push(s, e);
}

/**
 * Split `text[from, to)` into sentences; returns a flat array `[start0, end0, start1, end1, ...]` of UTF-16
 * offsets into `text`, each sentence trimmed of surrounding white space, none empty.
 */
export function splitSentences(text: string, from = 0, to = text.length): number[] {
  return splitSentencesInto(text, from, to, []);
}

/** `splitSentences`, appending the offsets to `out` (which it returns). */
export function splitSentencesInto(text: string, from: number, to: number, out: number[]): number[] {
  let start = from;
  // (Over the range only, so the search never runs past `to`; offsets in it are relative to `from`.)
  const range = from === 0 && to === text.length ? text : text.slice(from, to);
  STOP.lastIndex = 0;
  while (STOP.test(range)) {
    const i = from + STOP.lastIndex - 1;
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x2029 || c === 0x2028) {
      pushTrimmed(text, out, start, i);
      start = i + 1;
      continue;
    }
    let end = i + 1;
    while (end < to) {
      const n = text.charCodeAt(end);
      if (n === 0x2e || n === 0x21 || n === 0x3f || CLOSERS.has(n)) end++;
      else break;
    }
    if (c === 0x3002) {
      pushTrimmed(text, out, start, end);
      start = end;
      STOP.lastIndex = end - from;
      continue;
    }
    if (end < to && !isSpace(text.charCodeAt(end)) && text.charCodeAt(end) !== 0x0a) continue;
    let next = end;
    while (next < to && isSpace(text.charCodeAt(next))) next++;
    if (next < to && text.charCodeAt(next) !== 0x0a) {
      if (isLowerAt(text, next)) continue;
      if (c === 0x2e && end === i + 1) {
        const word = wordBefore(text, i);
        if (ABBREVIATIONS.has(word)) continue;
        if (word.length === 1 && /\p{Lu}/u.test(text[i - 1] as string)) continue;
      }
    }
    pushTrimmed(text, out, start, end);
    start = end;
    STOP.lastIndex = end - from;
  }
  pushTrimmed(text, out, start, to);
  return out;
}
