/**
 * The tuning pool: real feed items that are in no gold set and not reserved for the second held-out set,
 * printed with what the tagger finds in them, for whoever writes rules to read.
 *
 *   npx tsx test/gold/pool.ts [--feed <substring>] [--sample N] [--seed S] [--max-chars M] [--rules file]
 *
 * Without --feed it samples over every feed of the AI-lab corpus and the technology feeds of the others.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { htmlToText, parseFeed } from '@frameline/parse';
import { loadRuleSet, tag } from '@frameline/tag';
import { seededRandom } from '@frameline/testkit';
import { goldItemKeys, reservedForHeldout2, sharedDir } from './lib.js';

/** Every feed file of the corpora the gold sets draw from, relative to `shared/corpora`. */
function feedFiles(root: string): string[] {
  const out: string[] = [];
  const lab = 'Olshansk-rss-feeds/feeds';
  for (const f of readdirSync(join(root, lab))) if (f.endsWith('.xml')) out.push(`${lab}/${f}`);
  for (const dir of ['rss-parser/test/input', 'miniflux-v2', 'node-feedparser']) {
    const walk = (rel: string): void => {
      for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
        const path = `${rel}/${e.name}`;
        if (e.isDirectory()) walk(path);
        else if (/\.(xml|rss|atom)$/i.test(e.name)) out.push(path);
      }
    };
    if (existsSync(join(root, dir))) walk(dir);
  }
  return out.sort();
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      feed: { type: 'string' },
      sample: { type: 'string', default: '30' },
      seed: { type: 'string', default: '1' },
      'max-chars': { type: 'string', default: '1500' },
      rules: { type: 'string' },
    },
  });
  const root = join(sharedDir(), 'corpora');
  const rules = loadRuleSet(values.rules);
  const taken = goldItemKeys();
  const files = feedFiles(root).filter((f) => values.feed === undefined || f.includes(values.feed));
  const candidates: { corpus: string; index: number; title: string; text: string }[] = [];
  for (const corpus of files) {
    let feed: Awaited<ReturnType<typeof parseFeed>>;
    try {
      feed = await parseFeed(new Uint8Array(readFileSync(join(root, corpus))));
    } catch {
      continue;
    }
    feed.items.forEach((item, index) => {
      if (taken.has(`${corpus}#${index}`) || reservedForHeldout2(corpus, index)) return;
      const text = htmlToText(item.content ?? item.summary ?? '');
      candidates.push({ corpus, index, title: item.title ?? '', text });
    });
  }
  const next = seededRandom(Number(values.seed));
  for (let i = candidates.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [candidates[i], candidates[j]] = [candidates[j] as never, candidates[i] as never];
  }
  const max = Number(values['max-chars']);
  const shown = candidates.slice(0, Number(values.sample));
  process.stdout.write(
    `pool: ${candidates.length} items in ${files.length} feeds; showing ${shown.length}\n`,
  );
  for (const c of shown) {
    const text = c.text.slice(0, max);
    process.stdout.write(`\n=== ${c.corpus} #${c.index}\nTITLE: ${c.title}\nTEXT: ${text}\n`);
    for (const [field, value] of [
      ['title', c.title],
      ['text', text],
    ] as const) {
      const r = tag(value, rules);
      const ents = r.entities.map((e) => e.id).join(', ');
      process.stdout.write(`  ${field} entities: ${ents || '-'}\n`);
      for (const a of r.announcements) {
        const v = a.version ? ` v${a.version}` : '';
        process.stdout.write(
          `  ${field} ${a.type}${v}: ${a.subject} -> [${a.objects.join(', ')}] (${a.rule}) "${a.evidence.text.slice(0, 100)}"\n`,
        );
      }
    }
  }
}

await main();
