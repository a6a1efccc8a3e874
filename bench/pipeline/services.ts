/**
 * What the pipeline benchmark runs against and how it watches it: throwaway Postgres databases, a throwaway
 * Redis key prefix, the compiled `frameline` CLI as child processes, and /proc readings of them.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import postgres from 'postgres';

/** The server the throwaway databases are made on; BENCH_DATABASE_URL points the bench at another one. */
export const ADMIN_DATABASE_URL =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = 'redis://127.0.0.1:6379';
/** BENCH_WORKER_PROFILE=DIR: each `frameline worker` writes a V8 CPU profile there when it exits. */
const WORKER_PROFILE_DIR = process.env.BENCH_WORKER_PROFILE ?? null;
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The compiled CLI's entry point, relative to a checkout. */
export const CLI_MAIN = 'packages/cli/dist/main.js';
/** Node's arguments for the compiled CLI, as `pnpm frameline` (package.json) runs it. */
export const CLI = ['--conditions=frameline-dist', '--max-old-space-size=512', CLI_MAIN];

/** Which checkout's compiled CLI to run, and with which settings (nothing else of this process's environment). */
export interface CliTarget {
  root: string;
  env: Record<string, string>;
}
const STAGES = ['fetch', 'parse', 'article', 'extract'];

export const randomName = (prefix: string) => `${prefix}${randomBytes(5).toString('hex')}`;

function urlFor(database: string): string {
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A new empty database; `drop` removes it even while something is still connected. */
export async function createDatabase(): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = randomName('frameline_bench_');
  const admin = postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => undefined });
  try {
    await admin`create database ${admin(name)}`;
  } finally {
    await admin.end();
  }
  return {
    name,
    url: urlFor(name),
    drop: async () => {
      const sql = postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => undefined });
      try {
        await sql`drop database if exists ${sql(name)} with (force)`;
      } finally {
        await sql.end();
      }
    },
  };
}

/** Delete every key under `prefix:` (the queues, the crawl counters and the host limiter). */
export async function deleteKeys(prefix: string): Promise<number> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

/**
 * Wait until a BullMQ worker listens on every stage under `prefix` (BullMQ names each worker connection
 * `<prefix>:<base64 queue>:w:<name>`), so a timed crawl does not include the worker's own start-up.
 */
export async function waitForWorkers(prefix: string, child: CliProcess, timeoutMs = 60_000): Promise<void> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const wanted = STAGES.map((q) => `${prefix}:${Buffer.from(q).toString('base64')}:w:`);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const list = String(await redis.client('LIST'));
      const names = [...list.matchAll(/ name=(\S*)/g)].map((m) => m[1] ?? '');
      if (wanted.every((w) => names.some((n) => n.startsWith(w)))) return;
      if (child.output.code !== null || child.output.signal !== null) {
        throw new Error(`the worker exited (${child.output.code}); stderr:\n${child.output.stderr}`);
      }
      if (Date.now() > deadline) throw new Error(`no worker listened within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    redis.disconnect();
  }
}

export interface CliOutput {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit. */
  ms: number;
}
export type CliProcess = ChildProcess & { output: CliOutput; done: Promise<CliOutput> };

const live = new Set<CliProcess>();

/** Start the compiled `frameline <args>` of `target.root` with only `target.env` (plus PATH and HOME). */
export function startCli(target: CliTarget, args: string[]): CliProcess {
  const started = performance.now();
  const profile =
    WORKER_PROFILE_DIR && args[0] === 'worker' ? ['--cpu-prof', `--cpu-prof-dir=${WORKER_PROFILE_DIR}`] : [];
  const child = spawn(process.execPath, [...profile, ...CLI, ...args], {
    cwd: target.root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...target.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: CliOutput = { code: null, signal: null, stdout: '', stderr: '', ms: 0 };
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (output.stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (output.stderr += d));
  const done = new Promise<CliOutput>((resolve) =>
    child.on('close', (code, signal) => {
      output.ms = performance.now() - started;
      output.code = code;
      output.signal = signal;
      resolve(output);
    }),
  );
  const cli = Object.assign(child, { output, done });
  live.add(cli);
  void done.then(() => live.delete(cli));
  return cli;
}

/** Stop every CLI process this bench started that is still running (on failure or Ctrl-C). */
export async function stopAllCli(): Promise<void> {
  await Promise.all([...live].map((child) => stopCli(child, 5_000)));
}

/** Run `frameline <args>` to its end; fails with its stderr unless it exits 0 within `timeoutMs`. */
export async function runCli(target: CliTarget, args: string[], timeoutMs: number): Promise<CliOutput> {
  const child = startCli(target, args);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const out = await child.done.finally(() => clearTimeout(timer));
  if (out.code !== 0) {
    throw new Error(
      `frameline ${args.join(' ')} exited ${out.code ?? out.signal}; stderr:\n${out.stderr.slice(-4000)}`,
    );
  }
  return out;
}

/** Stop a child: SIGTERM (a graceful drain), then SIGKILL after `graceMs`. */
export async function stopCli(child: CliProcess, graceMs = 15_000): Promise<void> {
  if (child.output.code !== null || child.output.signal !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await child.done.finally(() => clearTimeout(timer));
}

/** USER_HZ, the unit of /proc's CPU times (`getconf CLK_TCK`): 100 on Linux. */
const CLOCK_TICKS = 100;

/** Peak resident set (VmHWM) of a live process, in MiB. */
export function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1]);
  return kb / 1024;
}

/** CPU seconds (user + system) a live process has used so far. */
export function cpuSeconds(pid: number): number {
  // Fields after the parenthesised command name: state is field 3, utime 14 and stime 15.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** Busy and total jiffies of the whole machine, to tell how loaded it was over a span. */
export function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const n = line.trim().split(/\s+/).slice(1).map(Number);
  const total = n.reduce((a, b) => a + b, 0);
  const idle = (n[3] ?? 0) + (n[4] ?? 0);
  return { busy: total - idle, total };
}

/**
 * CPU seconds so far of every live process that is not this bench, its children, Postgres or Redis: other
 * work sharing the machine (a test suite, a build). A snapshot before a span, compared by `otherCpuSince`
 * after it, gives at least what other work took meanwhile: a process that ended within the span is missed
 * (reaped children's time, cutime, is left out, since it may have been spent before the span).
 */
export function otherCpu(): Map<number, number> {
  const found = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid || pid === process.ppid) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[1]) === process.pid || comm === 'postgres' || comm.startsWith('redis-server')) continue;
    found.set(pid, (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS);
  }
  return found;
}

export function otherCpuSince(before: Map<number, number>): number {
  let seconds = 0;
  for (const [pid, cpu] of otherCpu()) seconds += cpu - (before.get(pid) ?? 0);
  return seconds;
}

/** Bytes per MiB over bytes per MB: /proc reports KiB-based sizes, the reports speak MB (10^6 bytes). */
export const MIB_TO_MB = 1_048_576 / 1_000_000;

/**
 * A bench's cleanups: each `defer`red one runs once, in reverse order, when its step calls the function
 * `defer` returned, or at `cleanUp` (on failure), or on Ctrl-C (which exits 130). Running children are stopped
 * first: a process still running would otherwise hold a database being dropped.
 */
export function benchCleanup(say: (line: string) => void) {
  const cleanups = new Set<() => Promise<unknown>>();
  let cleaning: Promise<void> | null = null;
  let interrupted = false;
  const cleanUp = (): Promise<void> => {
    // Runs once: a Ctrl-C during a failure's cleanup (or the reverse) waits for the same cleanup.
    cleaning ??= (async () => {
      await stopAllCli();
      for (const fn of [...cleanups].reverse()) {
        cleanups.delete(fn);
        await fn().catch((err: unknown) => process.stderr.write(`cleanup failed: ${String(err)}\n`));
      }
    })();
    return cleaning;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      interrupted = true;
      say(`${signal}: cleaning up`);
      void cleanUp().finally(() => process.exit(130));
    });
  }
  return {
    defer(fn: () => Promise<unknown>): () => Promise<void> {
      cleanups.add(fn);
      return async () => {
        if (cleanups.delete(fn)) await fn();
      };
    },
    cleanUp,
    wasInterrupted: () => interrupted,
  };
}
