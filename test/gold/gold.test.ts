import { ANNOUNCEMENT_TYPES } from '@frameline/core';
import { loadRuleSet } from '@frameline/tag';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Claim,
  canMatch,
  GOLD_SETS,
  type GoldItem,
  type GoldSetName,
  type LoadedItem,
  loadGoldTexts,
  matchClaims,
  normaliseVersion,
  readGold,
  scoreGold,
  sharedDir,
  validateGold,
} from './lib.js';

/**
 * What each gold set must satisfy. Floors: the F1 measured when the floor was set, floored to 2 decimals,
 * minus a margin for rule churn. Raise them when the tagger improves; never lower them to make a
 * regression pass.
 */
const SET_CHECKS: Record<
  GoldSetName,
  { minItems: number; minCorpora: number; entityF1: number; announcementF1: number }
> = {
  // The targets (entity F1 ≥ 0.95, announcement F1 ≥ 0.85). Measured after the third rules round of
  // 2026-11-27: 0.980 and 0.884 on 133 items (first set at 0.824 and 0.587, then 0.93 and 0.82).
  dev: { minItems: 90, minCorpora: 20, entityF1: 0.95, announcementF1: 0.85 },
  // Measured when the set was written (entity F1 0.780, announcement F1 0.352 on 125 items), then 0.786 and
  // 0.372 after the second rules round, 0.835 and 0.481 after the third; floors are those minus 0.03
  // (announcements rounded down).
  // Since 2026-12-02 both former held-out sets are development data (read while rules were written); the
  // open-world round left them at 0.835 / 0.494 and 0.794 / 0.540.
  heldout: { minItems: 60, minCorpora: 20, entityF1: 0.8, announcementF1: 0.45 },
  // Annotated during the third rules round from a quarter of every feed that rule writers never read
  // (`reservedForHeldout2`): 0.786 and 0.530 on 112 items when it was complete, 0.800 and 0.543 at the end of
  // the round; floors are those minus 0.03.
  heldout2: { minItems: 60, minCorpora: 20, entityF1: 0.77, announcementF1: 0.51 },
};

const claim = (
  type: Claim['type'],
  subject: string,
  objects: string[] = [],
  version: string | null = null,
) => ({
  type,
  subject,
  objects,
  version,
});

describe('gold set scoring rules', () => {
  it('normalises versions: case, leading v, dashes', () => {
    expect(normaliseVersion('v2.3.1')).toBe('2.3.1');
    expect(normaliseVersion('Version 3.0')).toBe('3.0');
    expect(normaliseVersion('K2\u20110905')).toBe('k2-0905');
    expect(normaliseVersion(null)).toBeNull();
  });

  it('matches on type, then same subject or the gold subject and objects among the involved', () => {
    const gold = claim('support', 'genkit', ['ollama']);
    expect(canMatch(gold, claim('support', 'genkit'))).toBe(true);
    expect(canMatch(gold, claim('support', 'google', ['genkit', 'ollama']))).toBe(true);
    expect(canMatch(gold, claim('support', 'google', ['genkit']))).toBe(false);
    expect(canMatch(gold, claim('release', 'genkit', ['ollama']))).toBe(false);
  });

  it('requires the version only when one is annotated', () => {
    expect(canMatch(claim('release', 'llama', [], '3.1'), claim('release', 'llama', [], 'v3.1'))).toBe(true);
    expect(canMatch(claim('release', 'llama', [], '3.1'), claim('release', 'llama', [], '3'))).toBe(false);
    expect(canMatch(claim('release', 'llama', [], '3.1'), claim('release', 'llama'))).toBe(false);
    expect(canMatch(claim('release', 'llama'), claim('release', 'llama', [], '3'))).toBe(true);
  });

  it('matches one to one, maximally, whatever the order', () => {
    const gold = [claim('partnership', 'a', ['b']), claim('partnership', 'b', ['a'])];
    // The first prediction could stand for either gold; a greedy pass taking gold 0 first would strand gold 1.
    const predicted = [claim('partnership', 'b', ['a']), claim('partnership', 'a')];
    expect(matchClaims(gold, predicted)).toEqual([1, 0]);
    expect(matchClaims(gold, [claim('partnership', 'a', ['b'])]).filter((p) => p >= 0)).toHaveLength(1);
  });
});

describe.each(Object.keys(GOLD_SETS) as GoldSetName[])('%s gold set', (name) => {
  const { path, label } = GOLD_SETS[name];
  const checks = SET_CHECKS[name];
  let gold: GoldItem[];
  let items: LoadedItem[];
  const ruleSet = loadRuleSet();

  beforeAll(async () => {
    sharedDir(); // throws with a clear message when ../shared is missing
    gold = readGold(path);
    items = await loadGoldTexts(gold); // throws listing every reference that does not resolve or drifted
  });

  it(`references at least ${checks.minItems} real items, spread over at least ${checks.minCorpora} feeds`, () => {
    expect(items.length).toBe(gold.length);
    expect(gold.length).toBeGreaterThanOrEqual(checks.minItems);
    expect(new Set(gold.map((g) => g.corpus)).size).toBeGreaterThanOrEqual(checks.minCorpora);
  });

  it('uses only ids of the default rules file or declared missing entities, consistently', () => {
    expect(validateGold(gold, ruleSet)).toEqual([]);
  });

  it('annotates every announcement type at least once, and items with none', () => {
    const types = new Set(gold.flatMap((g) => g.announcements.map((a) => a.type)));
    expect([...ANNOUNCEMENT_TYPES].filter((t) => !types.has(t))).toEqual([]);
    expect(gold.filter((g) => g.announcements.length === 0).length).toBeGreaterThanOrEqual(10);
  });

  it(`keeps the tagger at or above the recorded F1 floors on the ${label} set`, () => {
    const score = scoreGold(items, ruleSet);
    expect(score.items).toBe(gold.length);
    expect(score.entities.f1).toBeGreaterThanOrEqual(checks.entityF1);
    expect(score.announcements.f1).toBeGreaterThanOrEqual(checks.announcementF1);
  });
});

describe('the gold sets together', () => {
  it('share no item and declare each missing entity alike', () => {
    const all = (Object.keys(GOLD_SETS) as GoldSetName[]).flatMap((name) => readGold(GOLD_SETS[name].path));
    expect(validateGold(all, loadRuleSet())).toEqual([]);
  });
});
