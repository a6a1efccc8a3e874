/**
 * Agreement between two people's annotations of the same texts (GUIDELINES-NAMES.md format), scored the way
 * `score-names.ts` scores the tagger: file A is taken as the gold, file B as the prediction, with the same
 * name matching and announcement matching. Only texts both files annotate count; items are matched by `ref`.
 * The figures bound what any tagger can be shown to reach against one person's gold.
 *
 *   npx tsx test/gold/agreement.ts A.jsonl B.jsonl
 */
import { readFileSync } from 'node:fs';
import { type Claim, matchClaims, prf } from './lib.js';
import { maxMatching, type NamedItem, normaliseName } from './names.js';

function read(path: string): Map<string, NamedItem> {
  const items = new Map<string, NamedItem>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const item = JSON.parse(line) as NamedItem;
    items.set(item.ref, item);
  }
  return items;
}

const [pathA, pathB] = process.argv.slice(2);
if (!pathA || !pathB) throw new Error('usage: agreement.ts A.jsonl B.jsonl');
const a = read(pathA);
const b = read(pathB);
const ent = { tp: 0, fp: 0, fn: 0 };
const ann = { tp: 0, fp: 0, fn: 0 };
const rel = { tp: 0, fp: 0, fn: 0 };
let texts = 0;
for (const [ref, gold] of a) {
  const other = b.get(ref);
  if (!other) continue;
  texts++;
  const namesOf = (e: NamedItem['entities'][number]) => new Set([e.name, ...e.also].map(normaliseName));
  const otherNames = other.entities.map(namesOf);
  const edges = gold.entities.map((g) => {
    const wanted = namesOf(g);
    return otherNames.flatMap((names, j) => ([...wanted].some((w) => names.has(w)) ? [j] : []));
  });
  const pairs = maxMatching(edges, other.entities.length);
  // B's entities are named by the A entity they matched, else by a name of their own.
  const idOfB = new Map<string, string>();
  other.entities.forEach((e, j) => {
    const k = pairs.indexOf(j);
    idOfB.set(e.name, k >= 0 ? `a:${gold.entities[k]?.name}` : `b:${e.name}`);
  });
  const matched = pairs.filter((j) => j >= 0).length;
  ent.tp += matched;
  ent.fn += gold.entities.length - matched;
  ent.fp += other.entities.length - matched;
  const claim = (x: NamedItem['announcements'][number], id: (n: string) => string): Claim => ({
    type: x.type,
    subject: id(x.subject),
    objects: x.objects.map(id),
    version: x.version,
    evidence: x.note,
  });
  const goldClaims = gold.announcements.map((x) => claim(x, (n) => `a:${n}`));
  const otherClaims = other.announcements.map((x) => claim(x, (n) => idOfB.get(n) ?? `b:${n}`));
  const claimPairs = matchClaims(goldClaims, otherClaims);
  const used = claimPairs.filter((p) => p >= 0).length;
  ann.tp += used;
  ann.fn += goldClaims.length - used;
  ann.fp += otherClaims.length - used;
  const releases = (cs: Claim[]) => cs.filter((c) => c.type === 'release').length;
  const relUsed = claimPairs.filter((p, g) => p >= 0 && goldClaims[g]?.type === 'release').length;
  rel.tp += relUsed;
  rel.fn += releases(goldClaims) - relUsed;
  rel.fp +=
    releases(otherClaims) - claimPairs.filter((p) => p >= 0 && otherClaims[p]?.type === 'release').length;
}
const f = (x: number) => x.toFixed(3);
const row = (label: string, c: { tp: number; fp: number; fn: number }) => {
  const p = prf(c.tp, c.fp, c.fn);
  return `${label.padEnd(14)} P ${f(p.precision)}  R ${f(p.recall)}  F1 ${f(p.f1)}  (agreed ${c.tp}, only B ${c.fp}, only A ${c.fn})`;
};
process.stdout.write(`${texts} texts annotated in both ${pathA} (A) and ${pathB} (B)\n`);
process.stdout.write(`${row('entities', ent)}\n${row('announcements', ann)}\n${row('releases', rel)}\n`);
