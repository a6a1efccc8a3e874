/**
 * Start-up benchmark: `loadRuleSet()` of the bundled rules, each run in a fresh Node process (as a worker or
 * a CLI command starts), against the code before the rules were split and parsed by `yaml` alone (a git
 * worktree of that commit, measured in the same run, the runs interleaved). Writes the `rules-load` section
 * of BENCHMARKS.md.
 *
 * Run: npx tsx bench/rules-load.ts [--runs 7] [--base <git ref>]
 * The base defaults to the parent of the commit that deleted `packages/tag/src/simple-yaml.ts` (HEAD while
 * that change is not committed); any commit whose `packages/tag/src/compile.ts` exports `loadRuleSet` will do.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeBenchSection } from '@frameline/testkit';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** What one child process reports. */
interface Run {
  importMs: number;
  loadMs: number;
  wallMs: number;
  version: string;
  entities: number;
}

// The child: import the rules loader of a checkout (the module that holds `loadRuleSet`, not the package's
// whole door, so that only what loading the rules needs is imported), load the bundled rules (with a home:
// cached), report timings.
const CHILD = `
const [root, home] = process.argv.slice(2);
const t0 = performance.now();
const { existsSync } = await import('node:fs');
const { pathToFileURL } = await import('node:url');
const split = root + '/packages/tag/src/load-rules.ts';
const loader = await import(pathToFileURL(existsSync(split) ? split : root + '/packages/tag/src/compile.ts').href);
const t1 = performance.now();
const rs = loader.loadRuleSet(undefined, home ? { home } : {});
const t2 = performance.now();
process.stdout.write(JSON.stringify({ importMs: t1 - t0, loadMs: t2 - t1, version: rs.version, entities: rs.entities.length }));
`;

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** The base commit checked out beside this one, using this checkout's installed packages. */
function baseWorktree(sha: string): string {
  const dir = join(tmpdir(), `frameline-rules-load-base-${sha.slice(0, 12)}`);
  if (existsSync(dir)) git('worktree', 'remove', '--force', dir);
  git('worktree', 'add', '--detach', dir, sha);
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  for (const pkg of readdirSync(join(dir, 'packages'))) {
    const modules = join(ROOT, 'packages', pkg, 'node_modules');
    if (existsSync(modules)) symlinkSync(modules, join(dir, 'packages', pkg, 'node_modules'));
  }
  return dir;
}

function runChild(script: string, root: string, home: string | null): Run {
  const started = performance.now();
  const child = spawnSync(process.execPath, ['--import', 'tsx', script, root, home ?? ''], {
    cwd: root,
    encoding: 'utf8',
  });
  const wallMs = performance.now() - started;
  if (child.status !== 0) throw new Error(`child failed in ${root}:\n${child.stderr}`);
  return { ...(JSON.parse(child.stdout) as Omit<Run, 'wallMs'>), wallMs };
}

function main(): void {
  const { values } = parseArgs({
    options: { runs: { type: 'string', default: '7' }, base: { type: 'string' } },
  });
  const runs = Math.max(5, Number(values.runs));
  const removal = git('log', '-1', '--format=%H', '--diff-filter=D', '--', 'packages/tag/src/simple-yaml.ts');
  const baseRef = values.base ?? (removal === '' ? 'HEAD' : `${removal}^`);
  const baseSha = git('rev-parse', '--verify', `${baseRef}^{commit}`);
  const loadBefore = loadavg()[0] ?? 0;

  const work = mkdtempSync(join(tmpdir(), 'frameline-rules-load-'));
  const script = join(work, 'child.mts');
  writeFileSync(script, CHILD);
  const base = baseWorktree(baseSha);
  try {
    // Warm cache: one home filled by an untimed load. Cold cache: a new, empty home each run.
    const warmHome = join(work, 'warm-home');
    runChild(script, ROOT, warmHome);
    const cases = {
      base: [] as Run[],
      cold: [] as Run[],
      warm: [] as Run[],
      none: [] as Run[],
    };
    const order = Object.keys(cases) as (keyof typeof cases)[];
    for (let r = 0; r < runs; r++) {
      // Each round in another order, so a slow spell of the machine does not fall on one case only.
      for (let k = 0; k < order.length; k++) {
        const which = order[(k + r) % order.length] as keyof typeof cases;
        const coldHome = join(work, `cold-${r}`);
        if (which === 'cold') mkdirSync(coldHome);
        const run =
          which === 'base'
            ? runChild(script, base, null)
            : runChild(script, ROOT, which === 'cold' ? coldHome : which === 'warm' ? warmHome : null);
        cases[which].push(run);
      }
    }
    const versions = new Set([...cases.cold, ...cases.warm, ...cases.none].map((r) => r.version));
    const counts = new Set(Object.values(cases).flatMap((rs) => rs.map((r) => r.entities)));
    if (versions.size !== 1 || counts.size !== 1)
      throw new Error(`runs disagree: versions ${[...versions]}, entity counts ${[...counts]}`);

    const fmt = (x: number) => x.toFixed(0);
    const row = (label: string, rs: Run[]) => {
      const loads = rs.map((r) => r.loadMs);
      return `| ${label} | **${fmt(median(loads))}** | ${fmt(Math.min(...loads))}–${fmt(Math.max(...loads))} | ${fmt(median(rs.map((r) => r.importMs)))} | ${fmt(median(rs.map((r) => r.wallMs)))} |`;
    };
    const baseMs = median(cases.base.map((r) => r.loadMs));
    const ratio = (rs: Run[]) => (median(rs.map((r) => r.loadMs)) / baseMs).toFixed(2);
    const section = [
      '## rules-load',
      '',
      `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; load average ${loadBefore.toFixed(1)} at the start (other jobs shared the machine). Each row: median of ${runs} runs, each in a fresh Node process (\`node --import tsx\`), the cases interleaved.`,
      `Rule set: the bundled default, ${[...counts][0]} entities. Baseline: commit \`${baseSha.slice(0, 12)}\` (one 11,000-line YAML file, read by the hand-written subset reader), checked out in a git worktree and measured in the same run.`,
      '',
      '| case | `loadRuleSet()` median ms | min–max ms | importing the rules loader, median ms | whole process, median ms |',
      '|---|---|---|---|---|',
      row('baseline: before the split (subset YAML reader)', cases.base),
      row(
        `this code, cold cache (\`yaml\`, then the cache written): ${ratio(cases.cold)}× the baseline`,
        cases.cold,
      ),
      row(
        `this code, warm cache (\`<FRAMELINE_HOME>/cache/rules-<version>.json\`): ${ratio(cases.warm)}× the baseline`,
        cases.warm,
      ),
      row(
        `this code, no home given (no cache: tests, benches): ${ratio(cases.none)}× the baseline`,
        cases.none,
      ),
      '',
      'A cold cache is paid once per rule-set version (new rules or new tagger code); after that each process starts warm. What is left of a warm load is building the matchers (the entity automaton most).',
      '',
      'Reproduce: `npx tsx bench/rules-load.ts`',
    ].join('\n');
    process.stdout.write(`${section}\n`);
    writeBenchSection('rules-load', section);
  } finally {
    git('worktree', 'remove', '--force', base);
    rmSync(work, { recursive: true, force: true });
  }
}

main();
