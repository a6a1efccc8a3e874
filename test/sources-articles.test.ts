import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CrawlResult } from '@frameline/pipeline';
import { type FixtureServer, startFixtureServer } from '@frameline/testkit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { jsonLines, runCli } from './helpers/cli.js';
import { createTestDatabase, type TestDatabase } from './helpers/db.js';

const page = (name: string) => readFile(new URL(`./fixtures/pages/${name}`, import.meta.url), 'utf8');

function rss(title: string, items: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>${title}</title><link>{{origin}}/</link>${items}</channel></rss>`;
}

const TEASER = rss(
  'Accelerator Weekly',
  `<item><guid>aw-1</guid><title>Graphcore brings PyTorch to IPUs</title><link>{{origin}}/posts/1</link>
   <description>Graphcore has news for PyTorch users. Read more…</description></item>`,
);
// Another source carrying the same story under its own guid, linking another copy of the page (an AMP-style
// URL with tracking parameters) whose canonical link names the same article.
const MIRROR = rss(
  'ML Link Roundup',
  `<item><guid>mirror-77</guid><title>Graphcore and PyTorch</title><link>{{origin}}/amp/posts/1?utm_source=roundup</link>
   <description>Seen elsewhere: Graphcore and PyTorch. Read more…</description></item>`,
);
const CALENDAR = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//frameline tests//EN',
  'BEGIN:VEVENT',
  'UID:neurips-2024@test',
  'DTSTAMP:20240101T000000Z',
  'DTSTART:20241210T090000Z',
  'DTEND:20241215T180000Z',
  'SUMMARY:NeurIPS 2024',
  'LOCATION:Vancouver',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:team-lunch@test',
  'DTSTAMP:20240101T000000Z',
  'DTSTART:20241211T120000Z',
  'SUMMARY:Team lunch',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

let server: FixtureServer;
let db: TestDatabase;
let env: Record<string, string>;
let dir: string;

beforeAll(async () => {
  server = await startFixtureServer({
    routes: {
      '/teaser.xml': { body: TEASER },
      '/mirror.xml': { body: MIRROR },
      '/posts/1': { body: await page('post-1.html'), contentType: 'text/html; charset=utf-8' },
      '/amp/posts/1?utm_source=roundup': {
        body: await page('post-1.html'),
        contentType: 'text/html; charset=utf-8',
      },
      '/conf.ics': { body: CALENDAR, contentType: 'text/calendar; charset=utf-8' },
      '/talks': {
        body: `<html><head><title>Summit talks</title></head><body><h1>Talks</h1>
        <article class="talk"><h2>Scaling JAX on TPUs</h2><a href="/talks/jax">details</a>
          <time datetime="2024-05-14T10:00:00Z">May 14</time><p>Google engineers show JAX on Cloud TPU pods.</p></article>
        <article class="talk"><h2>vLLM in production</h2><a href="/talks/vllm">details</a>
          <time datetime="2024-05-15T10:00:00Z">May 15</time><p>Serving Llama models with vLLM.</p></article>
        <aside><h2>Sponsors</h2></aside></body></html>`,
        contentType: 'text/html; charset=utf-8',
      },
      '/site/': {
        body: '<html><head><title>Site</title><link rel="alternate" type="application/rss+xml" title="Site feed" href="/site/feed.xml"></head><body>hi</body></html>',
        contentType: 'text/html',
      },
      '/site/feed.xml': { body: rss('Site feed', '') },
      '/plain/': {
        body: '<html><head><title>Plain</title></head><body>no feed links</body></html>',
        contentType: 'text/html',
      },
      '/nothing/': { body: '<html><body>nothing here</body></html>', contentType: 'text/html' },
      '/feed': { body: rss('Found at a common path', '') },
    },
  });
  db = await createTestDatabase();
  // Postgres with the stages in-process (no REDIS_URL): the test reads the database while nothing runs.
  env = { DATABASE_URL: db.url, FRAMELINE_ALLOW_HOSTS: '127.0.0.1' };
  dir = await mkdtemp(join(tmpdir(), 'frameline-opml-'));
});

afterAll(async () => {
  await server?.close();
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('sources add discovers feeds', () => {
  test('a site page that declares its feed: the feed is added, named after its title', async () => {
    const result = await runCli(['sources', 'add', server.url('/site/'), '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    const [line] = jsonLines<{ source: { url: string; name: string } }>(result);
    expect(line?.source).toMatchObject({ url: server.url('/site/feed.xml'), name: 'Site feed' });
    expect(result.stderr).toContain('using the feed it declares');
  });

  test('a page that declares none: a common feed path is tried', async () => {
    const result = await runCli(['sources', 'add', server.url('/plain/'), '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(jsonLines<{ source: { url: string } }>(result)[0]?.source.url).toBe(server.url('/feed'));
  });

  test('a page with no feed anywhere is refused with the reason', async () => {
    server.unroute('/feed');
    const result = await runCli(['sources', 'add', server.url('/nothing/')], env);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(server.url('/nothing/'));
    expect(result.stderr).toMatch(/declares no feed/);
  });
});

describe('OPML', () => {
  test('import adds every outline with its categories as tags; export writes them back', async () => {
    const opml = `<?xml version="1.0"?><opml version="2.0"><head><title>mine</title></head><body>
      <outline text="ML"><outline type="rss" text="Teaser" xmlUrl="${server.url('/teaser.xml')}" category="/ml/news"/>
      <outline type="rss" text="Mirror" xmlUrl="${server.url('/mirror.xml')}"/></outline></body></opml>`;
    await writeFile(join(dir, 'in.opml'), opml);
    const imported = await runCli(['sources', 'import', join(dir, 'in.opml')], env);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/imported 2 feeds/);
    const again = await runCli(['sources', 'import', join(dir, 'in.opml')], env);
    expect(again.stdout).toMatch(/0 new, 2 already there/);
    const exported = await runCli(['sources', 'export'], env);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain(server.url('/teaser.xml'));
    expect(exported.stdout).toContain(server.url('/mirror.xml'));
    const reimport = join(dir, 'out.opml');
    await writeFile(reimport, exported.stdout);
    const round = await runCli(['sources', 'import', reimport], env);
    expect(round.stdout).toMatch(/0 new/);
  });

  test('import sets the article mode and interval of the sources it adds, and refuses an unknown mode', async () => {
    const opml = `<?xml version="1.0"?><opml version="2.0"><body>
      <outline type="rss" text="Bulk" xmlUrl="${server.url('/bulk-1.xml')}"/>
      <outline type="rss" text="Bulk 2" xmlUrl="${server.url('/bulk-2.xml')}"/></body></opml>`;
    await writeFile(join(dir, 'bulk.opml'), opml);
    const bad = await runCli(['sources', 'import', join(dir, 'bulk.opml'), '--articles', 'sometimes'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--articles must be one of auto, always, never, got "sometimes"');
    const args = ['sources', 'import', join(dir, 'bulk.opml'), '--articles', 'never', '--interval', '7200'];
    const imported = await runCli(args, env);
    expect(imported.code, imported.stderr).toBe(0);
    const listed = await runCli(['sources', 'list', '--json'], env);
    const bulk = jsonLines<{ url: string; articleMode: string; pollIntervalS: number }>(listed).filter((s) =>
      s.url.includes('/bulk-'),
    );
    expect(bulk.map((s) => [s.articleMode, s.pollIntervalS])).toEqual([
      ['never', 7200],
      ['never', 7200],
    ]);
  });
});

describe('a crawl with teaser feeds, a mirror and a calendar', () => {
  let summary: CrawlResult;

  beforeAll(async () => {
    const added = await runCli(
      ['sources', 'add', '--no-discover', server.url('/conf.ics'), '--kind', 'ical'],
      env,
    );
    expect(added.code, added.stderr).toBe(0);
    const talks = [server.url('/talks'), '--selector', 'item=article.talk', '--selector', 'summary=p'];
    const page = await runCli(['sources', 'add', ...talks, '--articles', 'never'], env);
    expect(page.code, page.stderr).toBe(0);
    const result = await runCli(['crawl', '--once', '--force', '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    [summary] = jsonLines<CrawlResult>(result) as [CrawlResult];
  });

  test('a summary-only item gets its page: main text, canonical URL and the date the feed lacked', async () => {
    expect(
      summary.sources.filter((s) => s.url.includes('teaser') || s.url.includes('mirror')).every((s) => s.ok),
    ).toBe(true);
    const [doc] = await db.sql<
      {
        articleText: string;
        canonicalUrl: string;
        publishedAt: Date;
        publishedFrom: string;
        author: string;
        articleHtml: string;
      }[]
    >`
      select article_text as "articleText", canonical_url as "canonicalUrl", published_at as "publishedAt",
             published_from as "publishedFrom", author, article_html as "articleHtml"
      from documents where guid = 'aw-1'`;
    expect(doc?.articleText).toContain('Graphcore announced support for PyTorch on its IPU processors');
    expect(doc?.articleText).not.toContain('must not count');
    expect(doc?.canonicalUrl).toBe(server.url('/posts/graphcore-pytorch'));
    expect(doc?.publishedAt.toISOString()).toBe('2020-06-15T09:00:00.000Z');
    expect(doc?.publishedFrom).toMatch(/^article:/);
    expect(doc?.author).toBe('Test Writer');
    expect(doc?.articleHtml.length).toBeGreaterThan(100);
  });

  test('the article text is what gets tagged', async () => {
    // Of the two copies of the story, the one stored first is the original and keeps the extraction.
    const anns = await db.sql<{ field: string; subject: string; objects: string[] }[]>`
      select a.field, a.subject, a.objects from announcements a join documents d on d.id = a.document_id
      where d.guid in ('aw-1', 'mirror-77') and d.duplicate_of is null and a.type = 'support'`;
    expect(anns).toContainEqual(expect.objectContaining({ field: 'article', subject: 'graphcore' }));
    const fields = await db.sql<{ field: string }[]>`
      select distinct m.field from mentions m join documents d on d.id = m.document_id
      where d.guid in ('aw-1', 'mirror-77') and d.duplicate_of is null`;
    expect(fields.map((f) => f.field).sort()).toEqual(['article', 'title']);
  });

  test('the same story from another source is stored once as the original, once as its duplicate', async () => {
    const docs = await db.sql<{ guid: string; id: number; duplicateOf: number | null }[]>`
      select guid, id, duplicate_of as "duplicateOf" from documents where guid in ('aw-1', 'mirror-77') order by id`;
    expect(docs.length).toBe(2);
    const [first, second] = docs;
    expect(first?.duplicateOf).toBeNull();
    expect(second?.duplicateOf).toBe(first?.id);
    const dupRows = await db.sql`
      select 1 from mentions where document_id = ${second?.id ?? 0}
      union all select 1 from announcements where document_id = ${second?.id ?? 0}`;
    expect(dupRows.length).toBe(0);
  });

  test('calendar events become dated timeline events', async () => {
    const events = await db.sql<{ title: string; kind: string; publishedAt: Date }[]>`
      select d.title, d.kind, d.published_at as "publishedAt" from documents d join sources s on s.id = d.source_id
      where s.url = ${server.url('/conf.ics')} order by title`;
    expect(events.map((e) => [e.title, e.kind])).toEqual([
      ['NeurIPS 2024', 'event'],
      ['Team lunch', 'event'],
    ]);
    const result = await runCli(['timeline', '--type', 'event', '--entity', 'neurips', '--json'], env);
    const rows = jsonLines<{ type: string; subject: string; version: string; at: string }>(result);
    expect(rows).toContainEqual(
      expect.objectContaining({ type: 'event', subject: 'neurips-2024', version: '2024' }),
    );
    expect(rows.find((r) => r.subject === 'neurips-2024')?.at).toMatch(/^2024-12-10/);
  });

  test('an HTML page with no feed is read with its selectors', async () => {
    const talks = await db.sql<{ title: string; url: string; publishedAt: Date; text: string }[]>`
      select d.title, d.url, d.published_at as "publishedAt", d.text from documents d
      join sources s on s.id = d.source_id where s.url = ${server.url('/talks')} order by d.published_at`;
    expect(talks.map((t) => [t.title, t.url, t.publishedAt.toISOString()])).toEqual([
      ['Scaling JAX on TPUs', server.url('/talks/jax'), '2024-05-14T10:00:00.000Z'],
      ['vLLM in production', server.url('/talks/vllm'), '2024-05-15T10:00:00.000Z'],
    ]);
    expect(talks[0]?.text).toContain('JAX on Cloud TPU pods');
    const [source] = await db.sql<
      { kind: string }[]
    >`select kind from sources where url = ${server.url('/talks')}`;
    expect(source?.kind).toBe('html');
  });

  test('a second crawl finds everything unchanged and fetches no page again', async () => {
    const pageFetches = server.requests.filter((r) => r.path.startsWith('/posts/')).length;
    const result = await runCli(['crawl', '--once', '--force', '--json'], env);
    const [again] = jsonLines<CrawlResult>(result);
    expect(again?.documents.new).toBe(0);
    expect(again?.documents.updated).toBe(0);
    expect(server.requests.filter((r) => r.path.startsWith('/posts/')).length).toBe(pageFetches);
  });
});

describe('file commands need no database', () => {
  test('parse prints one JSON line per file, with ok false and the reason for a bad one', async () => {
    const good = new URL('./fixtures/feeds/alpha.xml', import.meta.url).pathname;
    const bad = new URL('./fixtures/feeds/broken.xml', import.meta.url).pathname;
    const result = await runCli(['parse', good, bad, '--json'], {});
    expect(result.code).toBe(1);
    const [a, b] = jsonLines<{
      file: string;
      ok: boolean;
      format?: string;
      items?: { id: string; published: string }[];
      error?: string;
    }>(result);
    expect(a).toMatchObject({ file: good, ok: true, format: 'rss', version: 'rss20' });
    expect(a?.items?.[0]).toMatchObject({ id: 'alpha-1', published: '2018-10-02T16:00:00Z' });
    expect(b).toMatchObject({ file: bad, ok: false });
    expect(b?.error).toMatch(/HTML page/);
  });

  test('article extracts a saved page given its URL', async () => {
    const file = join(dir, 'post.html');
    await writeFile(file, (await page('post-1.html')).replaceAll('{{origin}}', 'https://aw.example'));
    const result = await runCli(['article', file, '--url', 'https://aw.example/posts/1', '--json'], {});
    expect(result.code, result.stderr).toBe(0);
    const [line] = jsonLines<Record<string, string>>(result);
    expect(line).toMatchObject({
      file,
      url: 'https://aw.example/posts/1',
      canonicalUrl: 'https://aw.example/posts/graphcore-pytorch',
      title: 'Graphcore brings PyTorch to IPUs',
      byline: 'Test Writer',
      published: '2020-06-15T09:00:00Z',
    });
    expect(line?.text).toContain('PopTorch');
  });
});
