import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeXML } from 'entities';
import { htmlToText } from './html.js';

/**
 * Reads the real texts in `<repoRoot>/../shared/corpora` for tests and benchmarks (never copied into the
 * repo). Not part of the package's public API; feed items are cut out with a few regular expressions, which
 * is enough for material, not a feed parser.
 */

/** `<repoRoot>/../shared/corpora`; throws with a clear message when it is missing. */
export function corporaDir(): string {
  const dir = fileURLToPath(new URL('../../../../shared/corpora', import.meta.url));
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
