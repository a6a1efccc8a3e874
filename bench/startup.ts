// Start-up of the `frameline` command: from the TypeScript sources through tsx (how it ran before the build)
// against the compiled JavaScript (`pnpm frameline`, the Docker image), for `--help` and for `timeline` on
// the embedded database (PGlite) after a demo crawl. Fresh processes, median of RUNS each, both in this run.
// Needs the build (`pnpm run build`, which `pnpm install` runs). Writes the `startup` section of BENCHMARKS.md.
// Run: npx tsx bench/startup.ts
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBenchSection } from '@frameline/testkit';

const RUNS = 7;
const root = fileURLToPath(new URL('..', import.meta.url));
const SOURCE = ['--import', 'tsx', join(root, 'packages/cli/src/main.ts')];
const BUILT = ['--conditions=frameline-dist', join(root, 'packages/cli/dist/main.js')];
const home = mkdtempSync(join(tmpdir(), 'frameline-startup-'));
const env = { PATH: process.env.PATH, HOME: process.env.HOME, FRAMELINE_HOME: home, LOG_LEVEL: 'warn' };

function run(entry: string[], args: string[]): number {
  const started = performance.now();
  execFileSync(process.execPath, [...entry, ...args], { cwd: root, env, stdio: 'ignore' });
  return performance.now() - started;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

try {
  run(BUILT, ['crawl', '--demo']);
  const rows: string[] = [];
  for (const [label, args] of [
    ['`--help`', ['--help']],
    ['`timeline --entity pytorch` (PGlite, after the demo crawl)', ['timeline', '--entity', 'pytorch']],
  ] as const) {
    const source: number[] = [];
    const built: number[] = [];
    run(SOURCE, [...args]); // warm the file cache
    for (let i = 0; i < RUNS; i++) {
      source.push(run(SOURCE, [...args]));
      built.push(run(BUILT, [...args]));
    }
    const s = median(source);
    const b = median(built);
    rows.push(
      `| ${label} | ${(s / 1000).toFixed(2)} s | ${(b / 1000).toFixed(2)} s | ${(s / b).toFixed(1)}× |`,
    );
    process.stdout.write(`${rows.at(-1)}\n`);
  }
  const section = [
    '## startup: the `frameline` command, from sources (tsx) and compiled',
    '',
    `Machine: ${cpus().length} cores (${cpus()[0]?.model.trim() ?? '?'}), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}. Wall time of a fresh process, median of ${RUNS} runs each, the two interleaved in one run.`,
    'Before: `node --import tsx packages/cli/src/main.ts` (how `pnpm frameline` ran until the build; `pnpm dev` now).',
    'After: `node --conditions=frameline-dist packages/cli/dist/main.js` (`pnpm frameline`, the Docker image).',
    '',
    '| command | from sources (tsx) | compiled | speed-up |',
    '|---|---|---|---|',
    ...rows,
    '',
    'Reproduce: `npx tsx bench/startup.ts` (after `pnpm run build`).',
  ].join('\n');
  writeBenchSection('startup', section);
} finally {
  rmSync(home, { recursive: true, force: true });
}
