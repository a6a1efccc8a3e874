import { describeError, type ParsedFeed, PermanentError } from '@frameline/core';
import { type FetchOptions, fetchUrl } from '@frameline/fetch';
import { COMMON_FEED_PATHS, decodeBody, discoverFeeds, htmlContentType, parseFeed } from '@frameline/parse';

/** What `sources add <site-url>` found, and how. */
export interface Discovery {
  url: string;
  title: string | null;
  format: ParsedFeed['format'];
  /** `given`: the URL is a feed; `link`: the page declares it; `path`: found at a common feed path. */
  how: 'given' | 'link' | 'path';
  /** Other feeds the page declared, for the user to pick instead. */
  alternatives: string[];
}

type Read = { feed: ParsedFeed; url: string } | { html: string; url: string };

/** Fetch a URL and read it as a feed, or, when it is not one, as a page to look for feed links in. */
async function readFeedOrPage(url: string, opts: FetchOptions): Promise<Read> {
  const res = await fetchUrl(url, null, opts);
  try {
    return { feed: await parseFeed(res.body, { url: res.url, contentType: res.contentType }), url: res.url };
  } catch (err) {
    if (!(err instanceof PermanentError)) throw err;
    return { html: decodeBody(res.body, htmlContentType(res.contentType)).text, url: res.url };
  }
}

/** A candidate feed URL: read it, or null when it cannot be fetched (the next candidate is tried). */
async function tryFeed(url: string, opts: FetchOptions): Promise<Read | null> {
  return readFeedOrPage(url, opts).catch(() => null);
}

/**
 * Find the feed for a URL: the URL itself if it is a feed, else the first feed its page declares with
 * `<link rel="alternate">` that parses, else the first common feed path (/feed, /rss.xml, ...) that parses.
 */
export async function discoverSource(url: string, opts: FetchOptions): Promise<Discovery> {
  let first: Read;
  try {
    first = await readFeedOrPage(url, opts);
  } catch (err) {
    throw new Error(`cannot read ${url}: ${describeError(err)}`, { cause: err });
  }
  if ('feed' in first) {
    return {
      url: first.url,
      title: first.feed.title,
      format: first.feed.format,
      how: 'given',
      alternatives: [],
    };
  }
  const declared = discoverFeeds(first.html, first.url);
  for (const candidate of declared) {
    const found = await tryFeed(candidate.url, opts);
    if (found && 'feed' in found) {
      return {
        url: found.url,
        title: found.feed.title ?? candidate.title,
        format: found.feed.format,
        how: 'link',
        alternatives: declared.map((d) => d.url).filter((u) => u !== candidate.url),
      };
    }
  }
  for (const path of COMMON_FEED_PATHS) {
    const candidate = new URL(path, first.url).toString();
    const found = await tryFeed(candidate, opts);
    if (found && 'feed' in found) {
      return {
        url: found.url,
        title: found.feed.title,
        format: found.feed.format,
        how: 'path',
        alternatives: [],
      };
    }
  }
  throw new Error(
    `${url} is a page, not a feed, and declares no feed (no <link rel="alternate">) that could be read; ` +
      `none of ${COMMON_FEED_PATHS.length} common feed paths answered with a feed either. ` +
      'Add the feed URL itself, or add the page with --kind html and --selector item=<css> to read it as a list.',
  );
}
