import { createHash, randomBytes } from 'node:crypto';
import { createLogger } from '@frameline/core';
import { migrate, PG_TYPES, readMigrations } from '@frameline/store';
import postgres from 'postgres';
import { ADMIN_DATABASE_URL } from './env.js';

const silent = createLogger('silent');

const TEMPLATE_PREFIX = 'frameline_tpl_';
const TEST_PREFIX = 'frameline_test_';
/** Serialises template work across test files running in parallel (and across checkouts on one server). */
const TEMPLATE_LOCK = 7_021_918_002;
/**
 * A template of another schema (another checkout's migrations, or this one's before an edit) is dropped once
 * no test has cloned it for this long: long enough for a test run of that checkout still going to keep it.
 */
const STALE_TEMPLATE_MS = 10 * 60_000;
/** A test database still here after this long belongs to a run that was killed before its cleanup. */
const ORPHAN_TEST_DB_MS = 6 * 3600_000;

function urlFor(database: string): string {
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

function adminConnection(): postgres.Sql {
  return postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => {}, types: PG_TYPES });
}

/** The template for the current migrations: named after their checksums, so a schema change gets a new one. */
async function templateName(): Promise<string> {
  const migrations = await readMigrations();
  const digest = createHash('sha256')
    .update(migrations.map((m) => m.checksum).join(','))
    .digest('hex')
    .slice(0, 12);
  return `${TEMPLATE_PREFIX}${digest}`;
}

/**
 * Create database `name` as a clone of the migrated template, creating the template first if needed, then
 * drop what earlier runs left behind. All of it under one session lock, so that no test file drops or
 * recreates a template while another clones it. (A session lock, since CREATE DATABASE cannot run inside a
 * transaction; `admin` has a single connection, so lock and unlock share a session.)
 */
async function cloneTemplate(admin: postgres.Sql, name: string): Promise<void> {
  const template = await templateName();
  await admin`select pg_advisory_lock(${TEMPLATE_LOCK})`;
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${template}`;
    if (!exists) {
      await admin`create database ${admin(template)}`;
      const sql = postgres(urlFor(template), { max: 1, onnotice: () => {}, types: PG_TYPES });
      try {
        await migrate(sql, silent);
      } finally {
        await sql.end();
      }
    }
    await admin`create database ${admin(name)} template ${admin(template)}`;
    // The last use, read by dropStale in other checkouts. COMMENT takes a literal only, hence `unsafe`; the
    // text is a number this code made.
    await admin.unsafe(`comment on database "${template}" is '${Date.now()}'`);
    await dropStale(admin, template);
  } finally {
    await admin`select pg_advisory_unlock(${TEMPLATE_LOCK})`;
  }
}

/**
 * Drop templates of other schemas that no test has used for STALE_TEMPLATE_MS (one without a recorded use was
 * made by an older helper and counts as stale), and test databases orphaned by a killed run. Best effort: a
 * database that cannot be dropped now (someone is connected) is left for a later run.
 */
async function dropStale(admin: postgres.Sql, current: string): Promise<void> {
  const rows = await admin<{ name: string; comment: string | null }[]>`
    select datname as name, shobj_description(oid, 'pg_database') as comment from pg_database
    where datname like ${`${TEMPLATE_PREFIX}%`} or datname like ${`${TEST_PREFIX}%`}`;
  const now = Date.now();
  const stale = rows.filter((r) => {
    if (r.name.startsWith(TEMPLATE_PREFIX)) {
      return r.name !== current && !(now - Number(r.comment ?? 0) < STALE_TEMPLATE_MS);
    }
    const created = createdAt(r.name);
    return created !== null && now - created > ORPHAN_TEST_DB_MS;
  });
  for (const { name } of stale) {
    await admin`drop database if exists ${admin(name)}`.catch(() => undefined);
  }
}

/** Test databases are named `frameline_test_<ms since 1970, base 36>_<random>`. */
function testDatabaseName(): string {
  return `${TEST_PREFIX}${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

/** When a test database was made, from its name; null for names of another form (an older helper's). */
function createdAt(name: string): number | null {
  const match = /^frameline_test_([0-9a-z]+)_[0-9a-f]+$/.exec(name);
  return match?.[1] ? Number.parseInt(match[1], 36) : null;
}

export interface TestDatabase {
  url: string;
  name: string;
  sql: postgres.Sql;
  drop(): Promise<void>;
}

/** A fresh database for one test file: migrated (cloned from the template) unless `empty` is asked for. */
export async function createTestDatabase(opts: { empty?: boolean } = {}): Promise<TestDatabase> {
  const admin = adminConnection();
  const name = testDatabaseName();
  try {
    if (opts.empty) await admin`create database ${admin(name)}`;
    else await cloneTemplate(admin, name);
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
      const a = adminConnection();
      try {
        await a`drop database if exists ${a(name)} with (force)`;
      } finally {
        await a.end();
      }
    },
  };
}
