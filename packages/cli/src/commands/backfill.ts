import type { BackfillReport } from '@frameline/pipeline';
import type { Command } from 'commander';
import { note, out, parseIntOption, UsageError, withRuntime } from '../run.js';
import { dateFlag } from './timeline.js';

interface BackfillFlags {
  since?: Date;
  sitemap?: string[];
  sitemaps: boolean;
  feed: boolean;
  folder?: string;
  maxPages?: number;
  json?: boolean;
}

export function backfillCommand(program: Command): void {
  program
    .command('backfill')
    .argument('<source>', 'the source (id, feed URL or name) whose history to read')
    .description(
      "read a source's past posts (its feed's archive pages, its site's sitemaps, or a folder of saved pages) through the pipeline, behind live polling",
    )
    .option('--since <date>', 'only posts dated on or after this date', dateFlag('--since'))
    .option(
      '--sitemap <url>',
      "read this sitemap (repeatable; default: the site's robots.txt Sitemap lines, else /sitemap.xml)",
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option('--no-sitemaps', 'do not read sitemaps')
    .option('--no-feed', "do not walk the feed's archive pages")
    .option(
      '--folder <dir>',
      'read saved pages (.html) and feed files (.xml, .json) from this folder instead of the web',
    )
    .option(
      '--max-pages <n>',
      'at most this many feed pages and sitemap files (default 1000)',
      parseIntOption('--max-pages'),
    )
    .option('--json', 'print the report as JSON')
    .action(async (sourceArg: string, o: BackfillFlags) => {
      const { backfill } = await import('@frameline/pipeline');
      const { findSource } = await import('@frameline/store');
      await withRuntime(async (rt, signal) => {
        const source = await findSource(rt.store.sql, sourceArg);
        if (!source) throw new UsageError(`no source "${sourceArg}" (see \`frameline sources list\`)`);
        const report = await backfill(rt, source, {
          since: o.since ?? null,
          sitemaps: o.sitemap ?? null,
          noSitemaps: !o.sitemaps,
          noFeed: !o.feed,
          folder: o.folder ?? null,
          ...(o.maxPages ? { maxPages: o.maxPages } : {}),
          signal,
          ...(process.stderr.isTTY && !o.json ? { onProgress: (m: string) => note(`backfill: ${m}`) } : {}),
        });
        if (o.json) out(JSON.stringify(report));
        else printReport(report);
        if (report.failures.length > 0) process.exitCode = 1;
      });
    });
}

function printReport(r: BackfillReport): void {
  out(`backfill ${r.backfillId} of ${r.source.url} (${r.mode}, ${(r.durationMs / 1000).toFixed(1)} s)`);
  const via = new Map<string, number>();
  for (const p of r.feedPages) via.set(p.via, (via.get(p.via) ?? 0) + 1);
  const ways = [...via].map(([v, n]) => `${n} ${v}`).join(', ');
  out(`  feed pages: ${r.feedPages.length}${ways ? ` (${ways})` : ''}`);
  out(`  sitemaps: ${r.sitemapFiles} read, ${r.sitemapPages} pages queued`);
  if (r.folderFiles > 0) out(`  folder: ${r.folderFiles} files`);
  out(
    `  documents: ${r.documents.new} new, ${r.documents.updated} updated, ${r.documents.unchanged} unchanged; ${r.announcements} announcements`,
  );
  const dates = Object.entries(r.datedFrom)
    .map(([from, n]) => `${n} ${from}`)
    .join(', ');
  if (dates) out(`  dated from: ${dates}`);
  for (const e of r.errors) out(`  could not read ${e.url}: ${e.error}`);
  for (const f of r.failures) out(`  job ${f.queue}/${f.jobId} failed: ${f.error}`);
}
