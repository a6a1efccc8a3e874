import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonLines, REPO_ROOT, runCli } from './helpers/cli.js';

// The compiled CLI, as `pnpm frameline` and the Docker image run it (`pnpm test` builds it first). The
// other tests run the TypeScript sources; this one checks that what ships runs.
const run = promisify(execFile);
const MAIN = join(REPO_ROOT, 'packages/cli/dist/main.js');
const home = mkdtempSync(join(tmpdir(), 'frameline-built-'));
const frameline = (...args: string[]) =>
  run(process.execPath, ['--conditions=frameline-dist', MAIN, ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, FRAMELINE_HOME: home, LOG_LEVEL: 'warn' },
  });

afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('the compiled frameline command', () => {
  it('exists for every package (run `pnpm run build`)', () => {
    for (const pkg of ['core', 'fetch', 'parse', 'article', 'tag', 'store', 'pipeline', 'cli'])
      expect(existsSync(join(REPO_ROOT, 'packages', pkg, 'dist')), pkg).toBe(true);
  });

  it('crawls the demo feeds into the embedded database and shows the timeline, from dist/ alone', async () => {
    const crawl = await frameline('crawl', '--demo', '--json');
    const summary = JSON.parse(crawl.stdout.trim().split('\n').at(-1) as string) as {
      sources: { ok: boolean }[];
    };
    expect(summary.sources.filter((s) => s.ok)).toHaveLength(3);
    const timeline = await frameline('timeline', '--entity', 'pytorch');
    expect(timeline.stdout).toMatch(/PyTorch 1\.0/);
  });

  it('gives a rule set the same version as the sources do (the tagger code version is computed at build)', async () => {
    const file = join(home, 'post.txt');
    writeFileSync(file, 'Facebook released PyTorch 1.0 at the PyTorch Developer Conference.');
    const built = JSON.parse((await frameline('extract', file, '--json')).stdout) as { ruleSet: string };
    const [source] = jsonLines<{ ruleSet: string }>(await runCli(['extract', file, '--json'], {}));
    expect(built.ruleSet).toMatch(/^[0-9a-f]{12}$/);
    expect(built.ruleSet).toBe(source?.ruleSet);
    // The build parsed the bundled rules once, for every fresh FRAMELINE_HOME to start from.
    expect(existsSync(join(REPO_ROOT, `packages/tag/dist/prebuilt/cache/rules-${built.ruleSet}.json`))).toBe(
      true,
    );
  });
});
