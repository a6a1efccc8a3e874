// The shingle measure of the public article-extraction benchmark (scrapinghub's evaluate.py): per page,
// multisets of token 4-grams of the extracted and the expected text; tp = Σ min, fp and fn the excess
// on each side (the triple normalised to sum 1, which leaves the ratios alone); precision and recall
// per page; F1 of the mean precision and the mean recall. A text of fewer than 4 tokens is one shingle
// of all its tokens, as there.

const TOKEN = /[\p{L}\p{N}_]+/gu;
const N = 4;

/** One page's counts, normalised so that tp + fp + fn = 1. */
export interface PageScore {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
}

/** Mean precision, mean recall and their harmonic mean. */
export interface CorpusScore {
  precision: number;
  recall: number;
  f1: number;
  pages: number;
}

/** Unicode word tokens (Python's `\w+` with re.UNICODE). */
export function tokens(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

function shingles(text: string): Map<string, number> {
  const toks = tokens(text);
  const counts = new Map<string, number>();
  const last = Math.max(1, toks.length - N + 1);
  for (let i = 0; i < last; i++) {
    const slice = toks.slice(i, i + N);
    if (slice.length === 0) continue;
    const key = slice.join('\u0001');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Scores one page's extracted text against the expected text. */
export function scorePage(predicted: string, expected: string): PageScore {
  const pred = shingles(predicted);
  const gold = shingles(expected);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const [k, p] of pred) {
    const g = gold.get(k) ?? 0;
    tp += Math.min(p, g);
    fp += Math.max(0, p - g);
  }
  for (const [k, g] of gold) fn += Math.max(0, g - (pred.get(k) ?? 0));
  const sum = tp + fp + fn;
  if (sum > 0) {
    tp /= sum;
    fp /= sum;
    fn /= sum;
  }
  const precision = fp === 0 && fn === 0 ? 1 : tp === 0 && fp === 0 ? 0 : tp / (tp + fp);
  const recall = fp === 0 && fn === 0 ? 1 : tp === 0 && fn === 0 ? 0 : tp / (tp + fn);
  return { tp, fp, fn, precision, recall };
}

/** Averages page scores into the corpus figure (pages with nothing on a side skip that mean). */
export function aggregate(scores: readonly PageScore[]): CorpusScore {
  const withPred = scores.filter((s) => s.tp + s.fp > 0);
  const withGold = scores.filter((s) => s.tp + s.fn > 0);
  const mean = (xs: number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
  const precision = mean(withPred.map((s) => s.precision));
  const recall = mean(withGold.map((s) => s.recall));
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, pages: scores.length };
}
