/**
 * Micro-benchmark of the entity pass's parts over the real documents (repeated to ≥20 MB): the raw automaton
 * scan, `findMentions`, and a bare `charCodeAt` loop as a ceiling. Prints CPU-time MB/s; writes nothing.
 * Run: npx tsx bench/tag-scan.ts
 */
import { loadavg } from 'node:os';
import { findMentions, loadRuleSet, tag } from '../packages/tag/src/index.js';
import { corpusOf, realDocuments, utf8Bytes } from './tag-corpus.js';

const RUNS = 7;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function cpuSeconds(fn: () => void): number {
  const cpu = process.cpuUsage();
  fn();
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / 1e6;
}

const rules = loadRuleSet(process.argv[2]);
const { docs } = realDocuments();
const corpus = corpusOf(docs, 20 * 1024 * 1024);
const mb = utf8Bytes(corpus) / 1e6;
const units = corpus.reduce((n, d) => n + d.length, 0);
const matcher = rules.tables.entityMatcher;

let sink = 0;
const cases: [string, () => void][] = [
  [
    'charCodeAt loop',
    () => {
      let x = 0;
      for (const d of corpus) for (let i = 0; i < d.length; i++) x = (x + d.charCodeAt(i)) | 0;
      sink += x;
    },
  ],
  [
    'entityMatcher.scan',
    () => {
      let x = 0;
      for (const d of corpus) x += matcher.scan(d, 0, d.length);
      sink += x;
    },
  ],
  [
    'findMentions',
    () => {
      let x = 0;
      for (const d of corpus) x += findMentions(d, rules).length;
      sink += x;
    },
  ],
];
// Warm up as bench/tag.ts does (whole tag first), then each case.
if (process.env.WARM_TAG !== '0') for (const d of docs) tag(d, rules);
for (const [, fn] of cases) fn();
process.stdout.write(
  `load ${loadavg()[0]?.toFixed(2)}; ${mb.toFixed(1)} MB, ${units} code units, ${corpus.length} docs\n`,
);
for (const [name, fn] of cases) {
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) times.push(cpuSeconds(fn));
  process.stdout.write(
    `${name.padEnd(22)} ${(mb / median(times)).toFixed(1)} MB/s (min ${(mb / Math.min(...times)).toFixed(1)})\n`,
  );
}
if (sink === 0.5) process.stdout.write('');
