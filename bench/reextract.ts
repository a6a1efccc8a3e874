/**
 * Re-extraction of stored documents at scale: `frameline reextract` over N stored documents of about 5 KB of ML
 * news, in distributed mode (Postgres, Redis, W `frameline worker` processes), against the tagger alone in
 * memory on one thread, measured in the same run. The issue's target: 1M documents at ≥ 5,000 documents/s.
 * One fresh database for all runs: the documents are stored with a COPY (not crawled: that would take longer
 * than the bench), then extracted once, untimed, with the bundled rules (the state a crawl leaves: every
 * document extracted by the active rule set). Each run then re-extracts everything with a new rule set (the
 * bundled rules with a comment added: a new version, the same tagging work) and checks that every document
 * has an extraction by it. The database and the queue prefix are removed at the end, whatever happens.
 * Needs the build (`pnpm build`): the CLI runs compiled, as `pnpm frameline` runs it, and so does the baseline's
 * tagger.
 * Run from the repo root: npx tsx bench/reextract.ts [--docs N] [--runs R] [--workers W] [--corpus real|ml-news]
 * [--root <checkout>] (`--corpus`: see reextract/corpus.ts; real texts by default)
 * (`--root`: measure another checkout's build, e.g. a `git worktree` of a commit while this tree is being edited;
 * `--baseline-docs S`: how many of the documents the baseline tags, evenly spread, default 20,000.)
 * Prints a Markdown section and writes it into BENCHMARKS.md between its own markers.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { ReextractReport } from '@frameline/pipeline';
import type { DocumentInput } from '@frameline/store';
import { writeBenchSection } from '@frameline/testkit';
import postgres from 'postgres';
import { buildState, seconds as s } from './pipeline/report.js';
import {
  benchCleanup,
  CLI_MAIN,
  type CliTarget,
  cpuSeconds,
  createDatabase,
  deleteKeys,
  MIB_TO_MB,
  machineTicks,
  otherCpu,
  otherCpuSince,
  peakRssMiB,
  REDIS_URL,
  REPO_ROOT,
  randomName,
  runCli,
  startCli,
  stopCli,
} from './pipeline/services.js';
import { runTagger, type TaggerRun } from './reextract/baseline.js';
import { CORPORA, CORPUS_TEXT, type Corpus, documentsOf, loadDocuments } from './reextract/corpus.js';
import { type Extracted, type Pass, report, type ServerSettings } from './reextract/report.js';
import { type Tagger, variantOf, versionOf } from './reextract/rules.js';
import { extractionBytes, freeBytes, keepActiveOnly } from './reextract/storage.js';
import {
  exitedChildrenCpuSeconds,
  postgresCpuSeconds,
  postmasterOf,
  waitForAllWorkers,
  watchExtractions,
} from './reextract/watch.js';

/** The issue's target. */
const TARGET_DOCS_PER_S = 5_000;
/** A feed URL for the one source the documents belong to; never fetched (`--no-discover`, no crawl). */
const SOURCE_URL = 'https://ml-wire.example/feed.xml';

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '3' },
    workers: { type: 'string', default: '1' },
    'baseline-docs': { type: 'string', default: '20000' },
    corpus: { type: 'string', default: 'real' },
    // Another checkout's build to measure, e.g. a `git worktree` of a commit while this tree has work in progress.
    root: { type: 'string', default: REPO_ROOT },
  },
});
function positive(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} takes a positive integer, got "${raw}"`);
  return n;
}
const DOCS = positive('docs', values.docs);
const RUNS = positive('runs', values.runs);
const WORKERS = positive('workers', values.workers);
if (!(CORPORA as readonly string[]).includes(values.corpus)) {
  throw new Error(`--corpus takes one of ${CORPORA.join(', ')}, got "${values.corpus}"`);
}
const CORPUS = values.corpus as Corpus;
const makeDocument = documentsOf(CORPUS);
const SAMPLE = Math.min(DOCS, positive('baseline-docs', values['baseline-docs']));
const ROOT = resolve(values.root);
if (!existsSync(join(ROOT, CLI_MAIN))) {
  throw new Error(`no compiled CLI at ${join(ROOT, CLI_MAIN)}: run \`pnpm build\` there first`);
}
const TAGGER_DIST = join(ROOT, 'packages/tag/dist/index.js');
const SETTINGS = { LOG_LEVEL: 'warn' };
/**
 * How often a pass's progress is read from the database: a count of the new rule set's extractions, an
 * index-only scan of up to N entries (about 0.1 s at a million), so at most every 5 s.
 */
const WATCH_EVERY_MS = Math.min(5_000, Math.max(250, DOCS / 200));
/** Room to leave on the server's disk beyond one more rule set's extractions (WAL, bloat). */
const DISK_SLACK_BYTES = 3e9;
/** A pass may take this long before it is stopped: 30 minutes, plus 10 ms a document (100 documents/s). */
const PASS_TIMEOUT_MS = 30 * 60_000 + DOCS * 10;

const say = (line: string) => process.stdout.write(`${line}\n`);
const rate = (docs: number, ms: number) => `${Math.round(docs / (ms / 1000)).toLocaleString('en-US')} docs/s`;

const { defer, cleanUp, wasInterrupted } = benchCleanup(say);

const problems: string[] = [];
function check(ok: boolean, what: string): void {
  if (!ok) {
    problems.push(what);
    say(`CHECK FAILED: ${what}`);
  }
}

/** What the database holds for a rule set: documents extracted by it at their current content, and its rows. */
async function extractedBy(url: string, version: string): Promise<Extracted> {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    const [row] = await sql<Extracted[]>`
      select (select count(*)::int from documents) as documents,
             (select count(*)::int from documents d join extractions e
                on e.document_id = d.id and e.rule_set = ${version} and e.content_hash = d.content_hash)
               as extracted,
             (select coalesce(sum(cardinality(starts)), 0)::int from mentions where rule_set = ${version}) as mentions,
             (select count(*)::int from announcements where rule_set = ${version}) as announcements,
             (select version from rule_sets where activated_at is not null
              order by activated_at desc, version limit 1) as active`;
    if (!row) throw new Error('no counts');
    return row;
  } finally {
    await sql.end();
  }
}

/** The JSON report `reextract --json` printed last. */
function reportOf(stdout: string): ReextractReport {
  const line = stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .at(-1);
  if (!line) throw new Error(`reextract printed no JSON report:\n${stdout.slice(-2000)}`);
  return JSON.parse(line) as ReextractReport;
}

/**
 * One timed `reextract --json` (with `rulesDir`, or the bundled rules), W workers started and listening
 * before it and stopped after it; then the checks that every document has an extraction by the rule set.
 */
async function reextractPass(
  cli: CliTarget,
  opts: {
    label: string;
    prefix: string;
    postmaster: number | null;
    rulesDir: string | null;
    version: string;
  },
): Promise<Pass> {
  const workers = Array.from({ length: WORKERS }, () => startCli(cli, ['worker']));
  const stopWorkers = defer(() => Promise.all(workers.map((w) => stopCli(w))));
  try {
    await waitForAllWorkers(opts.prefix, workers);
    const pids = workers.map((w) => w.pid ?? 0);
    const cpuBefore = pids.map(cpuSeconds);
    const pgBefore = opts.postmaster === null ? null : postgresCpuSeconds(opts.postmaster);
    const others = otherCpu();
    const ticksBefore = machineTicks();
    const rules = opts.rulesDir === null ? [] : ['--rules', opts.rulesDir];
    const commandCpuBefore = exitedChildrenCpuSeconds();
    const watch = watchExtractions(cli.env.DATABASE_URL ?? '', {
      version: opts.version,
      total: DOCS,
      everyMs: WATCH_EVERY_MS,
    });
    const out = await runCli(cli, ['reextract', ...rules, '--json'], PASS_TIMEOUT_MS).finally(() =>
      watch.stop(),
    );
    const extractedMs = await watch.stop();
    const commandCpuS = exitedChildrenCpuSeconds() - commandCpuBefore;
    const ticks = machineTicks();
    const otherCpuS = otherCpuSince(others);
    const pgCpuS =
      opts.postmaster === null || pgBefore === null ? null : postgresCpuSeconds(opts.postmaster) - pgBefore;
    const workerCpuS = pids.reduce((sum, pid, i) => sum + cpuSeconds(pid) - (cpuBefore[i] ?? 0), 0);
    const peakRssMB = Math.max(...pids.map(peakRssMiB)) * MIB_TO_MB;
    const result = reportOf(out.stdout);
    const stored = await extractedBy(cli.env.DATABASE_URL ?? '', opts.version);
    const { label } = opts;
    check(result.ruleSet === opts.version, `${label}: extracted with ${result.ruleSet}, not ${opts.version}`);
    check(result.mode === 'bullmq', `${label}: ran ${result.mode}, not on the workers (bullmq)`);
    check(
      result.documents.extracted === DOCS,
      `${label}: ${result.documents.extracted} of ${DOCS} documents extracted by this run`,
    );
    check(result.failures.length === 0, `${label}: ${result.failures.length} jobs failed`);
    check(
      result.complete && result.activated,
      `${label}: the run is not complete, or its rule set not active`,
    );
    check(stored.documents === DOCS, `${label}: ${stored.documents} documents stored, expected ${DOCS}`);
    check(
      stored.extracted === DOCS,
      `${label}: ${stored.extracted} of ${DOCS} documents have an extraction by rule set ${opts.version}`,
    );
    check(stored.active === opts.version, `${label}: the active rule set is ${stored.active}`);
    check(stored.mentions > 0, `${label}: no mentions stored`);
    const workerWarnings = workers.flatMap((w) =>
      w.output.stderr.split('\n').filter((l) => l.startsWith('{')),
    );
    return {
      ms: out.ms,
      extractedMs,
      workerCpuS,
      commandCpuS,
      peakRssMB,
      pgCpuS,
      otherCpuS,
      machineBusy: (ticks.busy - ticksBefore.busy) / (ticks.total - ticksBefore.total),
      stored,
      changes: result.totals,
      baseline: result.baseline,
      workerWarnings,
    };
  } finally {
    await stopWorkers();
  }
}

/** Keep only the active rule set's extractions, then VACUUM ANALYZE (untimed); returns how long that took. */
async function tidy(url: string): Promise<number> {
  const started = performance.now();
  await keepActiveOnly(url);
  const ms = performance.now() - started;
  say(`  kept only the active rule set's extractions, VACUUM ANALYZE: ${s(ms)}`);
  return ms;
}

async function serverSettings(url: string): Promise<ServerSettings> {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    const [row] = await sql<ServerSettings[]>`
      select current_setting('server_version') as version,
             current_setting('shared_buffers') as "sharedBuffers",
             current_setting('synchronous_commit') as "synchronousCommit",
             current_setting('autovacuum') as autovacuum,
             pg_size_pretty(pg_database_size(current_database())) as "databaseSize"`;
    if (!row) throw new Error('no settings');
    return row;
  } finally {
    await sql.end();
  }
}

async function main(): Promise<void> {
  const started = new Date();
  const loadStart = loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
  const build = buildState(ROOT);
  if (build.staleIn.length > 0) {
    say(
      `note: sources changed after the build in ${build.staleIn.join(', ')}; measuring the build of ${build.builtAt.toISOString()}`,
    );
  }
  // The compiled tagger of the checkout measured: the code its workers run, and the versions they compute.
  const tagger = (await import(pathToFileURL(TAGGER_DIST).href)) as Tagger;
  const home = mkdtempSync(join(tmpdir(), 'frameline-bench-reextract-'));
  defer(async () => rmSync(home, { recursive: true, force: true }));
  const db = await createDatabase();
  defer(db.drop);
  const prefix = randomName('flbench');
  defer(() => deleteKeys(prefix));
  const env = {
    ...SETTINGS,
    FRAMELINE_HOME: home,
    DATABASE_URL: db.url,
    REDIS_URL,
    FRAMELINE_QUEUE_PREFIX: prefix,
  };
  const cli: CliTarget = { root: ROOT, env };
  say(`reextract bench: ${DOCS} documents, ${RUNS} runs, ${WORKERS} worker(s), database ${db.name}`);

  // The schema (the CLI migrates by itself) and the one source the documents belong to.
  const added = await runCli(
    cli,
    ['sources', 'add', SOURCE_URL, '--no-discover', '--articles', 'never', '--name', 'ML Wire', '--json'],
    60_000,
  );
  const sourceId = (JSON.parse(added.stdout.trim().split('\n').at(-1) ?? '') as { source: { id: number } })
    .source.id;
  let reported = 0;
  const loaded = await loadDocuments(db.url, sourceId, {
    count: DOCS,
    make: makeDocument,
    onProgress: (done) => {
      if (done === DOCS || done - reported >= Math.max(10_000, DOCS / 10)) {
        reported = done;
        say(`  stored ${done} documents`);
      }
    },
  });
  say(
    `stored ${loaded.documents} documents (${(loaded.meanBytes / 1000).toFixed(2)} KB of title and text each) in ${s(loaded.ms)}: ` +
      `${((loaded.ms / loaded.documents) * 1000).toFixed(0)} ms per 1000 documents`,
  );
  const postmaster = await postmasterOf(db.url);

  // Every document extracted by the bundled rules, as a crawl leaves them: each run re-extracts against it.
  const bundled = versionOf(tagger, tagger.defaultRulesPath());
  const initial = await reextractPass(cli, {
    label: 'initial extraction',
    prefix,
    postmaster,
    rulesDir: null,
    version: bundled,
  });
  say(`initial extraction (untimed for the target): ${s(initial.ms)}, ${rate(DOCS, initial.ms)}`);
  const tidied: number[] = [await tidy(db.url)];
  // A pass writes a second rule set's extractions beside the active one's: make sure they fit on the disk.
  const setBytes = await extractionBytes(db.url);
  const free = await freeBytes(db.url);
  say(
    `one rule set's extractions take ${(setBytes / 1e6).toFixed(0)} MB (${(setBytes / DOCS).toFixed(0)} bytes a document); ` +
      `free on the server's disk: ${free === null ? 'not visible from here' : `${(free / 1e9).toFixed(1)} GB`}`,
  );
  if (free !== null && free < setBytes * 1.2 + DISK_SLACK_BYTES) {
    throw new Error(
      `a pass needs about ${((setBytes * 1.2 + DISK_SLACK_BYTES) / 1e9).toFixed(1)} GB free on the server's disk for a second rule set's extractions, and ${(free / 1e9).toFixed(1)} GB are: run fewer documents (--docs)`,
    );
  }

  // The baseline's documents: every k-th, made once and kept in memory (all of them would not fit).
  const step = DOCS / SAMPLE;
  const sample: DocumentInput[] = Array.from({ length: SAMPLE }, (_, j) =>
    makeDocument(Math.floor(j * step)),
  );

  const seen = new Set([bundled]);
  let active = bundled;
  const baseline: TaggerRun[] = [];
  const passes: Pass[] = [];
  for (let run = 0; run < RUNS; run++) {
    const rulesDir = variantOf(
      tagger.defaultRulesPath(),
      join(home, `rules-${run + 1}`),
      `run ${run + 1} ${prefix}`,
    );
    const version = versionOf(tagger, rulesDir);
    if (seen.has(version)) throw new Error(`run ${run + 1}: rule set ${version} is not new`);
    seen.add(version);
    const b = runTagger(tagger, rulesDir, sample);
    baseline.push(b);
    say(
      `run ${run + 1}: tagger alone ${rate(b.documents, b.ms)} (${(b.bytes / 1e6 / (b.ms / 1000)).toFixed(1)} MB/s) over ${b.documents} documents`,
    );
    const p = await reextractPass(cli, { label: `run ${run + 1}`, prefix, postmaster, rulesDir, version });
    passes.push(p);
    const changed = [p.changes.mentions, p.changes.announcements].some(
      (c) => c.added + c.removed + c.changed > 0,
    );
    check(!changed, `run ${run + 1}: the same rules changed extractions: ${JSON.stringify(p.changes)}`);
    check(p.baseline === active, `run ${run + 1}: compared with rule set ${p.baseline}, not ${active}`);
    active = version;
    say(
      `run ${run + 1}: reextract ${s(p.ms)}, ${rate(DOCS, p.ms)}; worker CPU ${p.workerCpuS.toFixed(1)} s, peak RSS ${p.peakRssMB.toFixed(0)} MB` +
        `${p.pgCpuS === null ? '' : `; Postgres CPU ${p.pgCpuS.toFixed(1)} s`}; machine busy ${(p.machineBusy * 100).toFixed(0)}% ` +
        `(other work ${p.otherCpuS.toFixed(1)} s CPU); ${p.stored.extracted} of ${p.stored.documents} extracted, ${p.stored.mentions} mentions`,
    );
    for (const w of p.workerWarnings.slice(0, 5)) say(`  worker log: ${w.slice(0, 300)}`);
    tidied.push(await tidy(db.url));
  }
  const server = await serverSettings(db.url);
  const rebuilt = buildState(ROOT).builtAt.getTime() !== build.builtAt.getTime();
  check(
    !rebuilt,
    'packages/*/dist was rebuilt while the bench ran: the runs may have measured different code',
  );
  const loadEnd = loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
  const section = report(
    {
      docs: DOCS,
      corpus: CORPUS,
      corpusText: CORPUS_TEXT[CORPUS],
      runs: RUNS,
      workers: WORKERS,
      sample: SAMPLE,
      target: TARGET_DOCS_PER_S,
      root: ROOT,
      separateCheckout: ROOT !== resolve(REPO_ROOT),
    },
    {
      loaded,
      initial,
      setBytes,
      tidied,
      baseline,
      passes,
      server,
      started,
      loadStart,
      loadEnd,
      build,
      problems,
    },
  );
  say('');
  say(section);
  writeBenchSection('reextract', section);
  if (problems.length > 0) process.exitCode = 1;
}

try {
  await main();
} catch (err) {
  // After Ctrl-C the children's errors are the interruption's, not something to report.
  if (!wasInterrupted()) throw err;
} finally {
  await cleanUp();
}
