import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../../packages/cli/src/main.ts', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Environment for a frameline child process: only what the test gives, plus PATH and HOME. */
export function cliEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LOG_LEVEL: 'warn',
    FRAMELINE_RETRY_BASE_MS: '100',
    // Every fixture feed is on 127.0.0.1: keep per-host politeness from serialising the tests.
    FRAMELINE_HOST_CONCURRENCY: '8',
    FRAMELINE_HOST_DELAY_MS: '10',
    ...env,
  };
}

/**
 * Start `frameline <args>` as a child process: one node process (tsx as an import hook, not the tsx binary,
 * which would put a second process in between), so a SIGKILL really kills the worker.
 */
export function startCli(
  args: string[],
  env: Record<string, string | undefined>,
  preloads: readonly string[] = [],
): ChildProcess & { output: CliResult; done: Promise<CliResult> } {
  const imports = preloads.flatMap((p) => ['--import', p]);
  const child = spawn(process.execPath, ['--import', 'tsx', ...imports, MAIN, ...args], {
    cwd: REPO_ROOT,
    env: cliEnv(env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output: CliResult = { code: null, signal: null, stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output.stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output.stderr += d));
  const done = new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) => {
      output.code = code;
      output.signal = signal;
      resolve(output);
    }),
  );
  return Object.assign(child, { output, done });
}

/** Run `frameline <args>` to completion, feeding `input` on stdin. */
export async function runCli(
  args: string[],
  env: Record<string, string | undefined>,
  input?: string,
): Promise<CliResult> {
  const child = startCli(args, env);
  child.stdin?.end(input ?? '');
  return child.done;
}

/** Parse the JSON lines a `--json` command printed, failing with its stderr when there are none. */
export function jsonLines<T = unknown>(result: CliResult): T[] {
  const lines = result.stdout.split('\n').filter((l) => l.trim().startsWith('{'));
  if (lines.length === 0) throw new Error(`no JSON output (exit ${result.code}); stderr:\n${result.stderr}`);
  return lines.map((l) => JSON.parse(l) as T);
}

/** Run `frameline crawl --once --json <flags>`, which must succeed, and return its summary. */
export async function crawlOnceJson<T extends { mode: string }>(
  env: Record<string, string | undefined>,
  flags: string[] = [],
): Promise<T> {
  const result = await runCli(['crawl', '--once', '--json', ...flags], env);
  if (result.code !== 0) throw new Error(`crawl exited ${result.code}; stderr:\n${result.stderr}`);
  const [summary] = jsonLines<T>(result);
  if (!summary) throw new Error(`crawl printed no summary; stderr:\n${result.stderr}`);
  return summary;
}

/**
 * A preload for the CLI child that lets it connect only to loopback addresses and logs every connection it
 * opens (or refuses) to `HOSTILE_NET_LOG`. It is the test's own safety net: should the SSRF guard ever let a
 * redirect to 169.254.169.254 through, the connection is refused here instead of leaving the machine, and the
 * log shows the attempt. Passed as a data: URL so it needs no file of its own.
 */
const LOOPBACK_ONLY = `
import net from 'node:net';
import { appendFileSync } from 'node:fs';
const log = process.env.HOSTILE_NET_LOG;
const loopback = (h) => h === 'localhost' || /^127\\./.test(h) || h === '::1' || h === '[::1]';
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  let host = null;
  if (first && typeof first === 'object') host = first.path ? null : String(first.host ?? 'localhost');
  else if (typeof first === 'number' || /^\\d+$/.test(String(first))) host = typeof args[1] === 'string' ? args[1] : 'localhost';
  if (host !== null && !loopback(host)) {
    if (log) appendFileSync(log, 'refused ' + host + '\\n');
    process.nextTick(() => this.destroy(new Error('test loopback guard: refused to connect to ' + host)));
    return this;
  }
  if (host !== null && log) appendFileSync(log, 'connect ' + host + '\\n');
  return connect.apply(this, args);
};
`;
const LOOPBACK_ONLY_URL = `data:text/javascript,${encodeURIComponent(LOOPBACK_ONLY)}`;
/** Run `frameline <args>` like runCli, with the loopback-only preload. */
export function runGuardedCli(args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  const child = startCli(args, env, [LOOPBACK_ONLY_URL]);
  child.stdin?.end('');
  return child.done;
}

/**
 * Wait until `check` holds, looking every 100 ms; fails naming `what` after `ms`, or at once when the given
 * process has exited meanwhile (with its stderr, which says why).
 */
export async function eventually(
  what: string,
  check: () => Promise<boolean>,
  opts: { ms?: number; process?: { output: CliResult } } = {},
): Promise<void> {
  const deadline = Date.now() + (opts.ms ?? 30_000);
  while (!(await check())) {
    const exited = opts.process && opts.process.output.code !== null;
    if (exited || Date.now() > deadline) {
      const stderr = opts.process ? `; stderr:\n${opts.process.output.stderr}` : '';
      throw new Error(`${exited ? 'the process exited' : 'timed out'} waiting for ${what}${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
