/**
 * Character classes the tagger relies on. JavaScript's `\b` is ASCII-only even with the `u` flag, so word
 * boundaries are defined here: a word character is a Unicode letter, mark, digit or underscore.
 */

const WORD = /[\p{L}\p{M}\p{N}_]/u;

/** 1 for each BMP code unit that is a word character; surrogates are resolved by `isWordCodePoint`. */
const BMP_WORD: Uint8Array = (() => {
  const table = new Uint8Array(0x10000);
  // One global regex pass over every non-surrogate BMP character is much faster at load time than 65,536
  // separate tests.
  const all = bmpString();
  for (const m of all.matchAll(/[\p{L}\p{M}\p{N}_]/gu)) table[m[0].charCodeAt(0)] = 1;
  return table;
})();

/** Every BMP code unit except surrogates, in order, as one string. */
function bmpString(): string {
  const parts: string[] = [];
  const chunk: number[] = [];
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    chunk.push(c);
    if (chunk.length === 4096) {
      parts.push(String.fromCharCode(...chunk));
      chunk.length = 0;
    }
  }
  parts.push(String.fromCharCode(...chunk));
  return parts.join('');
}

/** Whether a code point is a word character (letter, mark, digit, underscore). */
export function isWordCodePoint(cp: number): boolean {
  if (cp < 0x10000) return BMP_WORD[cp] === 1;
  return WORD.test(String.fromCodePoint(cp));
}

/** Whether a UTF-16 code unit is a word character on its own (surrogates never are). */
export function isWordUnit(unit: number): boolean {
  return BMP_WORD[unit] === 1;
}

/** Whether the character ending just before UTF-16 offset `i` is a word character (false at the start). */
export function isWordBefore(text: string, i: number): boolean {
  if (i <= 0) return false;
  const c = text.charCodeAt(i - 1);
  if (c >= 0xdc00 && c <= 0xdfff && i >= 2) {
    const hi = text.charCodeAt(i - 2);
    if (hi >= 0xd800 && hi <= 0xdbff) return isWordCodePoint(((hi - 0xd800) << 10) + (c - 0xdc00) + 0x10000);
  }
  return BMP_WORD[c] === 1;
}

/** Whether the character starting at UTF-16 offset `i` is a word character (false at the end). */
export function isWordAt(text: string, i: number): boolean {
  if (i >= text.length) return false;
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
    const lo = text.charCodeAt(i + 1);
    if (lo >= 0xdc00 && lo <= 0xdfff) return isWordCodePoint(((c - 0xd800) << 10) + (lo - 0xdc00) + 0x10000);
  }
  return BMP_WORD[c] === 1;
}

/**
 * Code-unit folding for matching: typographic variants become their ASCII form (curly quotes, dashes,
 * no-break and other spaces) so "PyTorch’s" and "Ray‑Ban" match. Length is always preserved (one unit in,
 * one unit out), so offsets found on folded text are offsets into the original.
 */
export const PUNCT_FOLD: Uint16Array = (() => {
  const table = new Uint16Array(0x10000);
  for (let c = 0; c < 0x10000; c++) table[c] = c;
  for (const c of [0x2018, 0x2019, 0x201b, 0x2032, 0xff07]) table[c] = 0x27; // ' variants
  for (const c of [0x201c, 0x201d, 0x201f, 0x2033, 0xff02]) table[c] = 0x22; // " variants
  for (const c of [0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xfe63, 0xff0d]) table[c] = 0x2d;
  for (const c of [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000]) {
    table[c] = 0x20;
  }
  for (let c = 0x2000; c <= 0x200a; c++) table[c] = 0x20;
  return table;
})();

/**
 * Case-and-punctuation folding: `PUNCT_FOLD` plus lowercase where lowercasing keeps a single code unit.
 * Characters whose lowercase is longer (e.g. "İ" → "i̇") are left as they are, so offsets never shift.
 */
export const CASE_FOLD: Uint16Array = (() => {
  const table = new Uint16Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    const p = PUNCT_FOLD[c] as number;
    if (p >= 0xd800 && p <= 0xdfff) {
      table[c] = p;
      continue;
    }
    const lower = String.fromCharCode(p).toLowerCase();
    table[c] = lower.length === 1 ? lower.charCodeAt(0) : p;
  }
  return table;
})();

/** Fold a string with a table (same length as the input). */
export function foldWith(table: Uint16Array, s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += String.fromCharCode(table[s.charCodeAt(i)] as number);
  return out;
}
