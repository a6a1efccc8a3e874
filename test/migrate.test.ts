import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@frameline/core';
import { MIGRATIONS_DIR, migrate, readMigrations } from '@frameline/store';
import { afterEach, expect, test } from 'vitest';
import { runCli } from './helpers/cli.js';
import { createTestDatabase, type TestDatabase } from './helpers/db.js';

const silent = createLogger('silent');
const dbs: TestDatabase[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(dbs.splice(0).map((d) => d.drop()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function emptyDb(): Promise<TestDatabase> {
  const db = await createTestDatabase({ empty: true });
  dbs.push(db);
  return db;
}

async function migrationsCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'frameline-migrations-'));
  dirs.push(dir);
  await cp(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

test('two processes migrating at once leave one correct schema', async () => {
  const db = await emptyDb();
  const env = { DATABASE_URL: db.url };
  const [a, b] = await Promise.all([runCli(['migrate'], env), runCli(['migrate'], env)]);
  expect(a.code, a.stderr).toBe(0);
  expect(b.code, b.stderr).toBe(0);
  // Exactly one of them applied the migrations; the other found the schema up to date.
  expect([a.stdout, b.stdout].filter((s) => s.includes('up to date')).length).toBe(1);
  const migrations = await readMigrations();
  const ledger = await db.sql<
    { version: number }[]
  >`select version from frameline_migrations order by version`;
  expect(ledger.map((r) => r.version)).toEqual(migrations.map((m) => m.version));
  const tables = await db.sql<{ name: string }[]>`
    select table_name as name from information_schema.tables where table_schema = 'public' order by 1`;
  expect(tables.map((t) => t.name)).toEqual(
    expect.arrayContaining([
      'announcements',
      'documents',
      'entities',
      'fetches',
      'mentions',
      'rule_sets',
      'sources',
      'timeline',
    ]),
  );
});

test('migrating again applies nothing', async () => {
  const db = await emptyDb();
  expect((await migrate(db.sql, silent)).length).toBeGreaterThan(0);
  expect(await migrate(db.sql, silent)).toEqual([]);
});

test('an edited migration that was already applied is refused', async () => {
  const db = await emptyDb();
  const dir = await migrationsCopy();
  await migrate(db.sql, silent, dir);
  await writeFile(join(dir, '0001_init.sql'), '-- edited\n', { flag: 'a' });
  await expect(migrate(db.sql, silent, dir)).rejects.toThrow(/0001|init.*edited after it was applied/);
});

test('a gap in the numbering is refused before anything runs', async () => {
  const db = await emptyDb();
  const dir = await migrationsCopy();
  // One number skipped after the last migration.
  const skipped = String((await readMigrations(dir)).length + 2).padStart(4, '0');
  await writeFile(join(dir, `${skipped}_later.sql`), 'create table later (id int);');
  await expect(migrate(db.sql, silent, dir)).rejects.toThrow(/without gaps/);
  const [row] = await db.sql<{ n: number }[]>`
    select count(*)::int as n from information_schema.tables where table_name = 'frameline_migrations'`;
  expect(row?.n).toBe(0);
});

test('a failing migration leaves the database as it was', async () => {
  const db = await emptyDb();
  const dir = await migrationsCopy();
  const next = String((await readMigrations(dir)).length + 1).padStart(4, '0');
  await writeFile(join(dir, `${next}_broken.sql`), 'create table ok_table (id int);\nthis is not sql;');
  await expect(migrate(db.sql, silent, dir)).rejects.toThrow();
  const [row] = await db.sql<{ n: number }[]>`
    select count(*)::int as n from information_schema.tables where table_name in ('frameline_migrations', 'ok_table', 'sources')`;
  expect(row?.n).toBe(0);
});

test('version 8 turns mentions stored one per occurrence into one row per document, field and entity', async () => {
  const db = await emptyDb();
  const dir = await migrationsCopy();
  // The database as version 7 left it (migrations from 8 on left out).
  for (const name of await readdir(dir))
    if (/^\d{4}_/.test(name) && Number(name.slice(0, 4)) >= 8) await rm(join(dir, name));
  await migrate(db.sql, silent, dir);
  const [doc] = await db.sql<{ id: number }[]>`
    with s as (insert into sources (url) values ('https://example.org/feed') returning id)
    insert into documents (source_id, guid, text, content_hash) select id, 'g1', 'PyTorch and pytorch, JAX', 'h1'
    from s returning id`;
  const id = doc?.id ?? 0;
  await db.sql`insert into rule_sets (version, name) values ('v1', 'test')`;
  await db.sql`
    insert into mentions (document_id, entity_id, rule_set, rule, field, start_pos, end_pos, surface)
    values (${id}, 'pytorch', 'v1', 'entity', 'text', 12, 19, 'pytorch'),
           (${id}, 'pytorch', 'v1', 'entity', 'text', 0, 7, 'PyTorch'),
           (${id}, 'jax', 'v1', 'entity', 'text', 21, 24, 'JAX'),
           (${id}, 'pytorch', 'v1', 'entity', 'title', 0, 7, 'PyTorch')`;
  expect((await migrate(db.sql, silent))[0]).toBe(8);
  const rows = await db.sql<{ field: string; entityId: string; starts: number[]; ends: number[] }[]>`
    select field, entity_id as "entityId", starts, ends from mentions order by field, entity_id`;
  expect(rows).toEqual([
    { field: 'text', entityId: 'jax', starts: [21], ends: [24] },
    { field: 'text', entityId: 'pytorch', starts: [0, 12], ends: [7, 19] },
    { field: 'title', entityId: 'pytorch', starts: [0], ends: [7] },
  ]);
});
