/**
 * What the pipeline bench's services do not watch and a re-extraction needs: every one of several workers
 * listening, and the CPU time Postgres spent, from /proc.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { type CliProcess, REDIS_URL, waitForWorkers } from '../pipeline/services.js';

/** USER_HZ, the unit of /proc's CPU times (`getconf CLK_TCK`): 100 on Linux. */
const CLOCK_TICKS = 100;

/**
 * Wait until every worker listens on the extract queue under `prefix`. `waitForWorkers` returns as soon as
 * one worker does; each worker's connections carry its process id (BullMQ names them
 * `<prefix>:<base64 queue>:w:frameline-<pid>`), so the others are waited for by name.
 */
export async function waitForAllWorkers(
  prefix: string,
  workers: readonly CliProcess[],
  timeoutMs = 60_000,
): Promise<void> {
  for (const w of workers) await waitForWorkers(prefix, w, timeoutMs);
  const queue = `${prefix}:${Buffer.from('extract').toString('base64')}:w:frameline-`;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const list = String(await redis.client('LIST'));
      const names = new Set([...list.matchAll(/ name=(\S*)/g)].map((m) => m[1] ?? ''));
      const waiting = workers.filter((w) => !names.has(`${queue}${w.pid}`));
      if (waiting.length === 0) return;
      if (Date.now() > deadline) {
        throw new Error(
          `workers ${waiting.map((w) => w.pid).join(', ')} did not listen within ${timeoutMs} ms`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    redis.disconnect();
  }
}

/** The postmaster of the server at `url`: the parent of a backend's process (null when it is not visible here). */
export async function postmasterOf(url: string): Promise<number | null> {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    const [row] = await sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
    return row ? (statOf(row.pid)?.ppid ?? null) : null;
  } finally {
    await sql.end();
  }
}

/** A process's parent and CPU ticks from /proc/<pid>/stat, or null when it is gone or not visible. */
function statOf(pid: number): { ppid: number; ticks: number; childTicks: number } | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // Fields after the parenthesised command name: ppid is field 4, utime 14, stime 15, cutime 16, cstime 17.
  const f = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  return { ppid: f[1] ?? 0, ticks: (f[11] ?? 0) + (f[12] ?? 0), childTicks: (f[13] ?? 0) + (f[14] ?? 0) };
}

/**
 * CPU seconds (user + system) a Postgres server has used so far: its postmaster and live backends, plus the
 * backends that have exited (the postmaster reaps them, so their time is in its cutime and cstime).
 */
export function postgresCpuSeconds(postmaster: number): number {
  const own = statOf(postmaster);
  if (own === null) throw new Error(`the postmaster ${postmaster} is gone`);
  let ticks = own.ticks + own.childTicks;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const child = statOf(Number(entry));
    if (child?.ppid === postmaster) ticks += child.ticks;
  }
  return ticks / CLOCK_TICKS;
}

/** CPU seconds of this process's children that have exited and been waited for (cutime + cstime). */
export function exitedChildrenCpuSeconds(): number {
  const own = statOf(process.pid);
  if (own === null) throw new Error('cannot read /proc/self/stat');
  return own.childTicks / CLOCK_TICKS;
}

/**
 * Watch a re-extraction's progress from the database: `stop()` gives the milliseconds from the start until the
 * rule set had an extraction of `total` documents (null if it never had), so that a pass's wall time splits
 * into extracting and the command's comparison and activation after it. A count every `everyMs` costs Postgres
 * an index-only scan of the rule set's extractions.
 */
export function watchExtractions(
  url: string,
  opts: { version: string; total: number; everyMs: number },
): { stop(): Promise<number | null> } {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  const started = performance.now();
  let doneMs: number | null = null;
  let stopped = false;
  const loop = (async () => {
    while (!stopped && doneMs === null) {
      const [row] = await sql<{ n: number }[]>`
        select count(*)::int as n from extractions where rule_set = ${opts.version}`;
      if ((row?.n ?? 0) >= opts.total) doneMs = performance.now() - started;
      else await new Promise((resolve) => setTimeout(resolve, opts.everyMs));
    }
  })();
  void loop.catch(() => undefined); // (reported by stop(), which awaits it)
  // Once: the pass stops it on failure as well as after its end.
  let stopping: Promise<number | null> | null = null;
  return {
    stop() {
      stopping ??= (async () => {
        stopped = true;
        try {
          await loop;
        } finally {
          await sql.end({ timeout: 5 });
        }
        return doneMs;
      })();
      return stopping;
    },
  };
}
