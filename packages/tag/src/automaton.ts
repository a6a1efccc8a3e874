import { CASE_FOLD } from './unicode.js';

/**
 * A dense-table Aho-Corasick automaton over case-folded UTF-16 code units. Built once per rule set; one
 * scan reports every pattern occurrence. Case folding lives in the alphabet map (`classOf`), so the text is
 * never copied or lowercased and offsets are exact.
 */
export class Automaton {
  /** Alphabet class of each code unit after folding; 0 = a unit no pattern contains. */
  private readonly classOf: Uint16Array;
  private readonly width: number;
  /**
   * Transition table: `delta[row + class]` is the next state's row (state × width), stored as `-row - 1` when
   * that state reports a pattern, so the hot loop tests one sign instead of dividing.
   */
  private readonly delta: Int32Array;
  /** Longest pattern ending in the state at each row / width, or -1. */
  private readonly out: Int32Array;
  /** Row of the nearest state on the failure chain with an output, or -1. */
  private readonly dict: Int32Array;
  /** Length of each pattern in code units. */
  readonly lengths: Int32Array;
  /** The patterns, as given. */
  readonly patterns: readonly string[];

  /** `patterns` must be distinct after folding with CASE_FOLD; pattern i is reported as i. */
  constructor(patterns: readonly string[]) {
    this.patterns = patterns;
    // Typed arrays rather than a Map: this runs for all 65,536 code units of each automaton at load time.
    const classOfFolded = new Uint16Array(0x10000);
    let classes = 0;
    for (const p of patterns) {
      for (let i = 0; i < p.length; i++) {
        const f = CASE_FOLD[p.charCodeAt(i)] as number;
        if (classOfFolded[f] === 0) classOfFolded[f] = ++classes;
      }
    }
    this.width = classes + 1;
    this.classOf = new Uint16Array(0x10000);
    for (let c = 0; c < 0x10000; c++) this.classOf[c] = classOfFolded[CASE_FOLD[c] as number] as number;

    // Trie: children as a sparse map while building, then the dense table with failure links folded in.
    const children: Map<number, number>[] = [new Map()];
    const outs: number[] = [-1];
    this.lengths = new Int32Array(patterns.length);
    patterns.forEach((p, index) => {
      let s = 0;
      for (let i = 0; i < p.length; i++) {
        const cls = this.classOf[p.charCodeAt(i)] as number;
        const node = children[s] as Map<number, number>;
        let next = node.get(cls);
        if (next === undefined) {
          next = children.length;
          children.push(new Map());
          outs.push(-1);
          node.set(cls, next);
        }
        s = next;
      }
      outs[s] = index;
      this.lengths[index] = p.length;
    });

    const n = children.length;
    const w = this.width;
    this.delta = new Int32Array(n * w);
    this.out = new Int32Array(n).fill(-1);
    this.dict = new Int32Array(n).fill(-1);
    const fail = new Int32Array(n);
    const queue: number[] = [];
    for (const [cls, child] of children[0] as Map<number, number>) {
      this.delta[cls] = child * w;
      queue.push(child);
    }
    for (let head = 0; head < queue.length; head++) {
      const s = queue[head] as number;
      this.out[s] = outs[s] as number;
      const f = fail[s] as number;
      this.dict[s] = (outs[f] as number) >= 0 ? f * w : (this.dict[f] as number);
      this.delta.copyWithin(s * w, f * w, f * w + w);
      for (const [cls, child] of children[s] as Map<number, number>) {
        fail[child] = (this.delta[f * w + cls] as number) / w;
        this.delta[s * w + cls] = child * w;
        queue.push(child);
      }
    }
    for (let k = 0; k < this.delta.length; k++) {
      const target = (this.delta[k] as number) / w;
      if ((this.out[target] as number) >= 0 || (this.dict[target] as number) >= 0) {
        this.delta[k] = -(this.delta[k] as number) - 1;
      }
    }
  }

  /** Pattern index of each hit of the last `scan` (valid up to the count it returned). */
  hitPattern: Int32Array = new Int32Array(256);
  /** End offset (exclusive) of each hit of the last `scan`. */
  hitEnd: Int32Array = new Int32Array(256);

  /**
   * Scan `text[from, to)` and record every occurrence in `hitPattern`/`hitEnd`, in order of end offset (at
   * one end offset the longest pattern first); returns how many. Hits go to reused buffers rather than a
   * callback so the hot loop stays monomorphic; read them before the next scan.
   */
  scan(text: string, from: number, to: number): number {
    const { classOf, delta, out, dict } = this;
    const w = this.width;
    let count = 0;
    let row = 0;
    for (let i = from; i < to; i++) {
      row = delta[row + (classOf[text.charCodeAt(i)] as number)] as number;
      if (row >= 0) continue;
      row = -row - 1;
      const s = row / w;
      let o = out[s] as number;
      let d = dict[s] as number;
      if (o >= 0) count = this.record(count, o, i + 1);
      while (d >= 0) {
        const ds = d / w;
        o = out[ds] as number;
        count = this.record(count, o, i + 1);
        d = dict[ds] as number;
      }
    }
    return count;
  }

  private record(count: number, pattern: number, end: number): number {
    if (count === this.hitPattern.length) {
      const p = new Int32Array(count * 2);
      p.set(this.hitPattern);
      this.hitPattern = p;
      const e = new Int32Array(count * 2);
      e.set(this.hitEnd);
      this.hitEnd = e;
    }
    this.hitPattern[count] = pattern;
    this.hitEnd[count] = end;
    return count + 1;
  }
}
