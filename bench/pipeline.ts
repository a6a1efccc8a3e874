/**
 * The crawl pipeline end to end, in distributed mode (Postgres, Redis, one `frameline worker`), against a
 * minimal crawler measured in the same run, over a fixture web this script serves on 127.0.0.1.
 * Rows: articles off (`sources import --articles never`), articles on (the default `auto`: every item here is
 * a teaser, so every linked page is fetched), and a second, forced pass over the articles-off sources, which
 * should be all 304s. Each row and run gets a fresh database and queue prefix; everything is removed after.
 * Needs the build (`pnpm build`): the CLI runs compiled, as `pnpm frameline` runs it.
 * Run from the repo root: npx tsx bench/pipeline.ts [--feeds N] [--items M] [--runs R] [--root <checkout>]
 * (`--root`: measure another checkout's build, e.g. a `git worktree` of a commit while this tree is being edited.)
 * Prints a Markdown section and writes it into BENCHMARKS.md between its own markers.
 * For finding where the time goes: BENCH_DATABASE_URL=<admin URL of another server> (one started with
 * pg_stat_statements, say), BENCH_WORKER_PROFILE=<dir> (V8 CPU profiles of the workers).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CrawlResult } from '@frameline/pipeline';
import { writeBenchSection } from '@frameline/testkit';
import postgres from 'postgres';
import { runBaseline } from './pipeline/baseline.js';
import { type FixtureWeb, startFixtureWeb, type Traffic } from './pipeline/fixture-web.js';
import {
  type BaselineRun,
  buildState,
  type Pass,
  type Row,
  report,
  type Stored,
  seconds as s,
} from './pipeline/report.js';
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
  waitForWorkers,
} from './pipeline/services.js';

const LATENCY_MS = 20;
const CONCURRENCY = 50;
const CRAWL_TIMEOUT_MS = 60 * 60_000;
/** The targets. */
const TARGET_RATIO = 2.3;
const TARGET_RSS_MB = 300;

const { values } = parseArgs({
  options: {
    feeds: { type: 'string', default: '1000' },
    items: { type: 'string', default: '20' },
    runs: { type: 'string', default: '3' },
    // Another checkout's build to measure, e.g. a `git worktree` of a commit while this tree has work in progress.
    root: { type: 'string', default: REPO_ROOT },
  },
});
function positive(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} takes a positive integer, got "${raw}"`);
  return n;
}
const FEEDS = positive('feeds', values.feeds);
const ITEMS = positive('items', values.items);
const RUNS = positive('runs', values.runs);
const ROOT = resolve(values.root);
if (!existsSync(join(ROOT, CLI_MAIN))) {
  throw new Error(`no compiled CLI at ${join(ROOT, CLI_MAIN)}: run \`pnpm build\` there first`);
}
const SETTINGS = {
  FRAMELINE_ALLOW_HOSTS: '127.0.0.1',
  FRAMELINE_HOST_DELAY_MS: '0',
  FRAMELINE_HOST_CONCURRENCY: String(CONCURRENCY),
  FRAMELINE_CONCURRENCY: String(CONCURRENCY),
  LOG_LEVEL: 'warn',
};

const say = (line: string) => process.stdout.write(`${line}\n`);

const { defer, cleanUp, wasInterrupted } = benchCleanup(say);

/** What the database holds after a crawl: every item a document, every document extracted. */
async function storedIn(url: string): Promise<Stored> {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    const [row] = await sql<Stored[]>`
      select count(*)::int as documents,
             count(*) filter (where exists (select 1 from extractions e
               where e.document_id = d.id and e.content_hash = d.content_hash))::int as extracted,
             count(*) filter (where duplicate_of is not null)::int as duplicates,
             count(*) filter (where article_hash = content_hash and article_error is null)::int as articles,
             count(*) filter (where article_error is not null)::int as "articleErrors",
             (select count(*)::int from mentions) as mentions
      from documents d`;
    if (!row) throw new Error('no counts');
    return row;
  } finally {
    await sql.end();
  }
}

const problems: string[] = [];
function check(ok: boolean, what: string): void {
  if (!ok) {
    problems.push(what);
    say(`CHECK FAILED: ${what}`);
  }
}

function summaryOf(stdout: string): CrawlResult {
  const line = stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .at(-1);
  if (!line) throw new Error(`crawl printed no JSON summary:\n${stdout.slice(-2000)}`);
  return JSON.parse(line) as CrawlResult;
}

async function timedCrawl(web: FixtureWeb, flags: string[], cli: CliTarget): Promise<Pass> {
  web.resetTraffic();
  const others = otherCpu();
  const out = await runCli(cli, ['crawl', '--once', '--json', ...flags], CRAWL_TIMEOUT_MS);
  const otherCpuS = otherCpuSince(others);
  return { ms: out.ms, otherCpuS, traffic: web.traffic(), summary: summaryOf(out.stdout) };
}

async function framelineRow(
  web: FixtureWeb,
  opts: {
    label: string;
    articles: 'never' | 'auto';
    opml: string;
    home: string;
    secondPass: boolean;
    idle: boolean;
  },
): Promise<Row> {
  const db = await createDatabase();
  const dropDb = defer(db.drop);
  const prefix = randomName('flbench');
  const dropKeys = defer(() => deleteKeys(prefix));
  const env = {
    ...SETTINGS,
    FRAMELINE_HOME: opts.home,
    DATABASE_URL: db.url,
    REDIS_URL,
    FRAMELINE_QUEUE_PREFIX: prefix,
  };
  const cli = { root: ROOT, env };
  try {
    const mode = opts.articles === 'never' ? ['--articles', 'never'] : [];
    await runCli(cli, ['sources', 'import', opts.opml, ...mode], 10 * 60_000);
    const worker = startCli(cli, ['worker']);
    const stopWorker = defer(() => stopCli(worker));
    try {
      await waitForWorkers(prefix, worker);
      const pid = worker.pid ?? 0;
      const cpuBefore = cpuSeconds(pid);
      const ticksBefore = machineTicks();
      const pass = await timedCrawl(web, [], cli);
      const ticks = machineTicks();
      const workerCpuS = cpuSeconds(pid) - cpuBefore;
      const peakRssMB = peakRssMiB(pid) * MIB_TO_MB;
      const stored = await storedIn(db.url);
      const expected = FEEDS * ITEMS;
      const ok = pass.summary.sources.filter((s) => s.ok).length;
      check(ok === FEEDS, `${opts.label}: ${ok} of ${FEEDS} sources ok`);
      check(
        stored.documents === expected,
        `${opts.label}: ${stored.documents} documents, expected ${expected}`,
      );
      check(
        stored.extracted === stored.documents,
        `${opts.label}: ${stored.extracted} of ${stored.documents} documents extracted`,
      );
      check(stored.duplicates === 0, `${opts.label}: ${stored.duplicates} documents taken for duplicates`);
      check(pass.summary.failures.length === 0, `${opts.label}: ${pass.summary.failures.length} jobs failed`);
      if (opts.articles === 'auto') {
        check(
          stored.articles === expected,
          `${opts.label}: ${stored.articles} articles stored, expected ${expected}`,
        );
      }
      const second = opts.secondPass ? await timedCrawl(web, ['--force'], cli) : null;
      let idleMs: number | null = null;
      if (opts.idle) {
        const idle = await timedCrawl(web, [], cli);
        const sent = Object.values(idle.traffic.requests).reduce((a, b) => a + b, 0);
        check(sent === 0, `${opts.label}: a crawl with nothing due made ${sent} requests`);
        idleMs = idle.ms;
      }
      const workerWarnings = worker.output.stderr.split('\n').filter((l) => l.startsWith('{'));
      return {
        ...pass,
        peakRssMB,
        workerCpuS,
        machineBusy: (ticks.busy - ticksBefore.busy) / (ticks.total - ticksBefore.total),
        stored,
        second,
        idleMs,
        workerWarnings,
      };
    } finally {
      await stopWorker();
    }
  } finally {
    await dropKeys();
    await dropDb();
  }
}

async function baselineRow(web: FixtureWeb, urls: readonly string[]): Promise<BaselineRun> {
  const db = await createDatabase();
  const dropDb = defer(db.drop);
  try {
    web.resetTraffic();
    const result = await runBaseline(urls, db.url, CONCURRENCY);
    if (urls.length === FEEDS) {
      check(result.items === FEEDS * ITEMS, `baseline: ${result.items} rows, expected ${FEEDS * ITEMS}`);
    }
    return result;
  } finally {
    await dropDb();
  }
}

function opmlOf(urls: readonly string[]): string {
  const outlines = urls.map(
    (u, f) => `    <outline type="rss" text="ML Wire ${f}" title="ML Wire ${f}" xmlUrl="${u}"/>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">\n  <head><title>pipeline bench</title></head>\n  <body>\n${outlines.join('\n')}\n  </body>\n</opml>\n`;
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
  const home = mkdtempSync(join(tmpdir(), 'frameline-bench-pipeline-'));
  defer(async () => rmSync(home, { recursive: true, force: true }));
  const web = await startFixtureWeb({ feeds: FEEDS, items: ITEMS, latencyMs: LATENCY_MS });
  defer(() => web.close());
  const opml = join(home, 'sources.opml');
  writeFileSync(opml, opmlOf(web.feedUrls));

  say(`pipeline bench: ${FEEDS} feeds × ${ITEMS} items, ${RUNS} runs, fixture web at ${web.origin}`);
  await baselineRow(web, web.feedUrls.slice(0, 50)); // warm-up: JIT, connection code, not recorded
  const baseline: BaselineRun[] = [];
  const off: Row[] = [];
  const on: Row[] = [];
  let baselineTraffic: Traffic | null = null;
  for (let run = 0; run < RUNS; run++) {
    baseline.push(await baselineRow(web, web.feedUrls));
    baselineTraffic = web.traffic();
    say(`run ${run + 1}: baseline ${s(baseline.at(-1)?.ms ?? 0)}`);
    const a = await framelineRow(web, {
      label: `run ${run + 1} articles off`,
      articles: 'never',
      opml,
      home,
      secondPass: true,
      idle: run === 0,
    });
    off.push(a);
    say(
      `run ${run + 1}: articles off ${s(a.ms)}, worker peak RSS ${a.peakRssMB.toFixed(0)} MB, worker CPU ${a.workerCpuS.toFixed(1)} s, ` +
        `machine busy ${(a.machineBusy * 100).toFixed(0)}% (other work ${a.otherCpuS.toFixed(1)} s CPU), ${a.stored.documents} documents (${a.stored.extracted} extracted)` +
        `; second pass ${s(a.second?.ms ?? 0)}: ${a.second?.traffic.bodyBytes.feed ?? '?'} feed body bytes, ${a.second?.traffic.notModified ?? '?'} × 304` +
        (a.idleMs === null ? '' : `; nothing due ${s(a.idleMs)}`),
    );
    const b = await framelineRow(web, {
      label: `run ${run + 1} articles on`,
      articles: 'auto',
      opml,
      home,
      secondPass: false,
      idle: false,
    });
    on.push(b);
    say(
      `run ${run + 1}: articles on ${s(b.ms)}, ${b.traffic.requests.article} pages (${(b.traffic.requests.article / (b.ms / 1000)).toFixed(0)}/s), ` +
        `worker peak RSS ${b.peakRssMB.toFixed(0)} MB, worker CPU ${b.workerCpuS.toFixed(1)} s, machine busy ${(b.machineBusy * 100).toFixed(0)}% (other work ${b.otherCpuS.toFixed(1)} s CPU), ` +
        `${b.stored.documents} documents (${b.stored.extracted} extracted, ${b.stored.articles} with their article)`,
    );
    for (const w of [...a.workerWarnings, ...b.workerWarnings].slice(0, 5))
      say(`  worker log: ${w.slice(0, 300)}`);
  }
  const rebuilt = buildState(ROOT).builtAt.getTime() !== build.builtAt.getTime();
  check(
    !rebuilt,
    'packages/*/dist was rebuilt while the bench ran: the runs may have measured different code',
  );
  const loadEnd = loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
  const setup = {
    feeds: FEEDS,
    items: ITEMS,
    runs: RUNS,
    latencyMs: LATENCY_MS,
    concurrency: CONCURRENCY,
    settings: SETTINGS,
    targets: { ratio: TARGET_RATIO, rssMB: TARGET_RSS_MB },
    root: ROOT,
    separateCheckout: ROOT !== resolve(REPO_ROOT),
  };
  const results = { baseline, baselineTraffic, off, on, started, loadStart, loadEnd, build, problems };
  const section = report(setup, results);
  say('');
  say(section);
  writeBenchSection('pipeline', section);
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
