import { readFile, writeFile } from 'node:fs/promises';
import { ARTICLE_MODES, type ArticleMode, SOURCE_KINDS, type SourceKind } from '@frameline/core';
import type { Runtime } from '@frameline/pipeline';
import type { Command } from 'commander';
import { note, out, parseIntOption, UsageError, withRuntime } from '../run.js';

/** Commander option parser for a repeatable option: `--tag a --tag b` → ['a', 'b']. */
function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function checkUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`"${raw}" is not a URL (expected e.g. https://pytorch.org/feed.xml)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`"${raw}" must be an http or https URL`);
  }
  return url.toString();
}

/** `--selector item=article.post --selector title=h2` → { item: 'article.post', title: 'h2' }. */
function parseSelectors(pairs: string[] | undefined): Record<string, string> | null {
  if (!pairs || pairs.length === 0) return null;
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = pair.slice(0, eq).trim();
    if (eq < 1 || !['item', 'title', 'link', 'date', 'summary'].includes(key)) {
      throw new UsageError(
        `--selector takes item=, title=, link=, date= or summary= followed by a CSS selector; got "${pair}"`,
      );
    }
    out[key] = pair.slice(eq + 1).trim();
  }
  if (!out.item) throw new UsageError('--selector item=<css> is required when selectors are given');
  return out;
}

function articleMode(value: string): ArticleMode {
  if (!(ARTICLE_MODES as readonly string[]).includes(value))
    throw new UsageError(`--articles must be one of ${ARTICLE_MODES.join(', ')}, got "${value}"`);
  return value as ArticleMode;
}

function intervalOption(value: string): number {
  const n = parseIntOption('--interval')(value);
  if (n < 60) throw new UsageError('--interval must be at least 60 seconds');
  return n;
}

/** The options `sources add` and `sources import` share: linked pages, and a fixed poll interval. */
function pollingOptions(command: Command): Command {
  return command
    .option(
      '--articles <mode>',
      `fetch items' linked pages: ${ARTICLE_MODES.join(', ')}`,
      articleMode,
      'auto',
    )
    .option(
      '--interval <seconds>',
      'a fixed poll interval in seconds, min 60 (default: as often as the source posts)',
      intervalOption,
    );
}

interface AddFlags {
  name?: string;
  kind?: string;
  tag?: string[];
  selector?: string[];
  articles: ArticleMode;
  interval?: number;
  discover: boolean;
  json?: boolean;
}

async function addOne(rt: Runtime, rawUrl: string, o: AddFlags, selectors: Record<string, string> | null) {
  let url = rawUrl;
  let name = o.name ?? null;
  let kind = (o.kind ?? (selectors ? 'html' : 'feed')) as SourceKind;
  // Discovery only for plain feed sources: an html source is the page itself, read with selectors.
  if (o.discover && kind === 'feed') {
    const { discoverSource } = await import('@frameline/pipeline');
    const found = await discoverSource(rawUrl, rt.fetchOptions);
    if (found.format === 'ical' || found.format === 'sitemap') kind = found.format;
    if (found.how !== 'given') {
      note(
        `${rawUrl} is a page: using the feed ${found.how === 'link' ? 'it declares' : 'found at a common path'}, ${found.url}`,
      );
      for (const alt of found.alternatives) note(`  (it also declares ${alt})`);
    }
    url = found.url;
    name ??= found.title;
  }
  const { addSource } = await import('@frameline/store');
  return addSource(rt.store.sql, {
    url,
    kind,
    name,
    tags: o.tag ?? [],
    selectors,
    articleMode: o.articles,
    ...(o.interval === undefined ? {} : { pollIntervalS: o.interval }),
  });
}

export function sourcesCommand(program: Command): void {
  const sources = program.command('sources').description('manage the feeds and pages frameline polls');

  pollingOptions(sources.command('add <url...>'))
    .description('add sources: a feed URL, or a site URL whose feed is discovered')
    .option('--name <name>', 'a display name (with a single URL; default: the feed title)')
    .option('--kind <kind>', `one of ${SOURCE_KINDS.join(', ')} (default: feed, or html with --selector)`)
    .option('--tag <tag>', 'a tag (repeat for more)', collect, [])
    .option(
      '--selector <key=css>',
      'for HTML pages with no feed: item=, title=, link=, date=, summary= (repeat)',
      collect,
      [],
    )
    .option('--no-discover', 'add the URL as given, without fetching it to find the feed')
    .option('--json', 'print each source as a JSON line')
    .action(async (rawUrls: string[], o: AddFlags) => {
      const urls = rawUrls.map(checkUrl);
      if (o.name && urls.length > 1) throw new UsageError('--name goes with a single URL');
      if (o.kind && !(SOURCE_KINDS as readonly string[]).includes(o.kind)) {
        throw new UsageError(`--kind must be one of ${SOURCE_KINDS.join(', ')}, got "${o.kind}"`);
      }
      const selectors = parseSelectors(o.selector);
      if (o.kind === 'html' && !selectors) throw new UsageError('--kind html needs --selector item=<css>');
      await withRuntime(async (rt) => {
        for (const url of urls) {
          const { source, created } = await addOne(rt, url, o, selectors);
          if (o.json) out(JSON.stringify({ created, source }));
          else
            out(
              created
                ? `added source ${source.id}: ${source.url}`
                : `source ${source.id} already exists: ${source.url}`,
            );
        }
      });
    });

  sources
    .command('list')
    .description('list sources with their state and last error')
    .option('--json', 'print JSON lines')
    .action(async (o: { json?: boolean }) => {
      const { listSources } = await import('@frameline/store');
      await withRuntime(async (rt) => {
        const rows = await listSources(rt.store.sql);
        if (o.json) {
          for (const row of rows) out(JSON.stringify(row));
          return;
        }
        if (rows.length === 0)
          return out('no sources yet: `frameline sources add <url>`, or `frameline crawl` for the defaults');
        for (const s of rows) {
          const state = s.pausedAt ? 'paused' : s.lastErrorCode ? 'failing' : s.lastOkAt ? 'ok' : 'new';
          const tags = s.tags.length > 0 ? ` [${s.tags.join(', ')}]` : '';
          out(`${String(s.id).padStart(4)}  ${state.padEnd(7)} ${s.name ?? s.feedTitle ?? s.url}${tags}`);
          out(
            `        ${s.url}  (${s.kind}, ${s.documents} documents, every ${s.pollIntervalS}s${s.adaptive ? ' as it posts' : ' fixed'}, next ${s.nextFetchAt.toISOString()})`,
          );
          if (s.lastError) out(`        last error (${s.errorCount}x): ${s.lastError}`);
        }
      });
    });

  sources
    .command('remove <idOrUrl>')
    .description('remove a source and its documents')
    .action(async (idOrUrl: string) => {
      const { removeSource } = await import('@frameline/store');
      await withRuntime(async (rt) => {
        const removed = await removeSource(rt.store.sql, idOrUrl);
        if (!removed)
          throw new UsageError(`no source with id or URL "${idOrUrl}" (see \`frameline sources list\`)`);
        out(`removed source ${removed.id}: ${removed.url}`);
      });
    });

  sources
    .command('resume <id>')
    .description('unpause a source paused after repeated failures, and make it due now')
    .action(async (id: string) => {
      const { resumeSource } = await import('@frameline/store');
      await withRuntime(async (rt) => {
        if (!/^\d+$/.test(id) || !(await resumeSource(rt.store.sql, Number(id)))) {
          throw new UsageError(`no source with id "${id}"`);
        }
        out(`source ${id} resumed`);
      });
    });

  pollingOptions(sources.command('import <fileOrUrl>'))
    .description('add every feed of an OPML subscription list (a file or a URL)')
    .option(
      '--tag <tag>',
      'a tag for every imported source, repeatable (OPML categories are added too)',
      collect,
      [],
    )
    .action(async (fileOrUrl: string, o: { tag?: string[]; articles: ArticleMode; interval?: number }) => {
      const { fetchUrl } = await import('@frameline/fetch');
      const { parseOpml } = await import('@frameline/parse');
      const { addSource } = await import('@frameline/store');
      await withRuntime(async (rt) => {
        let text: string;
        if (/^https?:\/\//i.test(fileOrUrl)) {
          const res = await fetchUrl(fileOrUrl, null, rt.fetchOptions);
          text = Buffer.from(res.body).toString('utf8');
        } else {
          text = await readFile(fileOrUrl, 'utf8').catch((err: NodeJS.ErrnoException) => {
            throw new UsageError(
              `cannot read ${fileOrUrl}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`,
            );
          });
        }
        const opml = parseOpml(text);
        let added = 0;
        for (const outline of opml.outlines) {
          const { created } = await addSource(rt.store.sql, {
            url: outline.url,
            name: outline.title,
            tags: [...(o.tag ?? []), ...outline.category],
            articleMode: o.articles,
            ...(o.interval === undefined ? {} : { pollIntervalS: o.interval }),
          });
          if (created) added++;
        }
        out(
          `imported ${opml.outlines.length} feeds from ${fileOrUrl}: ${added} new, ${opml.outlines.length - added} already there`,
        );
      });
    });

  sources
    .command('export')
    .description('write every source as an OPML subscription list')
    .option('--file <path>', 'write to a file instead of stdout')
    .action(async (o: { file?: string }) => {
      const { toOpml } = await import('@frameline/parse');
      const { listSources } = await import('@frameline/store');
      await withRuntime(async (rt) => {
        const rows = await listSources(rt.store.sql);
        const opml = toOpml(rows.map((s) => ({ url: s.url, name: s.name ?? s.feedTitle, tags: s.tags })));
        if (o.file) {
          await writeFile(o.file, opml);
          out(`wrote ${rows.length} sources to ${o.file}`);
        } else process.stdout.write(opml);
      });
    });
}
