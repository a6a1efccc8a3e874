import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { Config, Logger } from '@frameline/core';
import postgres from 'postgres';

/** The one SQL handle every package uses, whether the database is a Postgres server or embedded PGlite. */
export type Sql = postgres.Sql;
/** A connection or a transaction: what a query that may run inside either takes. */
export type Queryable = postgres.Sql | postgres.TransactionSql;

/**
 * Postgres `bigint` (identity ids, counts) read as JS numbers rather than strings: ids stay far below 2^53,
 * and every type in the code says `number`.
 */
export const PG_TYPES: Record<string, postgres.PostgresType> = {
  bigint: {
    to: 20,
    from: [20],
    serialize: (x: number | bigint | string) => String(x),
    parse: (x: string) => Number(x),
  },
};

/** Postgres type oids for the parameter arrays of batch statements (`unnest` of one array per column). */
export const OID = { text: 25, int4: 23, int8: 20 } as const;

export interface Store {
  sql: Sql;
  mode: 'postgres' | 'pglite';
  /** Human-readable location: the server URL without credentials, or the PGlite directory. */
  where: string;
  close(timeoutSeconds?: number): Promise<void>;
}

/**
 * Open the store: Postgres at `config.databaseUrl`, or embedded PGlite under `config.home`.
 *
 * PGlite is served on a loopback socket through pglite-socket so that the same `postgres` driver (and the same
 * SQL) serves both. PGlite is single-connection, so the driver uses one connection and a lock file keeps a
 * second process from opening the same directory.
 */
export async function openStore(config: Pick<Config, 'databaseUrl' | 'home'>, log: Logger): Promise<Store> {
  const onnotice = (n: postgres.Notice) => log.debug({ notice: n.message }, 'postgres notice');
  if (config.databaseUrl) {
    const sql = postgres(config.databaseUrl, {
      max: 10,
      onnotice,
      types: PG_TYPES,
      connection: { application_name: 'frameline' },
    });
    const url = new URL(config.databaseUrl);
    return {
      sql,
      mode: 'postgres',
      where: `${url.protocol}//${url.host}${url.pathname}`,
      close: (timeout = 5) => sql.end({ timeout }),
    };
  }
  const dataDir = join(config.home, 'pgdata');
  await mkdir(config.home, { recursive: true });
  const releaseLock = await lockHome(config.home);
  try {
    const db = await PGlite.create(dataDir);
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0 });
    await server.start();
    const port = boundPort(server);
    const sql = postgres({
      host: '127.0.0.1',
      port,
      user: 'postgres',
      database: 'postgres',
      max: 1,
      onnotice,
      types: PG_TYPES,
    });
    return {
      sql,
      mode: 'pglite',
      where: dataDir,
      close: async (timeout = 5) => {
        await sql.end({ timeout });
        await server.stop();
        await db.close();
        await releaseLock();
      },
    };
  } catch (err) {
    await releaseLock();
    throw err;
  }
}

function boundPort(server: PGLiteSocketServer): number {
  // pglite-socket keeps its net.Server private; the listening address is the only way to learn port 0's choice.
  const inner = (server as unknown as { server?: { address(): unknown } }).server;
  const address = inner?.address();
  if (address && typeof address === 'object' && 'port' in address && typeof address.port === 'number') {
    return address.port;
  }
  throw new Error('pglite-socket did not report the port it listens on');
}

/** PGlite must be opened by one process at a time: a pid lock file in FRAMELINE_HOME enforces that. */
async function lockHome(home: string): Promise<() => Promise<void>> {
  const path = join(home, 'pglite.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new Error(
          `${home} is in use by process ${pid}: the embedded database (PGlite) serves one process at a time. ` +
            'Stop that process, or set DATABASE_URL and REDIS_URL to run several workers.',
        );
      }
      await rm(path, { force: true }); // stale lock from a process that died
    }
  }
  throw new Error(`could not lock ${path}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
