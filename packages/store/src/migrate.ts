import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Logger } from '@frameline/core';
import type { Sql } from './connect.js';

/**
 * Where the numbered SQL migrations live: `migrations/NNNN_name.sql` in this package, shipped with the code
 * that runs them. Resolved from this module's own location, one level below the package root, which holds
 * for `src/` run through tsx and for a compiled sibling `dist/` alike.
 */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

// Any constant works; it only has to be the same for every frameline process sharing a database.
const MIGRATION_LOCK_KEY = 7_021_918_001;

export interface Migration {
  version: number;
  name: string;
  checksum: string;
  text: string;
}

/** Read and order the migration files, refusing gaps and duplicate numbers. */
export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!match?.[1] || !match[2]) throw new Error(`migration file ${file} is not named NNNN_name.sql`);
    const text = await readFile(`${dir}/${file}`, 'utf8');
    const version = Number(match[1]);
    if (version !== migrations.length + 1) {
      throw new Error(`migrations must be numbered 0001, 0002, ... without gaps; found ${file}`);
    }
    migrations.push({ version, name: match[2], text, checksum: sha256(text) });
  }
  return migrations;
}

/**
 * Apply the migrations the database lacks, in one transaction under an advisory lock, so that any number of
 * processes may call this at once and exactly one schema results. Returns the versions applied now.
 */
export async function migrate(sql: Sql, log: Logger, dir = MIGRATIONS_DIR): Promise<number[]> {
  const migrations = await readMigrations(dir);
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`;
    // Created under the lock: concurrent `create table if not exists` can still collide on the catalog.
    await tx`
      create table if not exists frameline_migrations (
        version    integer primary key,
        name       text not null,
        checksum   text not null,
        applied_at timestamptz not null default now()
      )`;
    const applied = await tx<{ version: number; name: string; checksum: string }[]>`
      select version, name, checksum from frameline_migrations order by version`;
    for (const row of applied) {
      const known = migrations[row.version - 1];
      if (!known) {
        throw new Error(
          `the database has migration ${row.version} (${row.name}) that this frameline does not know: it is newer than this code`,
        );
      }
      if (known.checksum !== row.checksum) {
        throw new Error(
          `migration ${row.version} (${row.name}) was edited after it was applied; add a new migration instead`,
        );
      }
    }
    const pending = migrations.slice(applied.length);
    for (const m of pending) {
      await tx.unsafe(m.text);
      await tx`insert into frameline_migrations ${tx({ version: m.version, name: m.name, checksum: m.checksum })}`;
      log.info({ version: m.version, name: m.name }, 'applied migration');
    }
    return pending.map((m) => m.version);
  });
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
