import { extractArticle } from '@frameline/article';
import { aggregate, CORPUS_PAGE_URL, loadReadabilityCorpus, scorePage } from '@frameline/testkit';
import { describe, expect, it } from 'vitest';

// The level reached when this was written (bench/article.ts: 0.9918 on all pages), floored to 2 decimals.
// A change that drops below it has made extraction worse on real pages.
const F1_FLOOR = 0.99;

describe('readability test pages', () => {
  // Throws (fails) when ../shared/corpora/readability is missing, rather than skipping.
  const pages = loadReadabilityCorpus();

  it('holds all 130 pages', () => {
    expect(pages.length).toBe(130);
  });

  it(`extracts main text at shingle F1 >= ${F1_FLOOR}`, () => {
    const scores = pages.map((p) =>
      scorePage(extractArticle(p.source, CORPUS_PAGE_URL).text, p.expectedText),
    );
    const { f1, precision, recall } = aggregate(scores);
    expect(
      f1,
      `F1 ${f1.toFixed(4)} (mean P ${precision.toFixed(4)}, mean R ${recall.toFixed(4)})`,
    ).toBeGreaterThanOrEqual(F1_FLOOR);
  });
});
