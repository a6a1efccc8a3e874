import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@frameline/core';
import {
  type BackfillReport,
  BullTransport,
  backfill,
  type CrawlResult,
  type Runtime,
} from '@frameline/pipeline';
import { addSource, findSource, type SourceRow } from '@frameline/store';
import { type FixtureServer, startFixtureServer } from '@frameline/testkit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually, jsonLines, runCli, startCli } from './helpers/cli.js';
import type { TestDatabase } from './helpers/db.js';
import { type Distributed, distributed } from './helpers/redis.js';
import { type InProcess, inProcessRuntime } from './helpers/runtime.js';

/** An Atom feed page with entries `ids` (each dated), and feed-level links. */
function atomPage(
  name: string,
  entries: { id: string; date: string }[],
  links: Record<string, string>,
): string {
  const linkTags = Object.entries(links)
    .map(([rel, href]) => `<link rel="${rel}" href="${href}"/>`)
    .join('');
  const body = entries
    .map(
      (
        e,
      ) => `<entry><id>${e.id}</id><title>PyTorch note ${e.id}</title><link href="{{origin}}/posts/${e.id}"/>
        <published>${e.date}</published><updated>${e.date}</updated>
        <content type="html">&lt;p&gt;Facebook released PyTorch ${e.id.length}.0 with support for Cloud TPUs and ONNX export, as announced at the developer conference. The release adds a JIT compiler and distributed training.&lt;/p&gt;</content></entry>`,
    )
    .join('');
  return `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>${name}</title><id>urn:${name}</id>
    <link href="{{origin}}/${name}/"/>${linkTags}<updated>2024-01-01T00:00:00Z</updated>${body}</feed>`;
}

/** A WordPress RSS page (its generator says so) with items `ids`. */
function wordpressPage(ids: string[], year: number): string {
  const items = ids
    .map(
      (id, i) => `<item><guid isPermaLink="false">https://wp.example/?p=${id}</guid><title>Post ${id}</title>
        <link>{{origin}}/wp/${id}</link><pubDate>Mon, 0${i + 1} Oct ${year} 10:00:00 GMT</pubDate>
        <content:encoded><![CDATA[<p>NVIDIA announced support for TensorFlow ${id} in its containers, the company said today. The containers ship monthly with tuned kernels.</p>]]></content:encoded></item>`,
    )
    .join('');
  return `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
    <title>WP blog</title><link>{{origin}}/wp</link><generator>https://wordpress.org/?v=6.4</generator>${items}</channel></rss>`;
}

/** An article page dated by JSON-LD, by a meta tag, or not at all. */
function articlePage(title: string, dating: 'json-ld' | 'meta' | 'none', date: string): string {
  const head =
    dating === 'json-ld'
      ? `<script type="application/ld+json">{"@type":"BlogPosting","headline":"${title}","datePublished":"${date}"}</script>`
      : dating === 'meta'
        ? `<meta property="article:published_time" content="${date}">`
        : '';
  const paragraph = `${title}: Google Cloud announced PyTorch support in Kubeflow and TensorBoard, and said the integration is available today for every customer of its machine learning platform.`;
  return `<!doctype html><html><head><title>${title} | Site</title>${head}</head><body>
    <nav><a href="/">Home</a> <a href="/about">About</a></nav>
    <article><h1>${title}</h1><p>${paragraph}</p><p>${paragraph} Further details follow in the documentation.</p></article>
    <footer>© Site</footer></body></html>`;
}

let server: FixtureServer;

beforeAll(async () => {
  server = await startFixtureServer({
    routes: {
      // RFC 5005: the live feed and two archive documents before it.
      '/arch/feed.xml': {
        body: atomPage('arch', [{ id: 'a5', date: '2024-03-01T00:00:00Z' }], {
          'prev-archive': '{{origin}}/arch/archive-2.xml',
        }),
        contentType: 'application/atom+xml',
      },
      '/arch/archive-2.xml': {
        body: atomPage(
          'arch',
          [
            { id: 'a4', date: '2023-06-01T00:00:00Z' },
            { id: 'a3', date: '2022-06-01T00:00:00Z' },
          ],
          { 'prev-archive': '{{origin}}/arch/archive-1.xml' },
        ),
        contentType: 'application/atom+xml',
      },
      '/arch/archive-1.xml': {
        body: atomPage(
          'arch',
          [
            { id: 'a2', date: '2018-10-02T00:00:00Z' },
            { id: 'a1', date: '2018-09-01T00:00:00Z' },
          ],
          {},
        ),
        contentType: 'application/atom+xml',
      },
      // A paged feed (RFC 5005 `next`).
      '/paged/feed.xml': {
        body: atomPage('paged', [{ id: 'p2', date: '2024-02-01T00:00:00Z' }], {
          next: '{{origin}}/paged/2.xml',
        }),
        contentType: 'application/atom+xml',
      },
      '/paged/2.xml': {
        body: atomPage('paged', [{ id: 'p1', date: '2021-02-01T00:00:00Z' }], {}),
        contentType: 'application/atom+xml',
      },
      // WordPress: ?paged=N, and past the last page the site answers with page 1 again.
      '/wp/feed/': { body: wordpressPage(['31', '32'], 2024) },
      '/wp/feed/?paged=2': { body: wordpressPage(['21', '22'], 2020) },
      '/wp/feed/?paged=3': { body: wordpressPage(['11'], 2019) },
      // A site with sitemaps (found through robots.txt) and a feed without archive links.
      '/robots.txt': {
        body: 'User-agent: *\nAllow: /\nSitemap: {{origin}}/site/sitemap-index.xml\n',
        contentType: 'text/plain',
      },
      '/site/feed.xml': {
        body: atomPage('site', [{ id: 's0', date: '2024-05-01T00:00:00Z' }], {}),
        contentType: 'application/atom+xml',
      },
      '/site/sitemap-index.xml': {
        body: `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
          <sitemap><loc>{{origin}}/site/sitemap-posts.xml</loc><lastmod>2024-05-01</lastmod></sitemap></sitemapindex>`,
        contentType: 'application/xml',
      },
      '/site/sitemap-posts.xml': {
        body: `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
          <url><loc>{{origin}}/site/2018/pytorch-1-0</loc><lastmod>2023-01-05</lastmod></url>
          <url><loc>{{origin}}/site/2019/kubeflow</loc><lastmod>2023-01-06</lastmod></url>
          <url><loc>{{origin}}/site/2020/undated</loc><lastmod>2023-01-07</lastmod></url>
          <url><loc>{{origin}}/</loc></url></urlset>`,
        contentType: 'application/xml',
      },
      '/site/2018/pytorch-1-0': {
        body: articlePage('PyTorch 1.0 arrives', 'json-ld', '2018-10-02T16:00:00Z'),
        contentType: 'text/html',
      },
      '/site/2019/kubeflow': {
        body: articlePage('Kubeflow and PyTorch', 'meta', '2019-03-04T09:00:00Z'),
        contentType: 'text/html',
      },
      '/site/2020/undated': {
        body: articlePage('Notes without a date', 'none', ''),
        contentType: 'text/html',
      },
    },
  });
});

afterAll(async () => {
  await server?.close();
});

describe('backfill (Postgres, in-process)', () => {
  let setup: InProcess;
  let db: TestDatabase;
  let rt: Runtime;
  let dir: string;

  beforeAll(async () => {
    setup = await inProcessRuntime('backfill');
    ({ db, rt, dir } = setup);
  });

  afterAll(async () => {
    await setup?.close();
  });

  async function source(path: string): Promise<SourceRow> {
    const url = server.url(path);
    const found = await findSource(rt.store.sql, url);
    return found ?? (await addSource(rt.store.sql, { url })).source;
  }

  function documents(sourceId: number) {
    return db.sql<
      {
        guid: string;
        title: string | null;
        publishedAt: Date | null;
        publishedFrom: string | null;
        extracted: boolean;
      }[]
    >`
      select guid, title, published_at as "publishedAt", published_from as "publishedFrom",
             exists (select 1 from extractions e where e.document_id = documents.id
                     and e.content_hash = documents.content_hash) as extracted
      from documents where source_id = ${sourceId} order by published_at nulls last, guid`;
  }

  test('RFC 5005 archives are followed back to the first post, dated by the feed', async () => {
    const src = await source('/arch/feed.xml');
    const before = await db.sql`select etag, last_modified, next_fetch_at from sources where id = ${src.id}`;
    const report = await backfill(rt, src, { noSitemaps: true });
    expect(report.feedPages.map((p) => p.via)).toEqual(['first', 'prev-archive', 'prev-archive']);
    expect(report.errors).toEqual([]);
    expect(report.failures).toEqual([]);
    expect(report.documents.new).toBe(5);
    const docs = await documents(src.id);
    expect(docs.map((d) => d.guid)).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    expect(docs.every((d) => d.extracted)).toBe(true);
    expect(docs[0]?.publishedAt?.toISOString()).toBe('2018-09-01T00:00:00.000Z');
    expect(new Set(docs.map((d) => d.publishedFrom))).toEqual(new Set(['atom:published']));
    expect(report.datedFrom).toEqual({ 'atom:published': 5 });
    // The live feed's polling state is the scheduler's: a backfill leaves it as it was.
    expect(await db.sql`select etag, last_modified, next_fetch_at from sources where id = ${src.id}`).toEqual(
      before,
    );

    // Run again: nothing new, nothing doubled.
    const again = await backfill(rt, src, { noSitemaps: true });
    expect(again.documents.new).toBe(0);
    expect((await documents(src.id)).length).toBe(5);
  });

  test('--since stops the walk at the first page older than it and keeps no older item', async () => {
    const { source: src } = await addSource(rt.store.sql, { url: `${server.url('/arch/feed.xml')}?since` });
    server.route('/arch/feed.xml?since', {
      body: atomPage('arch', [{ id: 'a5', date: '2024-03-01T00:00:00Z' }], {
        'prev-archive': '{{origin}}/arch/archive-2.xml',
      }),
      contentType: 'application/atom+xml',
    });
    const report = await backfill(rt, src, { noSitemaps: true, since: new Date('2023-01-01T00:00:00Z') });
    // archive-2 holds one post after the date and one before: it is read, archive-1 is not.
    expect(report.feedPages.map((p) => p.via)).toEqual(['first', 'prev-archive']);
    expect((await documents(src.id)).map((d) => d.guid)).toEqual(['a4', 'a5']);
  });

  test('paged feeds follow rel="next"; WordPress feeds ?paged=N until a page brings nothing new', async () => {
    const paged = await source('/paged/feed.xml');
    const p = await backfill(rt, paged, { noSitemaps: true });
    expect(p.feedPages.map((x) => x.via)).toEqual(['first', 'next']);
    expect((await documents(paged.id)).map((d) => d.guid)).toEqual(['p1', 'p2']);

    const wp = await source('/wp/feed/');
    const w = await backfill(rt, wp, { noSitemaps: true });
    expect(w.feedPages.map((x) => x.via)).toEqual(['first', 'paged', 'paged']);
    expect(w.errors).toEqual([]);
    expect((await documents(wp.id)).length).toBe(5);
    expect(server.hits('/wp/feed/?paged=4').length).toBe(1);
  });

  test("sitemaps from robots.txt list the site's pages, each fetched, tagged and dated from the page", async () => {
    const src = await source('/site/feed.xml');
    const report = await backfill(rt, src);
    expect(report.sitemapFiles).toBe(2);
    // The home page is not a post; the three posts are queued.
    expect(report.sitemapPages).toBe(3);
    expect(report.failures).toEqual([]);
    const docs = await documents(src.id);
    // Titled by the page (its headline, or its <title> as the article extractor cleans it).
    const titled = (start: string) => docs.find((d) => d.title?.startsWith(start));
    const byTitle = { get: titled };
    expect(byTitle.get('PyTorch 1.0 arrives')).toMatchObject({
      publishedFrom: 'article:json-ld',
      extracted: true,
    });
    expect(byTitle.get('PyTorch 1.0 arrives')?.publishedAt?.toISOString()).toBe('2018-10-02T16:00:00.000Z');
    expect(byTitle.get('Kubeflow and PyTorch')?.publishedFrom).toMatch(/^article:meta/);
    // A page that states no date stays undated: never "now", never the sitemap's lastmod.
    expect(byTitle.get('Notes without a date')).toMatchObject({ publishedAt: null, publishedFrom: null });
    const mentions = await db.sql<{ n: number }[]>`
      select count(*)::int as n from mentions m join documents d on d.id = m.document_id
      where d.source_id = ${src.id} and m.entity_id = 'kubeflow'`;
    expect(mentions[0]?.n).toBeGreaterThan(0);
  });

  test('a folder of saved pages and feeds is read through the same stages', async () => {
    const folder = join(dir, 'saved');
    mkdirSync(join(folder, '2018'), { recursive: true });
    writeFileSync(
      join(folder, '2018', 'one.html'),
      articlePage('Saved PyTorch post', 'json-ld', '2018-12-07T00:00:00Z'),
    );
    writeFileSync(
      join(folder, 'two.htm'),
      articlePage('Saved Kubeflow post', 'meta', '2019-01-08T00:00:00Z'),
    );
    writeFileSync(
      join(folder, 'feed.xml'),
      atomPage('saved', [{ id: 'f1', date: '2017-05-05T00:00:00Z' }], {}).replaceAll(
        '{{origin}}',
        'https://saved.example',
      ),
    );
    writeFileSync(join(folder, 'notes.txt'), 'not a page');
    const { source: src } = await addSource(rt.store.sql, { url: 'https://saved.example/feed.xml' });
    const report = await backfill(rt, src, { folder });
    expect(report.folderFiles).toBe(3);
    expect(report.errors).toEqual([]);
    const docs = await documents(src.id);
    expect(docs.map((d) => [d.guid, d.publishedFrom])).toEqual([
      ['f1', 'atom:published'],
      ['file:2018/one.html', 'page:json-ld'],
      ['file:two.htm', expect.stringMatching(/^page:meta/)],
    ]);
    expect(docs.every((d) => d.extracted)).toBe(true);
  });
});

describe('backfill on the embedded default, from the command line', () => {
  let home: string;
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'frameline-backfill-cli-'));
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  test('`frameline backfill <source> --json` reports pages, documents and where dates came from', async () => {
    const env = { FRAMELINE_HOME: home, FRAMELINE_ALLOW_HOSTS: '127.0.0.1' };
    const added = await runCli(['sources', 'add', '--no-discover', server.url('/arch/feed.xml')], env);
    expect(added.code, added.stderr).toBe(0);
    const result = await runCli(['backfill', server.url('/arch/feed.xml'), '--no-sitemaps', '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    const [report] = jsonLines<BackfillReport>(result);
    expect(report).toMatchObject({
      mode: 'in-process',
      documents: { new: 5 },
      datedFrom: { 'atom:published': 5 },
    });
    const missing = await runCli(['backfill', 'no-such-source'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no source "no-such-source"');
  });
});

describe('backfill behind live polling (Postgres, Redis, one worker)', () => {
  const PAGES = 200;
  let setup: Distributed;
  const processes: ReturnType<typeof startCli>[] = [];
  const fetched = () => server.requests.filter((r) => r.path.startsWith('/big/post-')).length;

  beforeAll(async () => {
    const urls = Array.from({ length: PAGES }, (_, i) => `<url><loc>{{origin}}/big/post-${i}</loc></url>`);
    server.route('/big/feed.xml', { body: atomPage('big', [], {}), contentType: 'application/atom+xml' });
    server.route('/big/sitemap.xml', {
      body: `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls.join('')}</urlset>`,
      contentType: 'application/xml',
    });
    server.route(/^\/big\/post-\d+$/, {
      body: articlePage('A post from the archive', 'json-ld', '2019-01-01T00:00:00Z'),
      contentType: 'text/html',
      delayMs: 100,
    });
    // A teaser feed: its item's text is on the linked page.
    server.route('/live/feed.xml', {
      body: `<?xml version="1.0"?><rss version="2.0"><channel><title>Live</title><link>{{origin}}/live</link>
        <item><guid>live1</guid><title>PyTorch news</title><link>{{origin}}/live/post</link>
        <pubDate>Sat, 01 Jun 2024 10:00:00 GMT</pubDate><description>Read more…</description></item></channel></rss>`,
    });
    server.route('/live/post', {
      body: articlePage('Live post', 'json-ld', '2024-06-01T10:00:00Z'),
      contentType: 'text/html',
    });
    setup = await distributed();
  });

  afterAll(async () => {
    await setup?.teardown(processes);
  });

  test('a live poll finishes while a large backfill waits in the queues', async () => {
    const { env } = setup;
    for (const [path, tag] of [
      ['/big/feed.xml', 'archive'],
      ['/live/feed.xml', 'live'],
    ] as const) {
      const added = await runCli(['sources', 'add', '--no-discover', '--tag', tag, server.url(path)], env);
      expect(added.code, added.stderr).toBe(0);
    }
    // No worker yet: the backfill's page fetches all wait in the article queue.
    const big = startCli(
      [
        'backfill',
        server.url('/big/feed.xml'),
        '--no-feed',
        '--sitemap',
        server.url('/big/sitemap.xml'),
        '--json',
      ],
      env,
    );
    processes.push(big);
    const transport = await BullTransport.connect({
      redisUrl: env.REDIS_URL ?? '',
      prefix: setup.prefix,
      log: createLogger('silent'),
    });
    try {
      await eventually(
        'the backfill to queue its pages',
        async () => (await transport.pendingCount(['article'])) >= PAGES,
        {
          process: big,
        },
      );
    } finally {
      await transport.close();
    }
    // The live crawl's teaser item needs its page fetched too: its article job joins the same queue, last.
    const live = startCli(['crawl', '--once', '--tag', 'live', '--json'], env);
    processes.push(live);
    const worker = startCli(['worker', '--concurrency', '1'], env);
    processes.push(worker);
    const liveDone = await live.done;
    expect(liveDone.code, liveDone.stderr).toBe(0);
    const [summary] = jsonLines<CrawlResult>(liveDone);
    expect(summary?.sources.map((s) => s.ok)).toEqual([true]);
    expect(summary?.documents.new).toBe(1);
    expect(server.requests.filter((r) => r.path === '/live/post').length).toBe(1);
    // The live poll went through ahead of the backfill's queued work (FIFO would have put it behind all of it).
    expect(big.output.code).toBeNull();
    expect(fetched()).toBeLessThan(PAGES / 4);

    const done = await big.done;
    expect(done.code, done.stderr).toBe(0);
    const [report] = jsonLines<BackfillReport>(done);
    expect(report?.sitemapPages).toBe(PAGES);
    expect(report?.documents.new).toBe(PAGES);
    expect(report?.datedFrom).toEqual({ 'article:json-ld': PAGES });
  });
});
