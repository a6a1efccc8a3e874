// Could a well-kept NLP library take over tokens, sentence boundaries or parts of speech in the tagger (issue 8
// asks to use one "if measurement shows it beats the hand-written code" within the speed floors)? Speed on the
// tagger bench's real texts (2.8 MB, each document on its own as the pipeline tags fields), one core, median of
// RUNS runs in this process after warm-up runs (ten for ours: the tagger needs some 50,000 calls to reach its
// steady speed; one for the libraries, tens to a thousand times slower), with our sentence splitter and our whole tag() measured in the same run:
// - compromise 14: `nlp(text)` (tokens, sentences and its part-of-speech tags; it tags on parse) then
//   `.sentences()`;
// - wink-nlp 2 with its English lite model, pipeline cut to sentence boundaries and parts of speech.
// Writes the `nlp-libraries` section of BENCHMARKS.md. Run: npx tsx bench/nlp-libraries.ts
import { cpus } from 'node:os';
import { writeBenchSection } from '@frameline/testkit';
import nlp from 'compromise';
import model from 'wink-eng-lite-web-model';
import winkNLP from 'wink-nlp';
import { loadRuleSet, splitSentences, tag } from '../packages/tag/src/index.js';
import { realDocuments, utf8Bytes } from './tag-corpus.js';

const RUNS = 3;
const { docs } = realDocuments();
const mb = utf8Bytes(docs) / 1e6;
const rules = loadRuleSet();
const wink = winkNLP(model, ['sbd', 'pos']);

function time(run: () => number, warmups = 1): { mbs: number; count: number } {
  const times: number[] = [];
  let count = 0;
  for (let w = 0; w < warmups; w++) count = run();
  for (let r = 0; r < RUNS; r++) {
    const start = process.cpuUsage();
    count = run();
    const used = process.cpuUsage(start);
    times.push((used.user + used.system) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { mbs: mb / (times[Math.floor(RUNS / 2)] as number), count };
}

const rows: [string, { mbs: number; count: number }][] = [
  [
    'ours: `splitSentences` (sentence boundaries only)',
    time(() => docs.reduce((n, d) => n + splitSentences(d).length / 2, 0), 10),
  ],
  [
    'ours: whole `tag()` (entities, sentences, announcements)',
    time(() => docs.reduce((n, d) => n + tag(d, rules).announcements.length, 0), 10),
  ],
  [
    'compromise 14: `nlp(text).sentences()` (tokens, tags, sentences)',
    time(() => docs.reduce((n, d) => n + nlp(d).sentences().length, 0)),
  ],
  [
    'wink-nlp 2 + eng-lite-web-model: `readDoc` with sentence boundaries and parts of speech',
    time(() => docs.reduce((n, d) => n + wink.readDoc(d).sentences().length(), 0)),
  ],
];
const ours = rows[0]?.[1].mbs ?? 1;
const table = rows.map(
  ([label, r]) => `| ${label} | ${r.mbs.toFixed(r.mbs < 10 ? 2 : 1)} MB/s | ${(r.mbs / ours).toFixed(3)}× |`,
);
const section = [
  '## nlp-libraries: tokens, sentences and parts of speech from a library?',
  '',
  `Machine: ${cpus().length} cores (${cpus()[0]?.model.trim() ?? '?'}), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}. CPU time of this process, median of ${RUNS} runs after warm-up runs (ten for ours, one for the libraries) over the tagger bench's real texts (${mb.toFixed(1)} MB, ${docs.length} documents, each on its own).`,
  '',
  '| | speed | × our sentence splitter |',
  '|---|---|---|',
  ...table,
  '',
  `The tagger must stay at ≥ 30 MB/s for the whole of \`tag()\` (issue 8). ${rows
    .slice(2)
    .map(
      ([label, r]) =>
        `${label.split(':')[0]} alone runs at ${((r.mbs / 30) * 100).toFixed(1)}% of that floor`,
    )
    .join(
      '; ',
    )}: ${rows.slice(2).every(([, r]) => r.mbs < 30) ? 'neither can sit in the tagger, so tokens, sentences and parts of speech stay hand-written (a library could still serve off the hot path, e.g. to annotate or to check, where speed does not count)' : 'see the rows: a library at or above the floor could take a pass over'}.`,
  '',
  'Reproduce: `npx tsx bench/nlp-libraries.ts`',
].join('\n');
process.stdout.write(`${section}\n`);
writeBenchSection('nlp-libraries', section);
