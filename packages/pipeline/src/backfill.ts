import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { extractArticle } from '@frameline/article';
import { describeError, type FeedItem, type ParsedFeed, toError } from '@frameline/core';
import { type FetchResult, fetchUrl } from '@frameline/fetch';
import { decodeBody, feedPaging, htmlContentType, parseFeed, wordpressPage } from '@frameline/parse';
import { crawlSummary, type DocumentInput, recordFetch, recordParse, type SourceRow } from '@frameline/store';
import { type Enqueue, fetchOptionsFor, type JobFailure } from './context.js';
import { newCrawlId } from './crawl.js';
import { canonicalizeUrl, itemGuid, itemTime } from './items.js';
import { openLane } from './lane.js';
import type { Runtime } from './runtime.js';
import { storeDocuments } from './stages/parse.js';

/** Feed pages and sitemap files read per backfill, unless told otherwise: a bound on a runaway archive. */
const MAX_PAGES = 1_000;
/** Sitemap indexes nest; deeper than this is a loop or a trap. */
const MAX_SITEMAP_DEPTH = 3;
/** Saved files a folder backfill reads as pages or feeds. */
const PAGE_FILES = new Set(['.html', '.htm', '.xhtml']);
const FEED_FILES = new Set(['.xml', '.rss', '.atom', '.json']);

export interface BackfillOptions {
  /** Only posts dated on or after this (undated ones are kept: their page may date them). */
  since?: Date | null;
  /** Read these sitemaps; left out, the site's are found (robots.txt `Sitemap:`, else /sitemap.xml). */
  sitemaps?: string[] | null;
  /** Do not read sitemaps at all (the feed's archive only). */
  noSitemaps?: boolean;
  /** Do not walk the feed's archive (sitemaps or folder only). */
  noFeed?: boolean;
  /** A local folder of saved pages (and saved feed files) to read instead of, or besides, the web. */
  folder?: string | null;
  /** At most this many feed pages and sitemap files (each). */
  maxPages?: number;
  signal?: AbortSignal;
  /** Told what is being read, for people watching. */
  onProgress?: (message: string) => void;
}

export interface BackfillReport {
  backfillId: string;
  source: { id: number; url: string };
  mode: 'in-process' | 'bullmq';
  /** Feed pages read, and how they were found (`first`, `prev-archive`, `next`, `paged`). */
  feedPages: { url: string; via: string; items: number }[];
  sitemapFiles: number;
  /** Pages listed by sitemaps and queued for fetching (those not already stored for the source). */
  sitemapPages: number;
  folderFiles: number;
  documents: { new: number; updated: number; unchanged: number };
  announcements: number;
  /** Documents of this backfill by where their date came from (`none` for undated ones). */
  datedFrom: Record<string, number>;
  /** Pages and files that could not be read, with why. */
  errors: { url: string; error: string }[];
  failures: JobFailure[];
  durationMs: number;
}

interface Walk {
  rt: Runtime;
  source: SourceRow;
  backfillId: string;
  enqueue: Enqueue;
  opts: BackfillOptions;
  report: BackfillReport;
}

/**
 * Read a source's past posts through the same stages as live polling, on the bulk lane (behind live work):
 * the feed's archive (RFC 5005 `prev-archive` links, paged feeds' `next`, JSON Feed's `next_url`, WordPress's
 * `?paged=N`), the site's XML sitemaps (each listed page fetched and read as an article), and a local folder
 * of saved pages. Documents are dated from the feed, or else from the page (JSON-LD, meta tags, `<time>`),
 * each recording where its date came from; never from the time of the backfill. Idempotent: run again, it
 * stores nothing twice.
 */
export async function backfill(
  rt: Runtime,
  source: SourceRow,
  opts: BackfillOptions = {},
): Promise<BackfillReport> {
  const started = performance.now();
  const backfillId = `b${newCrawlId().slice(1)}`;
  const lane = await openLane(rt, backfillId, { signal: opts.signal });
  const report: BackfillReport = {
    backfillId,
    source: { id: source.id, url: source.url },
    mode: lane.mode,
    feedPages: [],
    sitemapFiles: 0,
    sitemapPages: 0,
    folderFiles: 0,
    documents: { new: 0, updated: 0, unchanged: 0 },
    announcements: 0,
    datedFrom: {},
    errors: [],
    failures: [],
    durationMs: 0,
  };
  const walk: Walk = { rt, source, backfillId, enqueue: lane.enqueue, opts, report };
  try {
    let siteLink: string | null = null;
    if (!opts.noFeed && !opts.folder) siteLink = await walkFeed(walk);
    if (!opts.noSitemaps && !opts.folder) await readSitemaps(walk, siteLink);
    if (opts.folder) await readFolder(walk, opts.folder);
    report.failures = await lane.wait();
  } finally {
    await lane.close();
  }
  const summary = await crawlSummary(rt.store.sql, backfillId);
  report.documents = summary.documents;
  report.announcements = summary.announcements;
  report.datedFrom = await datedFrom(rt, backfillId);
  report.durationMs = Math.round(performance.now() - started);
  return report;
}

function stopped(walk: Walk): boolean {
  return walk.opts.signal?.aborted ?? false;
}

/** Fetch one URL on the source's behalf (its allowance, the shared politeness and robots.txt). */
function fetchFor(walk: Walk, url: string): Promise<FetchResult> {
  return fetchUrl(url, null, {
    ...fetchOptionsFor(walk.rt.fetchOptions, walk.source),
    signal: walk.opts.signal,
  });
}

/**
 * Walk the feed's archive page by page, handing each page to the parse stage; returns the site's link (for
 * finding its sitemaps). Stops at the end of the archive, at a page with nothing new (a `?paged=N` past the
 * last page), at a page that reaches back past `since`, or after `maxPages`.
 */
async function walkFeed(walk: Walk): Promise<string | null> {
  const { rt, source, report, opts } = walk;
  const max = opts.maxPages ?? MAX_PAGES;
  const since = opts.since?.getTime() ?? null;
  const seenGuids = new Set<string>();
  const visited = new Set<string>();
  let siteLink: string | null = null;
  let next: { url: string; via: string } | null = { url: source.url, via: 'first' };
  let wordpress = false;
  let paged = 1;
  while (next && report.feedPages.length < max && !stopped(walk)) {
    const { url, via } = next;
    next = null;
    visited.add(url);
    opts.onProgress?.(`feed page ${report.feedPages.length + 1}: ${url}`);
    let res: FetchResult;
    try {
      res = await fetchFor(walk, url);
    } catch (err) {
      // A probe of `?paged=N` that the site does not serve is the end of the archive, not an error.
      if (via !== 'paged' || wordpress) report.errors.push({ url, error: describeError(err) });
      break;
    }
    const fetchId = await recordPage(walk, {
      url: res.url,
      status: res.status,
      durationMs: res.durationMs,
      contentType: res.contentType,
      body: res.body,
    });
    let feed: ParsedFeed;
    try {
      feed = await parseFeed(res.body, { url: res.url, contentType: res.contentType });
    } catch (thrown) {
      const error = `${res.url}: ${describeError(toError(thrown))}`;
      await recordParse(rt.store.sql, fetchId, { errorCode: 'unparsable_feed', error });
      if (via !== 'paged' || wordpress) report.errors.push({ url, error });
      break;
    }
    const fresh = feed.items.map(itemGuid).filter((g) => !seenGuids.has(g));
    if (via === 'paged' && fresh.length === 0) break;
    for (const g of fresh) seenGuids.add(g);
    report.feedPages.push({ url: res.url, via, items: feed.items.length });
    await queueParse(walk, fetchId);
    siteLink ??= feed.link;
    // Archive pages go back in time: once a page reaches past `since`, the pages before it hold nothing newer.
    if (since !== null && feed.items.some((item) => (itemTime(item) ?? since) < since)) break;
    const paging = feedPaging(res.body, res.contentType, res.url);
    if (via === 'first') wordpress = paging.wordpress;
    const linked = paging.prevArchive
      ? { url: paging.prevArchive, via: 'prev-archive' }
      : paging.next
        ? { url: paging.next, via: 'next' }
        : null;
    if (linked && !visited.has(linked.url)) next = linked;
    else if (!linked && (via === 'first' || via === 'paged') && feed.items.length > 0) {
      // No archive links: try WordPress's `?paged=N`, which many blogs serve whatever their generator says.
      paged++;
      next = { url: wordpressPage(source.url, paged), via: 'paged' };
    }
  }
  return siteLink;
}

/** Keep a page of the source's history (fetched, or read from a file) as a fetch of this backfill. */
function recordPage(
  walk: Walk,
  page: {
    url: string;
    status: number | null;
    durationMs: number;
    contentType: string | null;
    body: Uint8Array;
  },
): Promise<number> {
  return recordFetch(walk.rt.store.sql, {
    sourceId: walk.source.id,
    crawlId: walk.backfillId,
    ...page,
    notModified: false,
    bytes: page.body.length,
    etag: null,
    lastModified: null,
    errorCode: null,
    error: null,
  });
}

/** Hand a kept page to the parse stage, on the bulk lane, with the backfill's `since`. */
function queueParse(walk: Walk, fetchId: number): Promise<void> {
  return walk.enqueue('parse', {
    fetchId,
    sourceId: walk.source.id,
    crawlId: walk.backfillId,
    bulk: true,
    since: walk.opts.since?.toISOString() ?? null,
  });
}

/** The site's sitemaps: the ones asked for, else robots.txt's `Sitemap:` lines, else `/sitemap.xml`. */
async function sitemapUrls(walk: Walk, siteLink: string | null): Promise<string[]> {
  if (walk.opts.sitemaps && walk.opts.sitemaps.length > 0) return walk.opts.sitemaps;
  const origin = new URL(siteLink ?? walk.source.url).origin;
  // robots.txt as the fetches' own robots check has it (cached, fetched once per origin).
  const { robots, allowHosts } = fetchOptionsFor(walk.rt.fetchOptions, walk.source);
  const listed = (await robots?.sitemaps?.(`${origin}/`, { allowHosts: allowHosts ?? [] })) ?? [];
  return listed.length > 0 ? listed : [`${origin}/sitemap.xml`];
}

/** Same site: the host, with or without `www.`. */
function sameSite(a: string, b: string): boolean {
  const host = (u: string) => new URL(u).hostname.replace(/^www\./, '');
  try {
    return host(a) === host(b);
  } catch {
    return false;
  }
}

/**
 * Read the site's sitemaps (indexes followed, to a bounded depth) and queue every listed page of the site
 * not yet stored for the source: a document is made for it (dated only by a Google News publication date;
 * `lastmod` is kept as its update time, not its date) and the article stage fetches it, which dates it from
 * the page and tags its text.
 */
async function readSitemaps(walk: Walk, siteLink: string | null): Promise<void> {
  const { rt, source, report, opts } = walk;
  const max = opts.maxPages ?? MAX_PAGES;
  const since = opts.since?.getTime() ?? null;
  const site = siteLink ?? source.url;
  const queue = (await sitemapUrls(walk, siteLink)).map((url) => ({ url, depth: 0 }));
  const visited = new Set<string>();
  const pages = new Map<string, FeedItem>();
  while (queue.length > 0 && report.sitemapFiles < max && !stopped(walk)) {
    const { url, depth } = queue.shift() as { url: string; depth: number };
    if (visited.has(url)) continue;
    visited.add(url);
    opts.onProgress?.(`sitemap ${report.sitemapFiles + 1}: ${url}`);
    let feed: ParsedFeed;
    try {
      const res = await fetchFor(walk, url);
      feed = await parseFeed(res.body, { url: res.url, contentType: res.contentType });
    } catch (err) {
      report.errors.push({ url, error: describeError(err) });
      continue;
    }
    report.sitemapFiles++;
    if (feed.format !== 'sitemap') {
      report.errors.push({ url, error: `${url}: not a sitemap (a ${feed.format} document)` });
      continue;
    }
    for (const item of feed.items) {
      const lastmod = item.updated ? Date.parse(item.updated) : null;
      if (!item.link || (since !== null && lastmod !== null && lastmod < since)) continue;
      if (feed.version === 'sitemapindex') {
        if (depth + 1 <= MAX_SITEMAP_DEPTH) queue.push({ url: item.link, depth: depth + 1 });
      } else if (sameSite(item.link, site) && new URL(item.link).pathname.length > 1) {
        pages.set(canonicalizeUrl(item.link) ?? item.link, item);
      }
    }
  }
  const known = await rt.store.sql<{ url: string }[]>`
    select canonical_url as url from documents
    where source_id = ${source.id} and canonical_url = any(${rt.store.sql.array([...pages.keys()])})`;
  for (const { url } of known) pages.delete(url);
  const docs: DocumentInput[] = [...pages].map(([canonical, item]) => ({
    guid: canonical,
    url: item.link,
    canonicalUrl: canonical,
    title: item.title,
    author: null,
    publishedAt: item.published,
    publishedFrom: item.published ? 'sitemap:news' : null,
    updatedAt: item.updated,
    updatedFrom: item.updated ? 'sitemap:lastmod' : null,
    html: null,
    text: '',
  }));
  report.sitemapPages = docs.length;
  await storeFound(walk, docs, () => true);
}

/** Every file under `dir`, depth first, in name order. */
async function* filesUnder(dir: string): AsyncGenerator<string> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* filesUnder(path);
    else if (e.isFile()) yield path;
  }
}

/**
 * Read a folder of saved pages: each HTML file is a document (its main text, title, author and date read
 * from the page, its id the page's canonical URL or else its path in the folder), each saved feed file goes
 * to the parse stage like a fetched feed page.
 */
async function readFolder(walk: Walk, folder: string): Promise<void> {
  const { report, opts } = walk;
  const since = opts.since?.getTime() ?? null;
  const docs: DocumentInput[] = [];
  for await (const path of filesUnder(folder)) {
    if (stopped(walk)) break;
    const ext = extname(path).toLowerCase();
    if (!PAGE_FILES.has(ext) && !FEED_FILES.has(ext)) continue;
    report.folderFiles++;
    const name = relative(folder, path);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (err) {
      report.errors.push({ url: path, error: describeError(err) });
      continue;
    }
    if (FEED_FILES.has(ext)) {
      const fetchId = await recordPage(walk, {
        url: `file:${name}`,
        status: null,
        durationMs: 0,
        contentType: null,
        body: bytes,
      });
      await queueParse(walk, fetchId);
      continue;
    }
    const html = decodeBody(bytes, htmlContentType(null)).text;
    const article = extractArticle(html, null);
    if (!article.text.trim()) {
      report.errors.push({ url: path, error: `${path}: no article text found in the page` });
      continue;
    }
    if (since !== null && article.published !== null && Date.parse(article.published) < since) continue;
    const canonical = canonicalizeUrl(article.canonicalUrl);
    docs.push({
      guid: canonical ?? `file:${name}`,
      url: canonical,
      canonicalUrl: canonical,
      title: article.title,
      author: article.byline,
      publishedAt: article.published,
      publishedFrom: article.published ? `page:${article.publishedFrom}` : null,
      updatedAt: null,
      html: article.html,
      text: article.text,
    });
  }
  await storeFound(walk, docs, () => false);
}

/**
 * Store documents the backfill found itself (sitemap pages, saved pages) through the parse stage's own
 * storing, on the bulk lane; `wantsArticle` says whether each still needs its page fetched.
 */
async function storeFound(walk: Walk, docs: DocumentInput[], wantsArticle: () => boolean): Promise<void> {
  const ctx = { sql: walk.rt.store.sql, ruleSet: walk.rt.ruleSet, enqueue: walk.enqueue, log: walk.rt.log };
  await storeDocuments(ctx, docs, {
    sourceId: walk.source.id,
    crawlId: walk.backfillId,
    bulk: true,
    extractNow: false,
    wantsArticle,
  });
}

async function datedFrom(rt: Runtime, backfillId: string): Promise<Record<string, number>> {
  const rows = await rt.store.sql<{ from: string | null; n: number }[]>`
    select published_from as from, count(*)::int as n from documents
    where changed_crawl_id = ${backfillId} group by 1 order by 2 desc`;
  return Object.fromEntries(rows.map((r) => [r.from ?? 'none', r.n]));
}
