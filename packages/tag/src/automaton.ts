import { CASE_FOLD, isWordBefore, isWordUnit } from './unicode.js';

/**
 * A dense-table Aho-Corasick automaton over case-folded UTF-16 code units that reports only occurrences
 * starting where a word can start: at the start of the text or after a character that is not a word character
 * (`isWordBefore` is false there). Built once per rule set; one scan reports every such occurrence. Case
 * folding lives in the alphabet map (`classOf`), so the text is never copied or lowercased and offsets are
 * exact.
 *
 * Word starts are part of the automaton: besides the trie's states there is a "dead" state for "inside a
 * word, no pattern under way", which every word character keeps and every other character leaves for the
 * root. Failure links only go to suffixes that start after a non-word character. Most of a text is spent in
 * the dead state and the first levels of the trie, so the rows the scan touches stay in cache. The alphabet
 * tells word characters from others conservatively (surrogates count as non-word), so a scan may report a few
 * occurrences that do not start at a word start (after an astral letter), never fewer: callers check
 * `isWordBefore` on what they keep.
 */
export class Automaton {
  /** Alphabet class of each code unit after folding: 0 and 1 = units no pattern contains (non-word, word). */
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
  /** Row of the dead state (inside a word); the root's row is 0. */
  private readonly deadRow: number;
  /** Length of each pattern in code units. */
  readonly lengths: Int32Array;
  /** The patterns, as given. */
  readonly patterns: readonly string[];

  /** `patterns` must be distinct after folding with CASE_FOLD; pattern i is reported as i. */
  constructor(patterns: readonly string[]) {
    this.patterns = patterns;
    // Typed arrays rather than a Map: this runs for all 65,536 code units of each automaton at load time.
    const classOfFolded = new Uint16Array(0x10000);
    let classes = 1;
    for (const p of patterns) {
      for (let i = 0; i < p.length; i++) {
        const f = CASE_FOLD[p.charCodeAt(i)] as number;
        if (classOfFolded[f] === 0) classOfFolded[f] = ++classes;
      }
    }
    const w = classes + 1;
    this.width = w;
    this.classOf = new Uint16Array(0x10000);
    // A class is a word class only when every unit in it is a word character (surrogates never are).
    const wordClass = new Uint8Array(w).fill(1);
    wordClass[0] = 0;
    for (let c = 0; c < 0x10000; c++) {
      const word = isWordUnit(c);
      let cls = classOfFolded[CASE_FOLD[c] as number] as number;
      if (cls === 0) cls = word ? 1 : 0;
      else if (!word) wordClass[cls] = 0;
      this.classOf[c] = cls;
    }

    // Trie: children as a sparse map while building, then the dense table with failure links folded in.
    const trie: Map<number, number>[] = [new Map()];
    const trieOuts: number[] = [-1];
    this.lengths = new Int32Array(patterns.length);
    patterns.forEach((p, index) => {
      let s = 0;
      for (let i = 0; i < p.length; i++) {
        const cls = this.classOf[p.charCodeAt(i)] as number;
        const node = trie[s] as Map<number, number>;
        let next = node.get(cls);
        if (next === undefined) {
          next = trie.length;
          trie.push(new Map());
          trieOuts.push(-1);
          node.set(cls, next);
        }
        s = next;
      }
      trieOuts[s] = index;
      this.lengths[index] = p.length;
    });
    // The trie's nodes renumbered depth first, so that each subtree's rows lie together in the table: a scan
    // walking down a name's prefix reads neighbouring rows rather than rows megabytes apart (numbered as
    // inserted, the nodes of a prefix shared by later names are scattered over the table).
    const order: number[] = [];
    const rank = new Int32Array(trie.length);
    const stack = [0];
    while (stack.length > 0) {
      const s = stack.pop() as number;
      rank[s] = order.length;
      order.push(s);
      const kids = [...(trie[s] as Map<number, number>).values()];
      for (let k = kids.length - 1; k >= 0; k--) stack.push(kids[k] as number);
    }
    const children = order.map(
      (s) =>
        new Map([...(trie[s] as Map<number, number>)].map(([cls, child]) => [cls, rank[child] as number])),
    );
    const outs = order.map((s) => trieOuts[s] as number);

    // States: the trie's nodes (root = 0), then the dead state.
    const dead = children.length;
    const n = dead + 1;
    children.push(new Map());
    outs.push(-1);
    this.deadRow = dead * w;
    this.delta = new Int32Array(n * w);
    this.out = new Int32Array(n).fill(-1);
    this.dict = new Int32Array(n).fill(-1);
    const fail = new Int32Array(n);
    for (let cls = 0; cls < w; cls++) {
      const next = wordClass[cls] === 1 ? dead * w : 0;
      this.delta[dead * w + cls] = next;
      this.delta[cls] = next;
    }
    const queue: number[] = [];
    for (const [cls, child] of children[0] as Map<number, number>) {
      this.delta[cls] = child * w;
      fail[child] = wordClass[cls] === 1 ? dead : 0;
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
    // Flags by state first, then one pass over the table: the entity matcher's has millions of entries, and
    // looking up both arrays for each took longer than building the rest of the table (a start-up cost).
    const reports = new Uint8Array(n);
    for (let s = 0; s < n; s++)
      reports[s] = (this.out[s] as number) >= 0 || (this.dict[s] as number) >= 0 ? 1 : 0;
    const delta = this.delta;
    for (let k = 0; k < delta.length; k++) {
      const row = delta[k] as number;
      if (reports[(row / w) | 0] === 1) delta[k] = -row - 1;
    }
  }

  /** Pattern index of each hit of the last `scan` (valid up to the count it returned). */
  hitPattern: Int32Array = new Int32Array(256);
  /** End offset (exclusive) of each hit of the last `scan`. */
  hitEnd: Int32Array = new Int32Array(256);

  /**
   * Scan `text[from, to)` and record every occurrence that starts at a word start (see the class comment) in
   * `hitPattern`/`hitEnd`, in order of end offset (at one end offset the longest pattern first); returns how
   * many. Hits go to reused buffers rather than a callback so the hot loop stays monomorphic; read them
   * before the next scan.
   */
  scan(text: string, from: number, to: number): number {
    const { classOf, delta, out, dict } = this;
    const w = this.width;
    let count = 0;
    let row = isWordBefore(text, from) ? this.deadRow : 0;
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
