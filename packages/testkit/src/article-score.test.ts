import { describe, expect, it } from 'vitest';
import { aggregate, scorePage, tokens } from './article-score.js';

describe('shingle measure', () => {
  it('tokenises words of any script', () => {
    expect(tokens('Ça va, 東京 x_1!')).toEqual(['Ça', 'va', '東京', 'x_1']);
  });

  it('scores identical text 1 and disjoint text 0', () => {
    const text = 'the quick brown fox jumps over the lazy dog';
    expect(scorePage(text, text)).toMatchObject({ precision: 1, recall: 1 });
    expect(scorePage('alpha beta gamma delta', text)).toMatchObject({ precision: 0, recall: 0 });
  });

  it('counts extra text against precision and missing text against recall', () => {
    const gold = 'one two three four five six';
    // 3 shingles in gold; prediction has those 3 plus 3 more.
    const extra = scorePage(`${gold} seven eight nine`, gold);
    expect(extra.precision).toBeCloseTo(0.5);
    expect(extra.recall).toBe(1);
    const missing = scorePage('one two three four', gold);
    expect(missing.precision).toBe(1);
    expect(missing.recall).toBeCloseTo(1 / 3);
  });

  it('compares texts under four tokens as one shingle', () => {
    expect(scorePage('hello world', 'hello world').precision).toBe(1);
    expect(scorePage('hello there', 'hello world').recall).toBe(0);
  });

  it('takes F1 of the mean precision and mean recall', () => {
    const a = scorePage('one two three four five six seven eight nine', 'one two three four five six');
    const b = scorePage('one two three four', 'one two three four five six');
    const agg = aggregate([a, b]);
    expect(agg.precision).toBeCloseTo((0.5 + 1) / 2);
    expect(agg.recall).toBeCloseTo((1 + 1 / 3) / 2);
    expect(agg.f1).toBeCloseTo((2 * agg.precision * agg.recall) / (agg.precision + agg.recall));
  });
});
