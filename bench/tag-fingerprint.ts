/**
 * A fingerprint of the tagger's output, for changes that must not change it (a refactor, rules moved between
 * files): the SHA-256 of every `tag()` result over the tag benchmark's real documents and every
 * `tagDocument()` result over the new corpora's texts (posts, release-note sections, AI-lab items), leaving
 * out the sealed set's texts and the rule-set version results carry (it changes with any edit).
 *
 *   npx tsx bench/tag-fingerprint.ts [--out FILE]
 *
 * With `--out`, one JSON line per text goes to FILE (its reference and its output), so two runs can be
 * compared with `diff` to see which texts changed. Nothing is written to BENCHMARKS.md.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ExtractResult } from '@frameline/core';
import { loadRuleSet, tag, tagDocument } from '../packages/tag/src/index.js';
import { allSources } from '../test/gold/documents.js';
import { readNamed } from '../test/gold/names.js';
import { realDocuments } from './tag-corpus.js';

const outAt = process.argv.indexOf('--out');
const out = outAt >= 0 ? process.argv[outAt + 1] : undefined;
const ruleSet = loadRuleSet();
const sealed = new Set(
  readNamed(fileURLToPath(new URL('../test/gold/sealed.jsonl', import.meta.url))).map((i) => i.ref),
);

/** A result without its rule-set version. */
function unversioned({ ruleSet: _, ...rest }: ExtractResult): Omit<ExtractResult, 'ruleSet'> {
  return rest;
}

const lines: string[] = [];
const { docs } = realDocuments();
docs.forEach((d, i) => {
  lines.push(JSON.stringify({ ref: `bench#${i}`, result: unversioned(tag(d, ruleSet)) }));
});
let left = 0;
for (const s of await allSources()) {
  if (sealed.has(s.ref)) {
    left++;
    continue;
  }
  const { title, text } = tagDocument(s.title, s.text, ruleSet);
  lines.push(JSON.stringify({ ref: s.ref, title: unversioned(title), text: unversioned(text) }));
}
const hash = createHash('sha256');
for (const l of lines) hash.update(l).update('\n');
if (out) writeFileSync(out, `${lines.join('\n')}\n`);
process.stdout.write(
  `${hash.digest('hex').slice(0, 16)}  ${lines.length} texts (${left} sealed texts left out), rule set ${ruleSet.version}\n`,
);
