/**
 * Print what an annotator must read: the title and text the tagger sees for feed items.
 *
 *   npx tsx test/gold/show.ts <corpus path> <index>[,<index>...] [maxChars]   items of one feed
 *   npx tsx test/gold/show.ts --reserved <corpus path>                      items kept for heldout2 (index, title)
 *   npx tsx test/gold/show.ts --gold [dev|heldout|heldout2]                every item of a gold set (default dev)
 *
 * Corpus paths are relative to ../shared/corpora (e.g. Olshansk-rss-feeds/feeds/feed_meta_ai.xml).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { htmlToText, parseFeed } from '@frameline/parse';
import { GOLD_SETS, goldItemKeys, loadGoldTexts, readGold, reservedForHeldout2, sharedDir } from './lib.js';

async function main(): Promise<void> {
  const [first, second, third] = process.argv.slice(2);
  if (first === '--reserved' && second !== undefined) {
    // Items of one feed kept for the second held-out set and not yet in any gold set: index and title.
    const taken = goldItemKeys();
    const feed = await parseFeed(new Uint8Array(readFileSync(join(sharedDir(), 'corpora', second))));
    feed.items.forEach((item, index) => {
      if (reservedForHeldout2(second, index) && !taken.has(`${second}#${index}`)) {
        process.stdout.write(`${index}\t${item.title ?? ''}\n`);
      }
    });
    return;
  }
  if (first === '--gold') {
    const set = second ?? 'dev';
    if (!(set in GOLD_SETS)) {
      process.stderr.write(`--gold takes ${Object.keys(GOLD_SETS).join(', ')}, not "${set}"\n`);
      process.exitCode = 2;
      return;
    }
    for (const item of await loadGoldTexts(readGold(GOLD_SETS[set as keyof typeof GOLD_SETS].path))) {
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
