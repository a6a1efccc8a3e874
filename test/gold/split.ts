/**
 * Which texts the sealed evaluation set may use, fixed before any of it was annotated (2026-12-02): a hash
 * of the reference decides, so no rule writer ever needs to read a sealed text to know it is one.
 *
 * - Markdown posts and release-note sections: a third of them, by hash.
 * - AI-lab feed items: those already kept from rule writers for the second held-out set
 *   (`reservedForHeldout2`) that no gold set uses, and of those half, by hash.
 *
 * Rule writers read anything else (`pool.ts`); only the sealed set's annotators read sealed texts.
 */
import { createHash } from 'node:crypto';
import { goldItemKeys, reservedForHeldout2 } from './lib.js';

// SHA-256, not the FNV of `reservedForHeldout2`: FNV's low bits are a parity of the input, so the two splits
// would not be independent.
const hash32 = (text: string): number => createHash('sha256').update(text).digest().readUInt32BE(0);

/** Whether a reference (see `documents.ts`) belongs to the sealed set's reserve. */
export function reservedForSealed(ref: string, taken: Set<string> = goldItemKeys()): boolean {
  const h = hash32(`frameline-sealed-2026-12:${ref}`);
  const hash = ref.lastIndexOf('#');
  const isFeedItem = hash >= 0 && !ref.slice(0, hash).endsWith('.md');
  if (!isFeedItem) return h % 3 === 0;
  const corpus = ref.slice(0, hash);
  const index = Number(ref.slice(hash + 1));
  return reservedForHeldout2(corpus, index) && !taken.has(ref) && h % 2 === 0;
}
