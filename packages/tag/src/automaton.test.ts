import { describe, expect, it } from 'vitest';
import { Automaton } from './automaton.js';
import { CASE_FOLD, foldWith, isWordBefore } from './unicode.js';

function all(a: Automaton, text: string): [number, number][] {
  const hits: [number, number][] = [];
  const n = a.scan(text, 0, text.length);
  for (let i = 0; i < n; i++) hits.push([a.hitPattern[i] as number, a.hitEnd[i] as number]);
  return hits;
}

describe('Automaton', () => {
  it('reports every occurrence at a word start, nested ones included, with end offsets', () => {
    const a = new Automaton(['he', 'she', 'his', 'hers', 'e h']);
    // "she" and "he" inside "ushers" start after a word character: not reported. "he" of "he hers" is, and
    // "e h" starts inside a word.
    expect(all(a, 'ushers he hers')).toEqual([
      [0, 9],
      [0, 12],
      [3, 14],
    ]);
  });

  it('reports a suffix that starts after a non-word character inside a longer pattern', () => {
    const a = new Automaton(['google cloud tpu', 'cloud', 'tpu v5']);
    expect(all(a, 'Google Cloud TPU v5')).toEqual([
      [1, 12],
      [0, 16],
      [2, 19],
    ]);
  });

  it('reports what a search of every pattern at every word start finds', () => {
    // Differential check against a brute-force search, on text built from the patterns' own pieces.
    const patterns = ['ab', 'a b', 'b', 'ba', 'a-b', '-b', 'bab', 'é', 'ab é', 'x_y', '_y', 'a’b'];
    const a = new Automaton(patterns);
    const folded = patterns.map((p) => foldWith(CASE_FOLD, p));
    const pieces = ['a', 'b', 'A', 'B', ' ', '-', '‑', 'é', 'É', '_', 'x', 'y', '’', "'", '🎉', '𝐀', '.'];
    let seed = 7;
    for (let round = 0; round < 300; round++) {
      let text = '';
      const n = 1 + (round % 25);
      for (let i = 0; i < n; i++) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        text += pieces[seed % pieces.length];
      }
      const t = foldWith(CASE_FOLD, text);
      const expected: [number, number][] = [];
      for (let end = 1; end <= t.length; end++) {
        // At one end offset, longest first.
        const here = folded
          .map((p, i) => [i, p] as const)
          .filter(([, p]) => p.length <= end && t.startsWith(p, end - p.length))
          .sort((x, y) => y[1].length - x[1].length);
        for (const [i] of here) expected.push([i, end]);
      }
      const reported = all(a, text);
      // Exactly the brute-force hits at word starts, plus possibly some right after an astral character.
      const atWordStart = (h: [number, number]) => !isWordBefore(text, h[1] - (a.lengths[h[0]] as number));
      expect(reported.filter(atWordStart)).toEqual(expected.filter(atWordStart));
      expect(expected).toEqual(expect.arrayContaining(reported));
    }
  });

  it('folds case in its alphabet and keeps offsets into the original text', () => {
    const a = new Automaton(['pytorch']);
    const text = 'İİ PYTORCH and PyTorch';
    const ends = all(a, text).map(([, e]) => e);
    expect(ends.map((e) => text.slice(e - 7, e))).toEqual(['PYTORCH', 'PyTorch']);
  });

  it('folds curly quotes and dashes to their ASCII forms', () => {
    const a = new Automaton(["o'reilly", 'ray-ban']);
    expect(all(a, 'O’Reilly and Ray‑Ban').map(([p]) => p)).toEqual([0, 1]);
  });

  it('scans a sub-range only', () => {
    const a = new Automaton(['ab']);
    const n = a.scan('ab ab ab', 2, 8);
    expect([...a.hitEnd.subarray(0, n)]).toEqual([5, 8]);
    // A range that opens inside a word does not start a word there.
    expect(a.scan('xab ab', 1, 6)).toBe(1);
  });

  it('grows its hit buffers past their first size', () => {
    const a = new Automaton(['a']);
    expect(a.scan('a '.repeat(1000), 0, 2000)).toBe(1000);
    expect(a.hitEnd[999]).toBe(1999);
  });

  it('finds nothing in text made of characters no pattern has', () => {
    expect(all(new Automaton(['keras']), '日本語のテキスト 🎉')).toEqual([]);
  });
});
