import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@frameline/core';
import { isPrivateAddress } from '@frameline/fetch';
import type { CrawlResult } from '@frameline/pipeline';
import { openStore, type Store } from '@frameline/store';
import { type FixtureServer, startFixtureServer } from '@frameline/testkit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { jsonLines, runGuardedCli } from './helpers/cli.js';
import {
  BRIEF,
  CONNECT_TIMEOUT_MS,
  ETAG,
  FETCH_TIMEOUT_MS,
  installRoutes,
  LAST_MODIFIED,
  LONG,
  MAIN,
  MAX_BODY,
  RUSSIAN_TITLE,
  TRAP,
  windows1251,
} from './helpers/hostile-routes.js';

interface SourceJson {
  id: number;
  url: string;
  tags: string[];
  etag: string | null;
  lastModified: string | null;
  nextFetchAt: string;
  lastErrorAt: string | null;
  lastOkAt: string | null;
  errorCount: number;
  lastErrorCode: string | null;
  lastError: string | null;
  pausedAt: string | null;
  documents: number;
}

interface FetchRow {
  id: number;
  sourceId: number;
  url: string;
  status: number | null;
  notModified: boolean;
  errorCode: string | null;
  error: string | null;
  itemsTotal: number | null;
}

interface DocRow {
  id: number;
  sourceId: number;
  guid: string;
  title: string | null;
  url: string | null;
  publishedAt: Date | null;
  text: string;
  contentHash: string;
  lastChangedAt: Date;
  changedCrawlId: string | null;
}

/**
 * One crawl on the embedded default over a fixture server full of hostile sources (issue 3): each hostile
 * source ends with the behaviour the fetch layer promises, and the good sources in the same crawl are stored
 * as if nothing else had happened. The sources are in helpers/hostile-routes.ts.
 */
describe('one crawl over hostile sources (embedded default)', () => {
  let server: FixtureServer;
  let home: string;
  let netLog: string;
  let env: Record<string, string>;
  const ids = new Map<string, number>();
  let first: CrawlResult;
  let afterFirst: { sources: SourceJson[]; fetches: FetchRow[]; docs: DocRow[] };
  const stderrs: string[] = [];

  const u = (path: string, host = MAIN) => server.url(path, host);
  const ipv6Loopback = () => u('/feed.xml').replace(MAIN, '[::1]');
  const STEADY = [
    '/good.rss',
    '/good.atom',
    '/conditional.xml',
    '/moved.xml',
    '/temp.xml',
    '/five/0',
    '/cp1251-header-utf8.xml',
    '/cp1251-header-latin1.xml',
    '/bom-utf8.xml',
    '/public/feed.xml',
  ];
  const hostileUrls = () => [
    u('/loop-a.xml'),
    u('/six/0'),
    u('/busy-briefly.xml', BRIEF),
    u('/busy-long.xml', LONG),
    u('/slow-headers.xml'),
    u('/slow-body.xml'),
    u('/oversize-declared.xml'),
    u('/oversize-chunked.xml'),
    u('/bomb.xml'),
    u('/html-as-feed.xml'),
    u('/private/feed.xml'),
    u('/feed.xml', TRAP),
    ipv6Loopback(),
    u('/to-metadata.xml'),
  ];
  const id = (url: string) => {
    const found = ids.get(url);
    if (found === undefined) throw new Error(`no source was added for ${url}`);
    return found;
  };

  async function cli(args: string[]) {
    const result = await runGuardedCli(args, env);
    stderrs.push(result.stderr);
    expect(result.code, result.stderr).toBe(0);
    return result;
  }

  async function crawl(...flags: string[]): Promise<CrawlResult> {
    const [summary] = jsonLines<CrawlResult>(await cli(['crawl', '--once', '--json', ...flags]));
    if (!summary) throw new Error('no crawl summary');
    expect(summary.mode).toBe('in-process');
    return summary;
  }

  /** PGlite serves one process at a time, so the test opens the store only between CLI runs. */
  async function withStore<T>(body: (store: Store) => Promise<T>): Promise<T> {
    const store = await openStore({ databaseUrl: undefined, home }, createLogger('silent'));
    try {
      return await body(store);
    } finally {
      await store.close();
    }
  }

  async function snapshot(crawlId: string) {
    const sources = jsonLines<SourceJson>(await cli(['sources', 'list', '--json']));
    return withStore(async ({ sql }) => ({
      sources,
      fetches: await sql<FetchRow[]>`
        select id::int, source_id::int as "sourceId", url, status, not_modified as "notModified",
               error_code as "errorCode", error, items_total as "itemsTotal"
        from fetches where crawl_id = ${crawlId} order by id`,
      docs: await sql<DocRow[]>`
        select id::int, source_id::int as "sourceId", guid, title, url, published_at as "publishedAt", text,
               content_hash as "contentHash", last_changed_at as "lastChangedAt", changed_crawl_id as "changedCrawlId"
        from documents order by source_id, guid`,
    }));
  }

  const source = (url: string) => {
    const s = afterFirst.sources.find((x) => Number(x.id) === id(url));
    if (!s) throw new Error(`source ${url} is not listed`);
    return s;
  };
  const fetchesOf = (url: string) => afterFirst.fetches.filter((f) => f.sourceId === id(url));
  const outcome = (url: string) => first.sources.find((s) => Number(s.sourceId) === id(url));
  const docsOf = (url: string) => afterFirst.docs.filter((d) => d.sourceId === id(url));

  beforeAll(async () => {
    // The test's own network must stay on this machine: make sure the guard refuses the metadata address
    // before anything is redirected there (the child also runs under a loopback-only preload).
    expect(isPrivateAddress('169.254.169.254')).toBe(true);
    server = await startFixtureServer({ hosts: [MAIN, TRAP, BRIEF, LONG] });
    installRoutes(server);
    home = await mkdtemp(join(tmpdir(), 'frameline-hostile-'));
    netLog = join(home, 'net.log');
    env = {
      FRAMELINE_HOME: home,
      FRAMELINE_ALLOW_HOSTS: [MAIN, BRIEF, LONG].join(','),
      FRAMELINE_FETCH_TIMEOUT_MS: String(FETCH_TIMEOUT_MS),
      FRAMELINE_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
      FRAMELINE_MAX_BODY_BYTES: String(MAX_BODY),
      FRAMELINE_RETRY_BASE_MS: '50',
      FRAMELINE_CONCURRENCY: '4',
      HOSTILE_NET_LOG: netLog,
    };
    const add = async (urls: string[], flags: string[]) => {
      const lines = jsonLines<{ source: { id: number } }>(
        // `--tag` takes several values, so it goes last.
        await cli(['sources', 'add', '--no-discover', '--json', '--interval', '60', ...urls, ...flags]),
      );
      expect(lines).toHaveLength(urls.length);
      // bigint ids come out of the JSON as strings.
      for (const [i, url] of urls.entries()) ids.set(url, Number(lines[i]?.source.id));
    };
    await add(
      STEADY.map((p) => u(p)),
      ['--tag', 'steady'],
    );
    await add(hostileUrls(), []);
    first = await crawl();
    afterFirst = await snapshot(first.crawlId);
  });

  afterAll(async () => {
    await server?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  test('the crawl reports every source, and the CLI connected only to the allowed loopback hosts', async () => {
    expect(new Set(first.sources.map((s) => Number(s.sourceId)))).toEqual(new Set(ids.values()));
    const log = (await readFile(netLog, 'utf8')).split('\n').filter(Boolean);
    expect(log).toContain(`connect ${MAIN}`);
    // Nothing refused by the test's preload: the SSRF guard stopped 169.254.169.254 before any connect.
    expect(log.filter((l) => !l.startsWith('connect '))).toEqual([]);
    expect(new Set(log.map((l) => l.slice('connect '.length)))).toEqual(new Set([MAIN, BRIEF, LONG]));
  });

  test('good RSS and Atom feeds are stored correctly alongside the hostile sources', () => {
    expect(outcome(u('/good.rss'))).toMatchObject({ ok: true, status: 200, items: 3 });
    expect(outcome(u('/good.atom'))).toMatchObject({ ok: true, status: 200, items: 2 });
    const rss = docsOf(u('/good.rss'));
    expect(rss.map((d) => [d.guid, d.title, d.url])).toEqual([
      ['good-rss-1', 'PyTorch 2.2 released', u('/posts/good-rss-1')],
      ['good-rss-2', 'TensorFlow 2.16 released', u('/posts/good-rss-2')],
      ['good-rss-3', 'JAX notes', u('/posts/good-rss-3')],
    ]);
    expect(rss[0]?.publishedAt?.toISOString()).toBe('2024-01-30T17:00:00.000Z');
    expect(rss[0]?.text).toContain('PyTorch 2.2 is out with FlashAttention-2.');
    const atom = docsOf(u('/good.atom'));
    expect(atom.map((d) => [d.guid, d.title])).toEqual([
      ['urn:good-atom:1', 'Keras 3 announced'],
      ['urn:good-atom:2', 'ONNX Runtime 1.17'],
    ]);
    expect(atom[1]?.publishedAt?.toISOString()).toBe('2024-02-01T00:00:00.000Z');
    expect(atom[0]?.text).toContain('Keras 3 runs on JAX, TensorFlow and PyTorch.');
    for (const url of [u('/good.rss'), u('/good.atom')]) {
      expect(source(url)).toMatchObject({ lastErrorCode: null, errorCount: 0, pausedAt: null });
      expect(fetchesOf(url)).toEqual([expect.objectContaining({ status: 200, errorCode: null })]);
    }
  });

  test('conditional GET: the 200 stores its validators', () => {
    expect(outcome(u('/conditional.xml'))).toMatchObject({ ok: true, status: 200, items: 2 });
    expect(source(u('/conditional.xml'))).toMatchObject({ etag: ETAG, lastModified: LAST_MODIFIED });
    expect(server.hits('/conditional.xml')[0]?.headers['if-none-match']).toBeUndefined();
  });

  test('a 301 moves the source to the new URL, a 302 does not; five redirects are followed', () => {
    expect(outcome(u('/moved.xml'))).toMatchObject({ ok: true, items: 1 });
    expect(source(u('/moved.xml')).url).toBe(u('/moved-target.xml'));
    expect(outcome(u('/temp.xml'))).toMatchObject({ ok: true, items: 1 });
    expect(source(u('/temp.xml')).url).toBe(u('/temp.xml'));
    expect(outcome(u('/five/0'))).toMatchObject({ ok: true, items: 1 });
    expect(source(u('/five/0')).url).toBe(u('/five/0'));
    expect(docsOf(u('/moved.xml')).map((d) => d.guid)).toEqual(['moved-1']);
    expect(docsOf(u('/temp.xml')).map((d) => d.guid)).toEqual(['temp-1']);
  });

  test('a redirect loop and a chain of six redirects are permanent redirect_loop errors', () => {
    for (const url of [u('/loop-a.xml'), u('/six/0')]) {
      expect(outcome(url)).toMatchObject({ ok: false, errorCode: 'redirect_loop' });
      expect(source(url)).toMatchObject({ lastErrorCode: 'redirect_loop', errorCount: 1 });
      expect(fetchesOf(url)).toHaveLength(1); // permanent: not retried
    }
    expect(outcome(u('/loop-a.xml'))?.error).toMatch(/redirect loop/);
    expect(outcome(u('/six/0'))?.error).toMatch(/more than 5 redirects/);
    expect(server.hits('/six/5')).toHaveLength(1);
    expect(server.hits('/six/6')).toHaveLength(0);
  });

  test('429 with Retry-After: 2 is retried after the wait and succeeds', () => {
    const url = u('/busy-briefly.xml', BRIEF);
    expect(outcome(url)).toMatchObject({ ok: true, status: 200, items: 1 });
    expect(fetchesOf(url).map((f) => [f.status, f.errorCode])).toEqual([
      [429, 'http_429'],
      [200, null],
    ]);
    const [a, b] = server.hits('/busy-briefly.xml', BRIEF);
    // A lower bound only (slowness can only lengthen it): the retry did not come before the server's 2 s.
    expect((b?.at ?? 0) - (a?.at ?? 0)).toBeGreaterThanOrEqual(1900);
    expect(source(url)).toMatchObject({ lastErrorCode: null, errorCount: 0 });
    expect(docsOf(url).map((d) => d.guid)).toEqual(['busy-1']);
  });

  test('429 with Retry-After: 7200 gives up at once and schedules the source after it', () => {
    const url = u('/busy-long.xml', LONG);
    expect(outcome(url)).toMatchObject({ ok: false, status: 429, errorCode: 'http_429' });
    expect(server.hits('/busy-long.xml', LONG)).toHaveLength(1);
    expect(fetchesOf(url)).toHaveLength(1);
    const s = source(url);
    expect(s).toMatchObject({ lastErrorCode: 'http_429', errorCount: 1, pausedAt: null });
    expect(s.lastError).toMatch(/7200 s/);
    // The poll interval is 60 s, so backoff alone would say 120 s: the 2 h come from Retry-After.
    const waitS = (Date.parse(s.nextFetchAt) - Date.parse(s.lastErrorAt ?? '')) / 1000;
    expect(waitS).toBeGreaterThanOrEqual(7200 - 1);
  });

  test('slow responses end as timeout after every attempt', () => {
    for (const [path, setting] of [
      ['/slow-headers.xml', 'FRAMELINE_CONNECT_TIMEOUT_MS'],
      ['/slow-body.xml', 'FRAMELINE_FETCH_TIMEOUT_MS'],
    ] as const) {
      expect(outcome(u(path))).toMatchObject({ ok: false, errorCode: 'timeout' });
      const rows = fetchesOf(u(path));
      expect(rows.length).toBeGreaterThan(1); // transient: retried
      expect(rows.every((f) => f.errorCode === 'timeout' && f.status === null)).toBe(true);
      expect(rows.length).toBe(server.hits(path).length);
      expect(source(u(path))).toMatchObject({ lastErrorCode: 'timeout', errorCount: 1 });
      expect(source(u(path)).lastError).toContain(setting);
    }
  });

  test('oversize bodies and a gzip bomb are body_too_large, refused once and not retried', () => {
    for (const path of ['/oversize-declared.xml', '/oversize-chunked.xml', '/bomb.xml']) {
      expect(outcome(u(path))).toMatchObject({ ok: false, errorCode: 'body_too_large' });
      expect(fetchesOf(u(path))).toHaveLength(1);
      expect(server.hits(path)).toHaveLength(1);
      expect(source(u(path)).lastError).toMatch(/256 KiB limit/);
    }
    expect(outcome(u('/bomb.xml'))?.error).toMatch(/decompressed body/);
  });

  test('wrong charsets: the feedparser order of precedence, with fallbacks when a declaration cannot decode', () => {
    // Header says UTF-8, which cannot decode these bytes: the prolog's windows-1251 is next and is right.
    expect(docsOf(u('/cp1251-header-utf8.xml')).map((d) => d.title)).toEqual([RUSSIAN_TITLE]);
    // Header says ISO-8859-1 and the prolog windows-1251. Under feedparser's precedence (RFC 3023) the HTTP
    // charset wins for application/*+xml, and ISO-8859-1 decodes any byte, so the title is the Latin-1
    // reading of the windows-1251 bytes, exactly what feedparser returns. See the report for this case.
    expect(docsOf(u('/cp1251-header-latin1.xml')).map((d) => d.title)).toEqual([
      windows1251(RUSSIAN_TITLE).toString('latin1'),
    ]);
    // A UTF-8 BOM beats a text/xml header that says ISO-8859-1.
    expect(docsOf(u('/bom-utf8.xml')).map((d) => d.title)).toEqual(['Zürich — “quoted” 日本語']);
    for (const path of ['/cp1251-header-utf8.xml', '/cp1251-header-latin1.xml', '/bom-utf8.xml']) {
      expect(outcome(u(path))).toMatchObject({ ok: true, items: 1 });
    }
  });

  test('HTML served as a feed is unparsable_feed, saying it is an HTML page', () => {
    const url = u('/html-as-feed.xml');
    expect(outcome(url)).toMatchObject({ ok: false, status: 200, errorCode: 'unparsable_feed' });
    expect(source(url)).toMatchObject({ lastErrorCode: 'unparsable_feed', errorCount: 1 });
    expect(source(url).lastError).toMatch(/HTML page/);
    expect(docsOf(url)).toEqual([]);
  });

  test('robots.txt: the disallowed path is never requested, another path on the host is fetched', () => {
    expect(outcome(u('/private/feed.xml'))).toMatchObject({ ok: false, errorCode: 'robots_disallowed' });
    expect(source(u('/private/feed.xml')).lastErrorCode).toBe('robots_disallowed');
    expect(server.hits('/private/feed.xml')).toHaveLength(0);
    expect(fetchesOf(u('/private/feed.xml'))).toHaveLength(1);
    expect(outcome(u('/public/feed.xml'))).toMatchObject({ ok: true, items: 1 });
    expect(docsOf(u('/public/feed.xml')).map((d) => d.guid)).toEqual(['public-1']);
    // robots.txt is fetched once per origin and cached for the crawl.
    expect(server.hits('/robots.txt', MAIN)).toHaveLength(1);
  });

  test('private addresses are refused: a host not allowed, and a redirect to the metadata address', () => {
    for (const url of [u('/feed.xml', TRAP), ipv6Loopback(), u('/to-metadata.xml')]) {
      expect(outcome(url)).toMatchObject({ ok: false, errorCode: 'blocked_address' });
      expect(source(url)).toMatchObject({ lastErrorCode: 'blocked_address', errorCount: 1 });
      expect(fetchesOf(url)).toHaveLength(1);
    }
    // Nothing reached the trap host, not even for robots.txt.
    expect(server.requests.filter((r) => r.host === TRAP)).toEqual([]);
    expect(source(u('/to-metadata.xml')).lastError).toContain('169.254.169.254');
    expect(server.hits('/to-metadata.xml')).toHaveLength(1);
  });

  test('every fetch attempt is a row in fetches with its status or error; no duplicate documents', () => {
    for (const row of afterFirst.fetches) {
      if (row.errorCode === null) expect(row.status, JSON.stringify(row)).toBeTypeOf('number');
      else expect(row.error, JSON.stringify(row)).toBeTruthy();
    }
    // One row per request that reached the server at the source's own URL (robots.txt and later redirect
    // hops are not fetches of their own).
    for (const [path, host] of [
      ['/good.rss', MAIN],
      ['/good.atom', MAIN],
      ['/conditional.xml', MAIN],
      ['/moved.xml', MAIN],
      ['/temp.xml', MAIN],
      ['/five/0', MAIN],
      ['/loop-a.xml', MAIN],
      ['/six/0', MAIN],
      ['/busy-briefly.xml', BRIEF],
      ['/busy-long.xml', LONG],
      ['/slow-headers.xml', MAIN],
      ['/slow-body.xml', MAIN],
      ['/html-as-feed.xml', MAIN],
      ['/cp1251-header-latin1.xml', MAIN],
      ['/to-metadata.xml', MAIN],
    ] as const) {
      expect(fetchesOf(u(path, host)).length, path).toBe(server.hits(path, host).length);
    }
    const expected = {
      '/good.rss': 3,
      '/good.atom': 2,
      '/conditional.xml': 2,
      '/moved.xml': 1,
      '/temp.xml': 1,
      '/five/0': 1,
      '/cp1251-header-utf8.xml': 1,
      '/cp1251-header-latin1.xml': 1,
      '/bom-utf8.xml': 1,
      '/public/feed.xml': 1,
    };
    for (const [path, n] of Object.entries(expected)) expect(docsOf(u(path)).length, path).toBe(n);
    expect(docsOf(u('/busy-briefly.xml', BRIEF))).toHaveLength(1);
    expect(afterFirst.docs).toHaveLength(Object.values(expected).reduce((a, b) => a + b, 0) + 1);
    expect(first.documents).toEqual({ new: afterFirst.docs.length, updated: 0, unchanged: 0 });
    const keys = afterFirst.docs.map((d) => `${d.sourceId}/${d.guid}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('a second crawl sends the validators, the 304 changes nothing, and no documents are added', async () => {
    const before = server.hits('/conditional.xml').length;
    const movedBefore = server.hits('/moved.xml').length;
    const second = await crawl('--force', '--tag', 'steady');
    const after = await snapshot(second.crawlId);

    const requests = server.hits('/conditional.xml').slice(before);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.headers['if-none-match']).toBe(ETAG);
    expect(requests[0]?.headers['if-modified-since']).toBe(LAST_MODIFIED);
    const cond = second.sources.find((s) => Number(s.sourceId) === id(u('/conditional.xml')));
    expect(cond).toMatchObject({ ok: true, notModified: true, status: 304, items: 0 });
    const condSource = after.sources.find((s) => Number(s.id) === id(u('/conditional.xml')));
    // Healthy, and still holding the 200's validators, not those the 304 carried.
    expect(condSource).toMatchObject({
      lastErrorCode: null,
      errorCount: 0,
      etag: ETAG,
      lastModified: LAST_MODIFIED,
    });
    expect(after.fetches.filter((f) => f.sourceId === id(u('/conditional.xml')))).toEqual([
      expect.objectContaining({ status: 304, notModified: true, errorCode: null }),
    ]);

    // Only the steady sources were crawled, all fine; nothing new or changed anywhere.
    expect(new Set(second.sources.map((s) => Number(s.sourceId)))).toEqual(
      new Set(STEADY.map((p) => id(u(p)))),
    );
    expect(second.sources.filter((s) => !s.ok)).toEqual([]);
    expect(second.documents).toEqual({ new: 0, updated: 0, unchanged: afterFirst.docs.length - 1 - 2 });
    expect(after.docs).toEqual(afterFirst.docs);
    // The moved source now goes straight to its new URL.
    expect(server.hits('/moved.xml')).toHaveLength(movedBefore);
    expect(after.fetches.find((f) => f.sourceId === id(u('/moved.xml')))?.url).toBe(u('/moved-target.xml'));
  });
});
