import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chown, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';

const run = promisify(execFile);

/**
 * Private Postgres and Redis servers for fault tests: they are stopped and restarted on purpose, so they run
 * on ports of their own and in temporary directories; the machine's shared servers are never touched.
 */

/** A free TCP port on 127.0.0.1 (free when asked: the server that takes it starts right after). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Where Debian keeps the server binaries (initdb and pg_ctl are not on PATH). */
async function postgresBin(): Promise<string> {
  const versions = (await readdir('/usr/lib/postgresql')).sort((a, b) => Number(b) - Number(a));
  if (!versions[0]) throw new Error('no PostgreSQL server installed under /usr/lib/postgresql');
  return join('/usr/lib/postgresql', versions[0], 'bin');
}

export interface PrivatePostgres {
  url: string;
  /** Stop the server (fast shutdown: clients are disconnected), as an outage. */
  stop(): Promise<void>;
  start(): Promise<void>;
  teardown(): Promise<void>;
}

/**
 * A throwaway Postgres cluster (initdb, trust auth, fsync off) on a free port. The server refuses to run as
 * root, so when the tests run as root its commands run as the `postgres` user.
 */
export async function privatePostgres(): Promise<PrivatePostgres> {
  const bin = await postgresBin();
  const dir = await mkdtemp(join(tmpdir(), 'frameline-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const pg = (cmd: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]) : run(join(bin, cmd), args);
  const data = join(dir, 'data');
  const port = await freePort();
  await pg('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  const start = async () => {
    await pg('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', 'start']);
  };
  const stop = async () => {
    await pg('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop,
    start,
    async teardown() {
      await stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface PrivateRedis {
  url: string;
  /** Kill the server with SIGKILL, as a crash; what it acknowledged is in its append-only file. */
  kill(): Promise<void>;
  start(): Promise<void>;
  teardown(): Promise<void>;
}

/**
 * A throwaway redis-server on a free port, with the append-only file synced on every write (as a production
 * Redis for BullMQ should be), so a crash and restart keeps the queues.
 */
export async function privateRedis(): Promise<PrivateRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'frameline-redis-'));
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let server: ChildProcess | null = null;
  const start = async () => {
    server = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: 'ignore' },
    );
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      for (let i = 0; ; i++) {
        try {
          await probe.connect();
          if ((await probe.ping()) === 'PONG') return;
        } catch (err) {
          if (i > 100) throw err;
          probe.disconnect();
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    } finally {
      probe.disconnect();
    }
  };
  const kill = async () => {
    const s = server;
    if (!s || s.exitCode !== null || s.signalCode !== null) return;
    const closed = new Promise((resolve) => s.once('close', resolve));
    s.kill('SIGKILL');
    await closed;
  };
  await start();
  return {
    url,
    kill,
    start,
    async teardown() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
