/**
 * The baseline the pipeline is measured against: the least a crawler must do to store the same items. Node's
 * fetch (undici, keep-alive) at a fixed concurrency, rss-parser, and one multi-row upsert per feed through
 * postgres.js. No politeness, no robots.txt, no SSRF guard, no conditional GET, no queue, no tagging.
 */
import { createRssParserBaseline } from '@frameline/testkit';
import postgres from 'postgres';

interface RssParserItem {
  guid?: string;
  title?: string;
  link?: string;
  isoDate?: string;
  content?: string;
}

export interface BaselineResult {
  /** From the first request until the last insert returned. */
  ms: number;
  /** Rows in the table afterwards. */
  items: number;
}

/** Crawl `feedUrls` into a fresh `items` table of the (empty) database at `databaseUrl`. */
export async function runBaseline(
  feedUrls: readonly string[],
  databaseUrl: string,
  concurrency: number,
): Promise<BaselineResult> {
  const sql = postgres(databaseUrl, { max: 10, onnotice: () => undefined });
  try {
    await sql`
      create table items (
        feed_url     text not null,
        guid         text not null,
        title        text,
        link         text,
        published_at timestamptz,
        description  text,
        primary key (feed_url, guid)
      )`;
    const parse = createRssParserBaseline();
    let next = 0;
    // Each lane takes the next feed until none is left: `concurrency` fetches in flight at any time.
    const lane = async () => {
      for (let url = feedUrls[next++]; url !== undefined; url = feedUrls[next++]) {
        const res = await fetch(url);
        if (!res.ok) throw new Error(`baseline: ${url} answered ${res.status}`);
        const feed = (await parse(await res.text())) as { items: RssParserItem[] };
        const rows = feed.items.map((item) => ({
          feed_url: url,
          guid: item.guid ?? item.link ?? '',
          title: item.title ?? null,
          link: item.link ?? null,
          published_at: item.isoDate ? new Date(item.isoDate) : null,
          description: item.content ?? null,
        }));
        if (rows.length > 0) await sql`insert into items ${sql(rows)} on conflict do nothing`;
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, lane));
    const ms = performance.now() - started;
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from items`;
    return { ms, items: row?.n ?? 0 };
  } finally {
    await sql.end({ timeout: 5 });
  }
}
