import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { htmlToArticleText } from '@frameline/article';
import { htmlToText } from '@frameline/parse';
import { load } from 'cheerio';
import { decodeXML } from 'entities';

/**
 * Reads the real material in `<repoRoot>/../shared/corpora` for tests and benchmarks (never copied into the
 * repo): feed items (cut out with a few regular expressions, which is enough for material, not a feed
 * parser) and the readability article pages with their expected text.
 */

/** `<repoRoot>/../shared/corpora`; throws with a clear message when it is missing. */
export function corporaDir(): string {
  const dir = fileURLToPath(new URL('../../../../shared/corpora/', import.meta.url));
  if (!existsSync(dir)) {
    throw new Error(
      `real test material not found at ${dir}: the shared corpora must sit beside the repository`,
    );
  }
  return dir;
}

/** One feed item's visible text. */
export interface CorpusItem {
  file: string;
  index: number;
  title: string;
  body: string;
}

const ITEM = /<(item|entry)\b[\s\S]*?<\/\1>/g;
const FIELD = (name: string) => new RegExp(`<${name}\\b[^>]*>([\\s\\S]*?)</${name}>`);

function fieldText(xml: string, names: string[]): string {
  for (const name of names) {
    const m = FIELD(name).exec(xml);
    if (!m) continue;
    const raw = m[1] as string;
    const cdata = /^\s*<!\[CDATA\[([\s\S]*?)\]\]>\s*$/.exec(raw);
    return htmlToText(cdata ? (cdata[1] as string) : decodeXML(raw));
  }
  return '';
}

/** Items of one feed file (RSS or Atom): title and body text. */
export function feedItems(path: string, file: string): CorpusItem[] {
  const xml = readFileSync(path, 'utf8');
  const out: CorpusItem[] = [];
  let index = 0;
  for (const m of xml.matchAll(ITEM)) {
    const item = m[0];
    out.push({
      file,
      index: index++,
      title: fieldText(item, ['title']),
      body: fieldText(item, ['content:encoded', 'content', 'description', 'summary']),
    });
  }
  return out;
}

/** Items of the AI-lab feeds (Olshansk-rss-feeds). */
export function aiLabItems(): CorpusItem[] {
  const dir = join(corporaDir(), 'Olshansk-rss-feeds', 'feeds');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.xml'))
    .sort()
    .flatMap((f) => feedItems(join(dir, f), `Olshansk-rss-feeds/feeds/${f}`));
}

/** Items of the other real feeds (rss-parser's inputs). */
export function otherFeedItems(): CorpusItem[] {
  const dir = join(corporaDir(), 'rss-parser', 'test', 'input');
  return readdirSync(dir)
    .sort()
    .flatMap((f) => feedItems(join(dir, f), `rss-parser/test/input/${f}`));
}

/** Raw HTML of the readability article pages. */
export function articlePages(): { file: string; html: string }[] {
  const dir = join(corporaDir(), 'readability', 'test', 'test-pages');
  return readdirSync(dir)
    .sort()
    .filter((d) => existsSync(join(dir, d, 'source.html')))
    .map((d) => ({
      file: `readability/test/test-pages/${d}/source.html`,
      html: readFileSync(join(dir, d, 'source.html'), 'utf8'),
    }));
}

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

/** Directory of the readability test pages; throws with a clear message when ../shared is missing. */
export function readabilityCorpusDir(): string {
  const dir = join(corporaDir(), 'readability', 'test', 'test-pages');
  if (!existsSync(dir)) {
    throw new Error(`readability corpus not found at ${dir}: the shared corpora must sit beside the repo`);
  }
  return dir;
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
      expectedText: htmlToArticleText(read('expected.html')),
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

/** The folders of real feed files (the peers' test inputs and the AI-lab feeds), relative to the corpora. */
const FEED_DIRS = [
  'rss-parser/test/input',
  'miniflux-v2/internal/reader/parser/testdata',
  'node-feedparser/test/feeds',
  'Olshansk-rss-feeds/feeds',
];

/**
 * Every real feed file that `isFeed` accepts (pass our parser, so pages and deliberate non-feeds are left
 * out), as bytes, named `<corpus>/<file>`: the inputs of the parse benchmarks.
 */
export async function realFeedFiles(
  isFeed: (bytes: Uint8Array) => Promise<unknown>,
): Promise<{ name: string; bytes: Uint8Array }[]> {
  const corpora = corporaDir();
  const files = FEED_DIRS.flatMap((dir) =>
    readdirSync(join(corpora, dir))
      .filter((f) => /\.(xml|rss|atom|rdf)$/.test(f))
      .map((f) => ({
        name: `${dir.split('/')[0]}/${f}`,
        bytes: new Uint8Array(readFileSync(join(corpora, dir, f))),
      })),
  );
  const feeds: { name: string; bytes: Uint8Array }[] = [];
  for (const file of files) {
    try {
      await isFeed(file.bytes);
      feeds.push(file);
    } catch {
      // not a feed
    }
  }
  return feeds;
}
