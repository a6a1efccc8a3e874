/**
 * Print what an annotator must read: the title and text the tagger sees for feed items.
 *
 *   npx tsx test/gold/show.ts <corpus path> <index>[,<index>...] [maxChars]   items of one feed
 *   npx tsx test/gold/show.ts --gold [dev|heldout]                         every item of a gold set (default dev)
 *
 * Corpus paths are relative to ../shared/corpora (e.g. Olshansk-rss-feeds/feeds/feed_meta_ai.xml).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFeed } from '@frameline/parse';
import { htmlToText } from '@frameline/tag';
import { GOLD_SETS, loadGoldTexts, readGold, sharedDir } from './lib.js';

async function main(): Promise<void> {
  const [first, second, third] = process.argv.slice(2);
  if (first === '--gold') {
    const set = second ?? 'dev';
    if (set !== 'dev' && set !== 'heldout') {
      process.stderr.write(`--gold takes dev or heldout, not "${set}"\n`);
      process.exitCode = 2;
      return;
    }
    for (const item of await loadGoldTexts(readGold(GOLD_SETS[set].path))) {
      process.stdout.write(
        `\n=== ${item.file}:${item.line}: ${item.corpus} #${item.index}\nTITLE: ${item.title}\n`,
      );
      process.stdout.write(`TEXT (${item.text.length}): ${item.text}\n`);
    }
    return;
  }
  if (!first || !second) {
    process.stderr.write(
      'usage: show.ts <corpus path> <index>[,<index>...] [maxChars] | --gold [dev|heldout]\n',
    );
    process.exitCode = 2;
    return;
  }
  const feed = await parseFeed(new Uint8Array(readFileSync(join(sharedDir(), 'corpora', first))));
  const max = third ? Number(third) : Number.POSITIVE_INFINITY;
  for (const index of second.split(',').map(Number)) {
    const item = feed.items[index];
    if (!item) {
      process.stdout.write(`\n=== #${index}: no such item (${feed.items.length} items)\n`);
      continue;
    }
    const text = htmlToText(item.content ?? item.summary ?? '');
    process.stdout.write(`\n=== ${first} #${index}\nTITLE: ${item.title}\n`);
    process.stdout.write(`TEXT (${text.length}): ${text.slice(0, max)}\n`);
  }
}

await main();
