/**
 * Tagger benchmark: the entity pass alone and the whole `tag()` over ≥20 MB of real text, each against a
 * baseline of one RegExp per surface form measured in the same run. Writes the `tag` section of
 * BENCHMARKS.md.  Run: npx tsx bench/tag.ts
 */
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { writeBenchSection } from '@frameline/testkit';
import { findMentions, loadRuleSet, type RuleSet, tag } from '../packages/tag/src/index.js';
import { corpusOf, realDocuments, utf8Bytes } from './tag-corpus.js';

const MIN_BYTES = 20 * 1024 * 1024;
const RUNS = 7;
const BASELINE_SLICE_BYTES = 512 * 1024;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** CPU seconds (user + system) this process spent in `fn`; wall seconds go to `walls`. */
function time(fn: () => void, walls: number[] = []): number {
  const cpu = process.cpuUsage();
  const t = process.hrtime.bigint();
  fn();
  walls.push(Number(process.hrtime.bigint() - t) / 1e9);
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / 1e6;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** One RegExp per pattern, whole words by the same Unicode definition the tagger uses. */
function baselineRegexps(patterns: readonly string[], caseSensitive: (i: number) => boolean): RegExp[] {
  return patterns.map(
    // The literal comes first (the boundary before it is checked by a look-behind placed after it), so
    // V8 can scan for the literal instead of trying a look-behind at every offset.
    (p, i) =>
      new RegExp(
        `${escapeRegExp(p)}(?<![\\p{L}\\p{M}\\p{N}_]${escapeRegExp(p)})(?![\\p{L}\\p{M}\\p{N}_])`,
        caseSensitive(i) ? 'gu' : 'giu',
      ),
  );
}

function runRegexps(docs: readonly string[], res: readonly RegExp[]): number {
  let hits = 0;
  for (const d of docs) {
    for (const re of res) {
      re.lastIndex = 0;
      while (re.exec(d) !== null) hits++;
    }
  }
  return hits;
}

function sliceOf(docs: readonly string[], bytes: number): string[] {
  const out: string[] = [];
  let n = 0;
  for (const d of docs) {
    if (n >= bytes) break;
    out.push(d);
    n += Buffer.byteLength(d, 'utf8');
  }
  return out;
}

async function main(): Promise<void> {
  const loadBefore = loadavg()[0] ?? 0;
  const rules: RuleSet = loadRuleSet();
  const { docs, sources } = realDocuments();
  const corpus = corpusOf(docs, MIN_BYTES);
  const bytes = utf8Bytes(corpus);
  const mb = bytes / 1e6;
  const { entityMatcher, surfaces, cueMatcher, contextMatcher } = rules.tables;

  // Warm up both paths so the JIT has compiled them before timing.
  for (const d of docs) tag(d, rules);

  // Calibration: a bare loop reading every code unit, the ceiling of any scan in JavaScript on this machine at
  // this moment (the machine's speed varies between runs by up to 2x; compare the rows of one run).
  let sink = 0;
  const floorTimes: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    floorTimes.push(
      time(() => {
        let x = 0;
        for (const d of corpus) for (let i = 0; i < d.length; i++) x = (x + d.charCodeAt(i)) | 0;
        sink += x;
      }),
    );
  }

  let mentions = 0;
  const entityTimes: number[] = [];
  const entityWalls: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    mentions = 0;
    entityTimes.push(
      time(() => {
        for (const d of corpus) mentions += findMentions(d, rules).length;
      }, entityWalls),
    );
  }
  let announcements = 0;
  const tagTimes: number[] = [];
  const tagWalls: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    announcements = 0;
    tagTimes.push(
      time(() => {
        for (const d of corpus) announcements += tag(d, rules).announcements.length;
      }, tagWalls),
    );
  }

  // The compiled tagger (packages/tag/dist, from `pnpm run build`), which `pnpm frameline`, the workers and
  // the image run; this script itself runs the sources through tsx.
  const distUrl = new URL('../packages/tag/dist/index.js', import.meta.url);
  const distTimes: number[] = [];
  const distWalls: number[] = [];
  if (existsSync(distUrl)) {
    const dist = (await import(distUrl.href)) as { loadRuleSet: () => RuleSet; tag: typeof tag };
    const distRules = dist.loadRuleSet();
    if (distRules.version !== rules.version)
      throw new Error('the compiled tagger is not built from these sources');
    for (const d of docs) dist.tag(d, distRules);
    for (let r = 0; r < RUNS; r++)
      distTimes.push(
        time(() => {
          for (const d of corpus) dist.tag(d, distRules);
        }, distWalls),
      );
  }

  // Baseline: one RegExp per surface form (entities), plus one per cue phrase (what whole tag also needs),
  // timed on a slice of the corpus and scaled to MB/s.
  const entityRes = baselineRegexps(entityMatcher.patterns, (i) =>
    (surfaces[i] ?? []).every((u) => u.exact !== null),
  );
  const cueRes = baselineRegexps([...cueMatcher.patterns, ...contextMatcher.patterns], () => false);
  const slice = sliceOf(corpus, BASELINE_SLICE_BYTES);
  const sliceMb = utf8Bytes(slice) / 1e6;
  const baseEntityTimes: number[] = [];
  const baseCueTimes: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    baseEntityTimes.push(time(() => runRegexps(slice, entityRes)));
    baseCueTimes.push(time(() => runRegexps(slice, cueRes)));
  }

  const entityMbs = mb / median(entityTimes);
  const tagMbs = mb / median(tagTimes);
  const baseEntityMbs = sliceMb / median(baseEntityTimes);
  const baseTagMbs = sliceMb / (median(baseEntityTimes) + median(baseCueTimes));
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const nproc = execSync('nproc').toString().trim();
  const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
  const section = [
    '## tag',
    '',
    `Machine: ${nproc} cores (${cpu}), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}. One core, median of ${RUNS} runs, MB/s over CPU time (user + system) of this process because other jobs shared the machine (load average ${loadBefore.toFixed(1)} at the start); wall-clock MB/s in brackets.`,
    `Rule set: bundled default \`${rules.version}\`: ${rules.entities.length} entities, ${entityMatcher.patterns.length} surface forms, ${cueMatcher.patterns.length + contextMatcher.patterns.length} cue phrases, ${rules.ruleNames.length} announcement rules.`,
    `Corpus: ${fmt(mb)} MB (UTF-8) = the real texts repeated ${Math.round(corpus.length / docs.length)}× (${docs.length} documents: ${sources}); built at run time from ../shared/corpora, not committed. Each document is tagged on its own, as the pipeline tags each field.`,
    '',
    '| pass | this tagger | baseline: one RegExp per surface form | speed-up |',
    '|---|---|---|---|',
    `| entity pass alone (\`findMentions\`) | ${fmt(entityMbs)} MB/s (${fmt(mb / median(entityWalls))}) | ${fmt(baseEntityMbs)} MB/s | ${fmt(entityMbs / baseEntityMbs)}× |`,
    `| whole \`tag()\` (entities, sentences, announcements) | ${fmt(tagMbs)} MB/s (${fmt(mb / median(tagWalls))}) | ${fmt(baseTagMbs)} MB/s | ${fmt(tagMbs / baseTagMbs)}× |`,
    distTimes.length > 0
      ? `| whole \`tag()\`, compiled (\`packages/tag/dist\`, as \`pnpm frameline\`, the workers and the image run it) | ${fmt(mb / median(distTimes))} MB/s (${fmt(mb / median(distWalls))}) | ${fmt(baseTagMbs)} MB/s | ${fmt(mb / median(distTimes) / baseTagMbs)}× |`
      : '| whole `tag()`, compiled | not built: run `pnpm run build` | | |',
    `| calibration: a bare \`charCodeAt\` loop over the same corpus (the ceiling of any scan here) | ${fmt(mb / median(floorTimes))} MB/s | | |`,
    '',
    `Found per run: ${mentions} mentions, ${announcements} announcements. Targets: entity pass ≥ 100 MB/s, whole tag ≥ 30 MB/s, ≥ 100× the baseline.`,
    `Baseline: ${entityRes.length} RegExps (Unicode word boundaries by look-around, case-insensitive unless the form is case-sensitive), timed on the first ${fmt(sliceMb)} MB of the corpus and scaled; for whole tag it adds one RegExp per cue phrase (${cueRes.length}), i.e. only the matching that \`tag()\` does with its two automata, so the whole-tag ratio is conservative.`,
    '',
    'The first rows run the TypeScript sources through tsx (this script); the compiled row is the same code as built by `pnpm run build`.',
    '',
    'Reproduce: `npx tsx bench/tag.ts` (after `pnpm run build` for the compiled row)',
  ].join('\n');
  if (sink === 0.5) process.stdout.write('');
  process.stdout.write(`${section}\n`);
  writeBenchSection('tag', section);
}

await main();
