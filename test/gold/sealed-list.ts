/**
 * The texts of the sealed evaluation set, chosen by rule before annotation so that nobody picks them for what
 * the tagger does: every reserved post; per release-notes file, its reserved sections with at least 200
 * characters of text, the first 5 in hash order; per AI-lab feed, its reserved items, the first 4 in hash
 * order. Prints one `ref<TAB>title` a line. `--dev` prints the development counterpart (the same rule over
 * texts outside the reserve and outside every other gold set, 3 per notes file and 2 per feed).
 */
import { createHash } from 'node:crypto';
import { allSources, type SourceText } from './documents.js';
import { goldItemKeys } from './lib.js';
import { reservedForSealed } from './split.js';

const order = (ref: string): string => createHash('sha256').update(`order:${ref}`).digest('hex');

export async function listSealed(dev = false): Promise<SourceText[]> {
  const taken = goldItemKeys();
  const sources = (await allSources()).filter(
    (s) => reservedForSealed(s.ref, taken) === !dev && !taken.has(s.ref),
  );
  const groups = new Map<string, SourceText[]>();
  for (const s of sources) {
    const hash = s.ref.lastIndexOf('#');
    const group = hash < 0 ? s.ref : s.ref.slice(0, hash);
    groups.set(group, [...(groups.get(group) ?? []), s]);
  }
  const out: SourceText[] = [];
  for (const [group, members] of groups) {
    const sorted = members.sort((a, b) => (order(a.ref) < order(b.ref) ? -1 : 1));
    if (!group.endsWith('.md') || !group.startsWith('release-notes/')) {
      // A post is its own group of one; a feed keeps 4 (2 for development).
      out.push(...sorted.slice(0, group.endsWith('.md') ? 1 : dev ? 2 : 4));
    } else {
      out.push(...sorted.filter((s) => s.text.length >= 200).slice(0, dev ? 3 : 5));
    }
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const list = await listSealed(process.argv.includes('--dev'));
  for (const s of list) process.stdout.write(`${s.ref}\t${s.title}\n`);
  process.stderr.write(`${list.length} texts\n`);
}
