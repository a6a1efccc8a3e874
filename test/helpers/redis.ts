import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createTestDatabase, type TestDatabase } from './db.js';
import { TEST_REDIS_URL } from './env.js';

/** A random BullMQ prefix for one test, and a cleanup that deletes every key under it. */
export function randomPrefix(): string {
  return `fltest${randomBytes(5).toString('hex')}`;
}

export async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** What a distributed test runs against: a database and a queue prefix of its own. */
export interface Distributed {
  db: TestDatabase;
  prefix: string;
  /** The environment that points a frameline process at both (fixture feeds on 127.0.0.1 allowed). */
  env: Record<string, string>;
  /** Stop the given processes (still running ones get `signal`), drop the database and the queue keys. */
  teardown(processes: readonly ChildProcess[], signal?: NodeJS.Signals): Promise<void>;
}

/** A fresh database and queue prefix for a test of the distributed mode, with `extra` settings. */
export async function distributed(extra: Record<string, string> = {}): Promise<Distributed> {
  const db = await createTestDatabase();
  const prefix = randomPrefix();
  const env = {
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    FRAMELINE_QUEUE_PREFIX: prefix,
    FRAMELINE_ALLOW_HOSTS: '127.0.0.1',
    ...extra,
  };
  return {
    db,
    prefix,
    env,
    async teardown(processes, signal = 'SIGKILL') {
      await Promise.all(
        processes.map(async (p) => {
          if (p.exitCode !== null || p.signalCode !== null) return;
          const closed = new Promise((resolve) => p.once('close', resolve));
          p.kill(signal);
          await closed;
        }),
      );
      await db.drop();
      await deleteKeys(prefix);
    },
  };
}
