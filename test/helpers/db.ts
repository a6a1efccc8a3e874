import { createHash, randomBytes } from 'node:crypto';
import { createLogger } from '@frameline/core';
import { migrate, PG_TYPES, readMigrations } from '@frameline/store';
import postgres from 'postgres';
import { ADMIN_DATABASE_URL } from './env.js';

const silent = createLogger('silent');

function urlFor(database: string): string {
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * A migrated template database named after the migrations' checksums, created once per schema version.
 * Test databases are cloned from it, which is much faster than migrating each one.
 */
async function templateName(admin: postgres.Sql): Promise<string> {
  const migrations = await readMigrations();
  const digest = createHash('sha256')
    .update(migrations.map((m) => m.checksum).join(','))
    .digest('hex')
    .slice(0, 12);
  const name = `frameline_tpl_${digest}`;
  // Serialise template creation across test files running in parallel. A session lock, since CREATE DATABASE
  // cannot run inside a transaction; `admin` has a single connection, so lock and unlock share a session.
  await admin`select pg_advisory_lock(7021918002)`;
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${name}`;
    if (!exists) {
      await admin.unsafe(`create database ${name}`);
      const sql = postgres(urlFor(name), { max: 1, onnotice: () => {}, types: PG_TYPES });
      try {
        await migrate(sql, silent);
      } finally {
        await sql.end();
      }
    }
  } finally {
    await admin`select pg_advisory_unlock(7021918002)`;
  }
  return name;
}

export interface TestDatabase {
  url: string;
  name: string;
  sql: postgres.Sql;
  drop(): Promise<void>;
}

/** A fresh database for one test file: migrated (cloned from the template) unless `empty` is asked for. */
export async function createTestDatabase(opts: { empty?: boolean } = {}): Promise<TestDatabase> {
  const admin = postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => {}, types: PG_TYPES });
  const name = `frameline_test_${randomBytes(6).toString('hex')}`;
  try {
    if (opts.empty) await admin.unsafe(`create database ${name}`);
    else await admin.unsafe(`create database ${name} template ${await templateName(admin)}`);
  } finally {
    await admin.end();
  }
  const url = urlFor(name);
  const sql = postgres(url, { max: 4, onnotice: () => {}, types: PG_TYPES });
  return {
    url,
    name,
    sql,
    async drop() {
      await sql.end({ timeout: 5 });
      const a = postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => {}, types: PG_TYPES });
      try {
        await a.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await a.end();
      }
    },
  };
}
