// Locates the shared readability test pages (`<repoRoot>/../shared/corpora/readability`) for the corpus
// test and the benchmark. The corpus is never copied into the repository.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'cheerio';
import { toText } from './text.js';

/** One test page: its source HTML, the expected article text and the expected metadata. */
export interface CorpusPage {
  name: string;
  /** 1-based position in name order; odd pages are the development half. */
  index: number;
  source: string;
  expectedText: string;
  expectedTitle: string | null;
  expectedByline: string | null;
  expectedPublished: string | null;
}

/** The page URL the readability tests use for every page. */
export const CORPUS_PAGE_URL = 'http://fakehost/test/page.html';

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('repository root (pnpm-workspace.yaml) not found');
    dir = up;
  }
  return dir;
}

/** Directory of the readability test pages; throws with a clear message when ../shared is missing. */
export function readabilityCorpusDir(): string {
  const dir = resolve(repoRoot(), '..', 'shared', 'corpora', 'readability', 'test', 'test-pages');
  if (!existsSync(dir)) {
    throw new Error(`readability corpus not found at ${dir}: the shared corpora must sit beside the repo`);
  }
  return dir;
}

/** Visible text of an expected.html, rendered the same way as extracted text. */
export function expectedText(html: string): string {
  const $ = load(html, { xml: { xmlMode: false, decodeEntities: true } });
  return toText($.root().contents().toArray());
}

/** Loads every page of the corpus into memory, in name order. */
export function loadReadabilityCorpus(): CorpusPage[] {
  const dir = readabilityCorpusDir();
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  return names.map((name, i) => {
    const read = (f: string): string => readFileSync(join(dir, name, f), 'utf8');
    const meta = JSON.parse(read('expected-metadata.json')) as Record<string, unknown>;
    const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
    return {
      name,
      index: i + 1,
      source: read('source.html'),
      expectedText: expectedText(read('expected.html')),
      expectedTitle: str(meta.title),
      expectedByline: str(meta.byline),
      expectedPublished: str(meta.publishedTime),
    };
  });
}

/**
 * The naive baseline the benchmark compares against: cheerio's `$('body').text()` with the given parser
 * (parse5 is cheerio's default; htmlparser2 is what `extractArticle` uses).
 */
export function naiveBodyText(html: string, parser: 'parse5' | 'htmlparser2' = 'parse5'): string {
  const $ = parser === 'parse5' ? load(html) : load(html, { xml: { xmlMode: false, decodeEntities: true } });
  return $('body').text();
}
