/**
 * What the re-extraction benchmark measured, and the Markdown section it writes: the rate of each run beside
 * the tagger alone and the target, and enough about the machine, the database and the build to judge it.
 */
import { execSync } from 'node:child_process';
import { cpus } from 'node:os';
import type { ReextractReport } from '@frameline/pipeline';
import { type BuildState, closingLines, measured, median, seconds } from '../pipeline/report.js';
import type { TaggerRun } from './baseline.js';
import type { Loaded } from './corpus.js';

/** What the database holds for one rule set after a pass. */
export interface Extracted {
  documents: number;
  /** Documents with an extraction by the rule set at their current content. */
  extracted: number;
  mentions: number;
  announcements: number;
  /** The active rule set (null: none yet). */
  active: string | null;
}

/** One timed `reextract --json`, with the workers that did the work. */
export interface Pass {
  /** Launch to exit of `frameline reextract`. */
  ms: number;
  /** From launch until every document had an extraction by the rule set (read every second or two). */
  extractedMs: number | null;
  /** Over all workers. */
  workerCpuS: number;
  /** The `reextract` command's own process. */
  commandCpuS: number;
  /** The largest worker's VmHWM. */
  peakRssMB: number;
  /** CPU seconds of the Postgres server over the pass (null: not visible from here). */
  pgCpuS: number | null;
  /** CPU seconds other work on the machine took during the pass (see otherCpu). */
  otherCpuS: number;
  /** Share of the machine's CPU time busy during the pass (all processes, not only ours). */
  machineBusy: number;
  stored: Extracted;
  /** What the run changed against the rule set active before it (nothing, here: the same rules). */
  changes: ReextractReport['totals'];
  /** The rule set active before the pass. */
  baseline: string | null;
  /** The workers' log lines (pino JSON) at LOG_LEVEL=warn. */
  workerWarnings: string[];
}

export interface ServerSettings {
  version: string;
  sharedBuffers: string;
  synchronousCommit: string;
  autovacuum: string;
  /** After the last run. */
  databaseSize: string;
}

export interface Setup {
  docs: number;
  /** Which corpus (`--corpus`), and what its documents are (corpus.ts's CORPUS_TEXT). */
  corpus: string;
  corpusText: string;
  runs: number;
  workers: number;
  /** Documents the baseline tags. */
  sample: number;
  /** Documents/s. */
  target: number;
  root: string;
  /** True when `root` is not the checkout this script is in. */
  separateCheckout: boolean;
}

export interface Results {
  loaded: Loaded;
  initial: Pass;
  /** Bytes of one rule set's extractions (mentions, announcements, extractions; indexes included). */
  setBytes: number;
  /** Milliseconds of each tidy between passes (older extractions deleted, VACUUM ANALYZE). */
  tidied: number[];
  baseline: TaggerRun[];
  passes: Pass[];
  server: ServerSettings;
  started: Date;
  loadStart: string;
  loadEnd: string;
  build: BuildState;
  problems: string[];
}

const hours = (s: number) => (s >= 5400 ? `${(s / 3600).toFixed(1)} h` : `${Math.round(s / 60)} min`);
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const met = (ok: boolean) => (ok ? '**met**' : '**not met**');
/** `median (min–max)` of some figures, each formatted by `f`. */
const spread = (xs: number[], f: (x: number) => string) =>
  `${f(median(xs))} (${f(Math.min(...xs))}–${f(Math.max(...xs))})`;

export function report(setup: Setup, r: Results): string {
  const docsPerS = r.passes.map((p) => setup.docs / (p.ms / 1000));
  const mbPerS = r.passes.map((p) => (setup.docs * r.loaded.meanBytes) / 1e6 / (p.ms / 1000));
  const taggerDocsPerS = r.baseline.map((b) => b.documents / (b.ms / 1000));
  const taggerMbPerS = r.baseline.map((b) => b.bytes / 1e6 / (b.ms / 1000));
  const rateMedian = median(docsPerS);
  const cores = execSync('nproc').toString().trim();
  const pg = r.passes.map((p) => p.pgCpuS).filter((x): x is number => x !== null);
  const perDoc = (cpuS: number, docs: number) => `${int((cpuS / docs) * 1e6)} µs`;
  const extracted = r.passes.map((p) => p.extractedMs).filter((x): x is number => x !== null);
  const { commit, dirty, where, stale } = measured(setup, r.build);
  const warnings = r.passes.flatMap((p) => p.workerWarnings);
  const last = r.passes.at(-1)?.stored;
  const command = `npx tsx bench/reextract.ts --docs ${setup.docs} --runs ${setup.runs} --workers ${setup.workers} --corpus ${setup.corpus}${setup.sample === 20_000 || setup.sample === setup.docs ? '' : ` --baseline-docs ${setup.sample}`}`;
  const fullSize = setup.docs >= 1_000_000;
  const lines = [
    '## reextract: re-extracting stored documents (distributed mode) against the tagger alone',
    '',
    `Machine: ${cores} cores (nproc; ${cpus()[0]?.model.trim() ?? '?'}), Node ${process.version}, ${r.started.toISOString().slice(0, 10)}; load average at the start ${r.loadStart}, at the end ${r.loadEnd}.`,
    `Postgres ${r.server.version} (shared_buffers ${r.server.sharedBuffers}, synchronous_commit ${r.server.synchronousCommit}, autovacuum ${r.server.autovacuum}), Redis, the workers and the command share the machine; "machine busy" is the share of all CPU time in use during a pass, by any process; "other work" is what processes other than the bench's, Postgres and Redis took meanwhile, at least; Postgres CPU is the whole server's (read from /proc: its processes, and the backends that exited), so another database's work meanwhile would count too.`,
    `frameline at \`${commit}\`${dirty ? ' with uncommitted changes in packages/' : ''}${where}, compiled (\`pnpm build\`, ${r.build.builtAt.toISOString().slice(0, 16)}Z) and run as \`pnpm frameline\` runs it${stale}.`,
    `Documents: ${int(setup.docs)} of one source: ${setup.corpusText}; ${(r.loaded.meanBytes / 1000).toFixed(2)} KB of title and text on average (UTF-8), no article; stored with one \`COPY\` into a fresh database (${seconds(r.loaded.ms)}, ${((r.loaded.ms / setup.docs) * 1000).toFixed(0)} ms per 1,000 documents, untimed), then extracted once with the bundled rules by the same command and workers (${seconds(r.initial.ms)}, ${int(setup.docs / (r.initial.ms / 1000))} docs/s, untimed: the state a crawl leaves). Database size after the last run: ${r.server.databaseSize}.`,
    `Each run: a new rule set (the bundled rules with a YAML comment added: a new version, the same tagging work), ${setup.workers} \`frameline worker\` process${setup.workers === 1 ? '' : 'es'} started and listening on every stage (FRAMELINE_CONCURRENCY at its default), then \`frameline reextract --rules <dir> --json\` timed from launch to exit: it queues every document in batches of 100 on the bulk lane, waits for the workers, compares with the previous rule set's extractions and makes the new one active.`,
    `Baseline, in the same run: the same compiled tagger alone, in memory, on one thread: \`loadRuleSet\` of the run's rules, then \`tagDocument(title, text)\` over ${setup.sample === setup.docs ? 'all the documents' : `a sample of ${int(setup.sample)} of the documents (every ${(setup.docs / setup.sample).toFixed(1).replace(/\.0$/, '')}th, made once before the runs and kept in memory)`}, after a warm-up pass over 300 of them; no database, queue, or job.`,
    `Median of ${setup.runs} run${setup.runs === 1 ? '' : 's'}${setup.runs === 1 ? ' (one run: not a median)' : ''}.`,
    '',
    '| row | documents/s, median (min–max) | MB/s | wall time, median (min–max) | target | worker peak RSS (max) | CPU per document: workers, Postgres, command | machine busy (other work’s CPU) |',
    '|---|---|---|---|---|---|---|---|',
    `| tagger alone, in memory, 1 thread (${int(setup.sample)} documents) | ${spread(taggerDocsPerS, int)} | ${median(taggerMbPerS).toFixed(1)} | ${spread(
      r.baseline.map((b) => b.ms),
      seconds,
    )} | | | ${perDoc(median(r.baseline.map((b) => b.ms / 1000)), median(r.baseline.map((b) => b.documents)))} (wall) | |`,
    `| \`frameline reextract\`, ${setup.workers} worker${setup.workers === 1 ? '' : 's'}, Postgres + Redis (${int(setup.docs)} documents) | **${spread(docsPerS, int)}** | ${median(mbPerS).toFixed(1)} | ${spread(
      r.passes.map((p) => p.ms),
      seconds,
    )} | ≥ ${int(setup.target)}: ${met(rateMedian >= setup.target)} | ${Math.max(...r.passes.map((p) => p.peakRssMB)).toFixed(0)} MB | ${perDoc(median(r.passes.map((p) => p.workerCpuS)), setup.docs)}, ${pg.length > 0 ? perDoc(median(pg), setup.docs) : '?'}, ${perDoc(median(r.passes.map((p) => p.commandCpuS)), setup.docs)} | ${(median(r.passes.map((p) => p.machineBusy)) * 100).toFixed(0)}% (${median(r.passes.map((p) => p.otherCpuS)).toFixed(1)} s) |`,
    '',
    `Target (from the issue): 1,000,000 documents of about 5 KB re-extracted at ≥ ${int(setup.target)} documents/s (median of 3 runs): ${int(rateMedian)} documents/s, ${met(rateMedian >= setup.target)}${fullSize ? '' : ` at ${int(setup.docs)} documents (${setup.runs} run${setup.runs === 1 ? '' : 's'}), not the issue's size: the figure is indicative only`}; ${(rateMedian / median(taggerDocsPerS)).toFixed(2)}× the tagger alone on one thread.`,
    `Per run, documents/s: ${docsPerS.map(int).join(', ')}; the tagger alone: ${taggerDocsPerS.map(int).join(', ')}. Written per run: ${last ? `${int(last.mentions)} mentions and ${int(last.announcements)} announcements` : '?'} (${last ? (last.mentions / setup.docs).toFixed(0) : '?'} mentions a document; the tagger alone found ${r.baseline[0] ? (r.baseline[0].mentions / r.baseline[0].documents).toFixed(0) : '?'}).`,
    `Where the time goes: every document had its new extraction after ${extracted.length > 0 ? seconds(median(extracted)) : '?'} (median) of the pass's ${seconds(median(r.passes.map((p) => p.ms)))}; the rest is the command's comparison with the previous rule set's extractions, the activation and its exit. CPU over the pass (median): workers ${median(r.passes.map((p) => p.workerCpuS)).toFixed(1)} s, Postgres ${pg.length > 0 ? `${median(pg).toFixed(1)} s` : 'not visible from here'}, the command ${median(r.passes.map((p) => p.commandCpuS)).toFixed(1)} s, on ${cores} cores.`,
    `Storage: one rule set's extractions (mentions, announcements, extractions, indexes included) take ${(r.setBytes / 1e6).toFixed(0)} MB, ${(r.setBytes / setup.docs / 1000).toFixed(1)} KB a document, and a pass holds two rule sets' (the active one and the new one). Between passes, untimed, the older rule set's extractions were deleted and the tables VACUUM ANALYZEd (autovacuum is ${r.server.autovacuum} on this server): ${spread(r.tidied, seconds)}.`,
    fullSize
      ? null
      : `At this rate, a pass over 1,000,000 documents would take about ${hours(1e6 / rateMedian)} if the rate held at that size (it may not: the database would hold about ${(((r.setBytes / setup.docs) * 2e6) / 1e9).toFixed(0)} GB of extractions).`,
    warnings.length === 0
      ? null
      : `The workers logged ${warnings.length} lines (LOG_LEVEL=warn), first: \`${warnings[0]?.slice(0, 200)}\`.`,
    ...closingLines({
      problems: r.problems,
      checked:
        'Checked after every pass: the command ran on the workers (bullmq) and reports every document extracted by this run, no failed job, the run complete and its rule set active; in the database every document has an extraction by that rule set at its current content; each run was compared with the rule set active before it and changed nothing (the same rules).',
      separateCheckout: setup.separateCheckout,
      command,
      commit,
    }),
  ];
  return lines.filter((l) => l !== null).join('\n');
}
