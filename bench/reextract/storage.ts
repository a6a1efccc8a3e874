/**
 * The database between passes: what a rule set's extractions take on disk, whether the next pass fits, and the
 * tidying that keeps runs alike (only the active rule set's extractions kept, then VACUUM ANALYZE, as
 * autovacuum would do; it may be off, as it is on the bench machine's server).
 */
import { statfsSync } from 'node:fs';
import postgres from 'postgres';

/** Bytes of the extraction tables, their indexes and TOAST included. */
export async function extractionBytes(url: string): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    const [row] = await sql<{ bytes: string }[]>`
      select (pg_total_relation_size('mentions') + pg_total_relation_size('announcements')
              + pg_total_relation_size('extractions'))::text as bytes`;
    return Number(row?.bytes ?? 0);
  } finally {
    await sql.end();
  }
}

/** Free bytes (for an unprivileged user) where the server keeps its data; null when that is not visible here. */
export async function freeBytes(url: string): Promise<number | null> {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  let dir: string | undefined;
  try {
    const [row] = await sql<{ dir: string }[]>`select current_setting('data_directory') as dir`;
    dir = row?.dir;
  } catch {
    return null; // (reading data_directory needs a superuser or pg_read_all_settings)
  } finally {
    await sql.end();
  }
  if (dir === undefined) return null;
  try {
    const fs = statfsSync(dir);
    return fs.bavail * fs.bsize;
  } catch {
    return null; // another machine or container
  }
}

/**
 * Delete every extraction but the active rule set's, then VACUUM ANALYZE the tables: the next pass then writes
 * into the space freed (the database stays at about two rule sets' extractions), and the planner knows the
 * tables' sizes.
 */
export async function keepActiveOnly(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    const active = sql`(select version from rule_sets where activated_at is not null
                        order by activated_at desc, version limit 1)`;
    await sql`delete from mentions where rule_set <> ${active}`;
    await sql`delete from announcements where rule_set <> ${active}`;
    await sql`delete from extractions where rule_set <> ${active}`;
    await sql`vacuum analyze documents, mentions, announcements, extractions`;
  } finally {
    await sql.end();
  }
}
