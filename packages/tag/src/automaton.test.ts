import { describe, expect, it } from 'vitest';
import { Automaton } from './automaton.js';

function all(a: Automaton, text: string): [number, number][] {
  const hits: [number, number][] = [];
  const n = a.scan(text, 0, text.length);
  for (let i = 0; i < n; i++) hits.push([a.hitPattern[i] as number, a.hitEnd[i] as number]);
  return hits;
}

describe('Automaton', () => {
  it('reports every occurrence, nested ones included, with end offsets', () => {
    const a = new Automaton(['he', 'she', 'his', 'hers']);
    expect(all(a, 'ushers')).toEqual([
      [1, 4],
      [0, 4],
      [3, 6],
    ]);
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
