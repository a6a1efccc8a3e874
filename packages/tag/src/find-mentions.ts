import { findMentions as findIn, type RawMention } from './entities.js';
import type { RuleSet } from './rule-set.js';

export type { RawMention };

/**
 * The entity pass alone: every whole-word, case-checked, leftmost-longest mention in `text`, before ambiguous
 * names are confirmed by context. For benchmarks and debugging; `tag` is what callers want.
 */
export function findMentions(text: string, ruleSet: RuleSet): RawMention[] {
  return findIn(text, ruleSet.tables, null);
}
