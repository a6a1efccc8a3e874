import type { CrawlResult } from '@frameline/pipeline';
import { loadRuleSet, tag } from '@frameline/tag';
import { type FixtureServer, startFixtureServer } from '@frameline/testkit';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { jsonLines, runCli, startCli } from './helpers/cli.js';
import { type Distributed, distributed } from './helpers/redis.js';

const FEEDS = 6;
const ITEMS = 4;

function feed(n: number): string {
  const items = Array.from(
    { length: ITEMS },
    (_, i) => `<item><guid>feed${n}-item${i}</guid><title>Note ${n}.${i} on PyTorch</title>
      <link>{{origin}}/crash/${n}/${i}</link><pubDate>Mon, 0${i + 1} Jul 2024 10:00:00 GMT</pubDate>
      <description>NVIDIA announced support for PyTorch ${n}.${i} in its containers.</description></item>`,
  ).join('');
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Feed ${n}</title><link>{{origin}}/crash/${n}</link>${items}</channel></rss>`;
}

let server: FixtureServer;
let setup: Distributed;
let db: Distributed['db'];
let env: Record<string, string>;
const workers: ReturnType<typeof startCli>[] = [];

beforeAll(async () => {
  const routes = Object.fromEntries(
    Array.from({ length: FEEDS }, (_, n) => [`/slow${n}.xml`, { body: feed(n), delayMs: 1500 }]),
  );
  server = await startFixtureServer({ routes });
  // A short lock so another worker takes over the dead one's jobs within seconds.
  setup = await distributed({ FRAMELINE_JOB_LOCK_MS: '2000' });
  ({ db, env } = setup);
  const urls = Array.from({ length: FEEDS }, (_, n) => server.url(`/slow${n}.xml`));
  const added = await runCli(['sources', 'add', '--no-discover', ...urls], env);
  expect(added.code, added.stderr).toBe(0);
});

afterAll(async () => {
  await setup?.teardown(workers);
  await server?.close();
});

test('a worker killed with SIGKILL mid-crawl, replaced by another, loses and duplicates nothing', async () => {
  const first = startCli(['worker', '--concurrency', '3'], env);
  workers.push(first);
  const firstFetch = server.nextRequest('/slow0.xml');
  const crawl = startCli(['crawl', '--once', '--json'], env);
  await firstFetch; // the first worker is now inside a fetch job
  first.kill('SIGKILL');
  expect((await first.done).signal).toBe('SIGKILL');

  const second = startCli(['worker', '--concurrency', '3'], env);
  workers.push(second);
  const result = await crawl.done;
  expect(result.code, result.stderr).toBe(0);
  const [summary] = jsonLines<CrawlResult>(result);
  expect(summary?.sources.filter((s) => s.ok).length).toBe(FEEDS);
  expect(summary?.documents.new).toBe(FEEDS * ITEMS);
  // The dead worker's fetch was taken over and made again by the second worker.
  expect(server.requests.filter((r) => r.path === '/slow0.xml').length).toBeGreaterThanOrEqual(2);

  const docs = await db.sql<{ id: number; guid: string; title: string; text: string; extracted: boolean }[]>`
    select id, guid, title, text, exists (select 1 from extractions e
                  where e.document_id = documents.id and e.content_hash = documents.content_hash) as extracted from documents order by guid`;
  expect(docs.length).toBe(FEEDS * ITEMS);
  expect(new Set(docs.map((d) => d.guid)).size).toBe(FEEDS * ITEMS);
  expect(docs.every((d) => d.extracted)).toBe(true);

  // Each document holds exactly what one extraction of it produces: nothing lost, nothing doubled.
  const ruleSet = loadRuleSet();
  const counts = await db.sql<{ id: number; mentions: number; announcements: number }[]>`
    select d.id, (select coalesce(sum(cardinality(m.starts)), 0)::int from mentions m where m.document_id = d.id)
             as mentions,
                 (select count(*)::int from announcements a where a.document_id = d.id) as announcements
    from documents d`;
  const byId = new Map(counts.map((c) => [c.id, c]));
  for (const d of docs) {
    const title = tag(d.title, ruleSet);
    const text = tag(d.text, ruleSet);
    const mentions = [...title.entities, ...text.entities].reduce((n, e) => n + e.mentions.length, 0);
    expect(byId.get(d.id)).toEqual({
      id: d.id,
      mentions,
      announcements: title.announcements.length + text.announcements.length,
    });
    expect(mentions).toBeGreaterThan(0);
  }
});
