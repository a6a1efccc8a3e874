import { htmlToText } from '@frameline/parse';
import { aiLabItems, articlePages, otherFeedItems } from '@frameline/testkit';

/** The real documents the tag benchmark runs over: each feed item's title and body, each page's text. */
export function realDocuments(): { docs: string[]; sources: string } {
  const ai = aiLabItems().flatMap((i) => [i.title, i.body]);
  const feeds = otherFeedItems().flatMap((i) => [i.title, i.body]);
  const pages = articlePages().map((p) => htmlToText(p.html));
  const docs = [...ai, ...feeds, ...pages].filter((d) => d.length > 0);
  const sources = `${ai.length} AI-lab feed fields (Olshansk-rss-feeds), ${feeds.length} other feed fields (rss-parser inputs), ${pages.length} article pages' visible text (readability)`;
  return { docs, sources };
}

/** UTF-8 size of a list of texts, in bytes. */
export function utf8Bytes(docs: readonly string[]): number {
  let n = 0;
  for (const d of docs) n += Buffer.byteLength(d, 'utf8');
  return n;
}

/** Repeat the documents (whole, in order) until they hold at least `minBytes` of UTF-8 text. */
export function corpusOf(docs: readonly string[], minBytes: number): string[] {
  const once = utf8Bytes(docs);
  const out: string[] = [];
  for (let total = 0; total < minBytes; total += once) out.push(...docs);
  return out;
}
