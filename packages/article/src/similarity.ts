const WORD = /[\p{L}\p{N}_]+/gu;

/** Lowercased Unicode word tokens. */
export function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/**
 * Share of `b`'s text (by characters of its tokens) that also appears as tokens of `a`: 1 when every
 * word of `b` is in `a`. Used to spot a heading that repeats the title.
 */
export function textSimilarity(a: string, b: string): number {
  const tokensA = new Set(words(a));
  const tokensB = words(b);
  if (tokensA.size === 0 || tokensB.length === 0) return 0;
  const total = tokensB.join(' ').length;
  const unique = tokensB.filter((t) => !tokensA.has(t)).join(' ').length;
  return 1 - unique / total;
}
