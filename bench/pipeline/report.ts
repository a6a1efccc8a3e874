/**
 * What the pipeline benchmark measured, and the Markdown section it writes: the rows, the targets beside
 * them, and enough about the machine and the build to judge the figures.
 */
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { CrawlResult } from '@frameline/pipeline';
import type { Traffic } from './fixture-web.js';

/** What the database holds after a crawl. */
export interface Stored {
  documents: number;
  /** Documents with an extraction of their current content. */
  extracted: number;
  duplicates: number;
  /** Documents with the article of their current content. */
  articles: number;
  articleErrors: number;
  mentions: number;
}

/** One timed `crawl --once`. */
export interface Pass {
  ms: number;
  /** CPU seconds other work on the machine took during the pass (see otherCpu). */
  otherCpuS: number;
  traffic: Traffic;
  summary: CrawlResult;
}

/** One frameline row of one run: its crawl, the worker that did the work, and what was stored. */
export interface Row extends Pass {
  peakRssMB: number;
  workerCpuS: number;
  /** Share of the machine's CPU time busy during the crawl (all processes, not only ours). */
  machineBusy: number;
  stored: Stored;
  /** The forced second pass over the same sources (articles-off row). */
  second: Pass | null;
  /** A crawl with nothing due: the command's fixed cost, start-up to exit. */
  idleMs: number | null;
  /** The worker's log lines (pino JSON) at LOG_LEVEL=warn. */
  workerWarnings: string[];
}

export interface BaselineRun {
  ms: number;
  items: number;
}

/** How the bench was set up: sizes, settings, targets, and which checkout's build it ran. */
export interface Setup {
  feeds: number;
  items: number;
  runs: number;
  latencyMs: number;
  concurrency: number;
  settings: Record<string, string>;
  targets: { ratio: number; rssMB: number };
  root: string;
  /** True when `root` is not the checkout this script is in. */
  separateCheckout: boolean;
}

export interface Results {
  baseline: BaselineRun[];
  baselineTraffic: Traffic | null;
  off: Row[];
  on: Row[];
  started: Date;
  loadStart: string;
  loadEnd: string;
  build: BuildState;
  problems: string[];
}

export interface BuildState {
  /** Newest file of the compiled packages. */
  builtAt: Date;
  /** Packages whose sources changed after their build. */
  staleIn: string[];
}

export function buildState(root: string): BuildState {
  let builtAt = 0;
  const staleIn: string[] = [];
  for (const pkg of readdirSync(join(root, 'packages'))) {
    const dist = join(root, 'packages', pkg, 'dist');
    const src = join(root, 'packages', pkg, 'src');
    if (!existsSync(dist) || !existsSync(src)) continue;
    const times = (dir: string, test: (f: string) => boolean) =>
      readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter(test)
        .map((f) => statSync(join(dir, f)).mtimeMs);
    const built = times(dist, (f) => f.endsWith('.js'));
    const edited = times(src, (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    builtAt = Math.max(builtAt, ...built);
    if (Math.max(...edited) > Math.min(...built)) staleIn.push(pkg);
  }
  return { builtAt: new Date(builtAt), staleIn };
}

/** A git command's output in `root`, trimmed; empty when git fails (not a checkout, say). */
export function git(root: string, args: string): string {
  try {
    return execSync(`git ${args}`, { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return '';
  }
}

export const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const range = (xs: number[]) => `${seconds(Math.min(...xs))}–${seconds(Math.max(...xs))}`;
const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;
const met = (ok: boolean) => (ok ? '**met**' : '**not met**');

/** The worker's warnings and errors over all rows, by message: `3× extract: deadlock detected (job failed)`. */
function workerLog(rows: Row[]): string {
  const counts = new Map<string, number>();
  for (const line of rows.flatMap((x) => x.workerWarnings)) {
    let key = line.slice(0, 200);
    try {
      const entry = JSON.parse(line) as { stage?: string; err?: string; msg?: string };
      key = `${entry.stage ? `${entry.stage}: ` : ''}${entry.err ?? ''} (${entry.msg ?? ''})`;
    } catch {
      // not a pino line: kept as it is
    }
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, n]) => `${n}× ${key}`).join('; ');
}

/** The table's cells for a frameline row: peak RSS, worker CPU, machine load, documents. */
function rowCells(rows: Row[]): string {
  const rss = rows.map((x) => x.peakRssMB);
  return [
    `${median(rss).toFixed(0)} MB (max ${Math.max(...rss).toFixed(0)})`,
    `${median(rows.map((x) => x.workerCpuS)).toFixed(1)} s`,
    `${(median(rows.map((x) => x.machineBusy)) * 100).toFixed(0)}% (${median(rows.map((x) => x.otherCpuS)).toFixed(1)} s)`,
    rows.map((x) => `${x.stored.documents} / ${x.stored.extracted}`).join(', '),
  ].join(' | ');
}

/** Which code a bench measured: its commit, whether it had uncommitted changes, where it was, how stale. */
export function measured(setup: { root: string; separateCheckout: boolean }, build: BuildState) {
  return {
    commit: git(setup.root, 'rev-parse --short=12 HEAD') || 'an unknown commit',
    dirty: git(setup.root, 'status --porcelain -- packages') !== '',
    where: setup.separateCheckout
      ? ` (a separate checkout, \`--root ${setup.root}\`, so that work in progress in this tree is not measured)`
      : '',
    stale:
      build.staleIn.length > 0
        ? `; sources edited after that build in ${build.staleIn.join(', ')} were not measured`
        : '',
  };
}

/** A bench section's last lines: what was checked (or what failed), and how to reproduce it. */
export function closingLines(end: {
  problems: string[];
  checked: string;
  separateCheckout: boolean;
  command: string;
  commit: string;
}): string[] {
  return [
    end.problems.length > 0 ? `\n**Checks failed:** ${end.problems.join('; ')}.` : end.checked,
    '',
    end.separateCheckout
      ? `Reproduce: \`${end.command} --root <checkout>\`, the checkout built (\`pnpm install\` builds it; here a \`git worktree\` of \`${end.commit}\`).`
      : `Reproduce: \`pnpm build && ${end.command}\``,
  ];
}

export function report(setup: Setup, r: Results): string {
  const base = median(r.baseline.map((b) => b.ms));
  const offMs = median(r.off.map((x) => x.ms));
  const onMs = median(r.on.map((x) => x.ms));
  const ratioOff = offMs / base;
  const peakRss = Math.max(...[...r.off, ...r.on].map((x) => x.peakRssMB));
  const second = r.off.map((x) => x.second).filter((x): x is Pass => x !== null);
  const secondBodies = Math.max(...second.map((x) => x.traffic.bodyBytes.feed));
  const pages = median(r.on.map((x) => x.traffic.requests.article));
  const pagesPerS = median(r.on.map((x) => x.traffic.requests.article / (x.ms / 1000)));
  const idle = r.off.map((x) => x.idleMs).find((x) => x !== null) ?? null;
  const logged = workerLog([...r.off, ...r.on]);
  const feedBytes = r.baselineTraffic ? r.baselineTraffic.bodyBytes.feed / setup.feeds : 0;
  const { commit, dirty, where, stale } = measured(setup, r.build);
  const settings = Object.entries(setup.settings)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const command = `npx tsx bench/pipeline.ts --feeds ${setup.feeds} --items ${setup.items} --runs ${setup.runs}`;
  const lines = [
    '## pipeline: a crawl end to end (distributed mode) against a minimal crawler',
    '',
    `Machine: ${execSync('nproc').toString().trim()} cores (nproc; ${cpus()[0]?.model.trim() ?? '?'}), Node ${process.version}, ${r.started.toISOString().slice(0, 10)}; load average at the start ${r.loadStart}, at the end ${r.loadEnd}.`,
    `Postgres, Redis, the fixture web (this script's process), the worker and the crawl command share the machine; "machine busy" is the share of all CPU time in use during the crawl, by any process; "other work's CPU" is what processes other than these took meanwhile (another engineer's tests, say), at least.`,
    `frameline at \`${commit}\`${dirty ? ' with uncommitted changes in packages/' : ''}${where}, compiled (\`pnpm build\`, ${r.build.builtAt.toISOString().slice(0, 16)}Z) and run as \`pnpm frameline\` runs it${stale}.`,
    `Web: ${setup.feeds} feeds × ${setup.items} items (RSS 2.0, ${kb(feedBytes)} a feed; each item a guid, title, link to its own article page, pubDate and a one- or two-sentence ML-news description), every answer held back ${setup.latencyMs} ms, served from 127.0.0.1; feeds send ETag and Last-Modified and answer 304 to a matching conditional GET. Traffic is counted at the server.`,
    `frameline: a fresh database and queue prefix per row and run; \`sources import <opml>\` (\`--articles never\` for the first row), then ONE \`frameline worker\` started and listening on every stage before \`crawl --once --json\` is timed from launch to exit. Settings: ${settings}.`,
    `Baseline, in the same run: Node's fetch (undici, keep-alive) at concurrency ${setup.concurrency} + rss-parser 3.13 \`parseString\` + one multi-row \`insert ... on conflict do nothing\` per feed (postgres.js, 10 connections) into a fresh database; timed from the first request to the last insert (no process start-up). No politeness, robots.txt, SSRF guard, queue, conditional GET or tagging.`,
    `Median of ${setup.runs} runs (each run: baseline, articles off with its second pass, articles on); ratio = median / baseline median.`,
    '',
    '| row | wall time, median (min–max) | baseline median | frameline / baseline | target | worker peak RSS, median (max) | worker CPU | machine busy (other work’s CPU) | documents / extracted, per run |',
    '|---|---|---|---|---|---|---|---|---|',
    `| baseline: fetch + rss-parser + postgres.js upserts | ${seconds(base)} (${range(r.baseline.map((b) => b.ms))}) | | | | | | | ${r.baseline.map((b) => b.items).join(', ')} rows |`,
    `| A: articles off | ${seconds(offMs)} (${range(r.off.map((x) => x.ms))}) | ${seconds(base)} | **${ratioOff.toFixed(2)}×** | ≤ ${setup.targets.ratio}×: ${met(ratioOff <= setup.targets.ratio)} | ${rowCells(r.off)} |`,
    `| B: articles on (\`auto\`): ${pages} article pages, **${pagesPerS.toFixed(0)} pages/s** | ${seconds(onMs)} (${range(r.on.map((x) => x.ms))}) | ${seconds(base)} | ${(onMs / base).toFixed(2)}× | | ${rowCells(r.on)} |`,
    `| A's sources again, \`crawl --once --force\` (conditional GETs) | ${seconds(median(second.map((x) => x.ms)))} (${range(second.map((x) => x.ms))}) | | | no feed bodies: ${met(secondBodies === 0)} | | | | feed bodies sent: ${secondBodies} bytes; 304s: ${second.map((x) => x.traffic.notModified).join(', ')} of ${second.map((x) => x.traffic.requests.feed).join(', ')} feed requests |`,
    '',
    `Targets (from the issue): articles-off row ≤ ${setup.targets.ratio}× the baseline's wall time: ${ratioOff.toFixed(2)}×, ${met(ratioOff <= setup.targets.ratio)}; worker peak RSS ≤ ${setup.targets.rssMB} MB (VmHWM, MB = 10^6 bytes): ${peakRss.toFixed(0)} MB at most, ${met(peakRss <= setup.targets.rssMB)}; the second conditional pass transfers no feed bodies: ${secondBodies} bytes, ${met(secondBodies === 0)}.`,
    logged === '' ? null : `The worker logged (LOG_LEVEL=warn): ${logged}.`,
    idle === null
      ? null
      : `The fixed cost of the command: \`crawl --once --json\` with nothing due took ${seconds(idle)} (start-up, migrations check, rule set, Redis, summary, exit), part of every frameline row and not of the baseline's.`,
    ...closingLines({
      problems: r.problems,
      checked:
        'Checked after every crawl: every source ok, every item stored once as a document, every document extracted (`extractions.content_hash = documents.content_hash`), no duplicates, no failed jobs; row B: every document has its article.',
      separateCheckout: setup.separateCheckout,
      command,
      commit,
    }),
  ];
  return lines.filter((l) => l !== null).join('\n');
}
