import type { CrawlResult } from '@frameline/pipeline';
import type { Sql } from '@frameline/store';
import type { Command } from 'commander';
import { DEMO_PORT, type DemoServer, startDemoServer } from '../demo-server.js';
import { note, out, parseIntOption, withRuntime } from '../run.js';
import { ensureSources } from './service.js';

interface CrawlFlags {
  once?: boolean;
  demo?: boolean;
  demoPort: number;
  force?: boolean;
  tag?: string;
  json?: boolean;
}

export function crawlCommand(program: Command): void {
  program
    .command('crawl')
    .description(
      'one pass: fetch the due sources through the pipeline, wait until the work drains, print a summary (`run` keeps polling)',
    )
    .option('--once', 'one pass, then exit (what crawl always does; kept for scripts)')
    .option('--demo', 'serve sample feeds from a local server and crawl them (no network needed)')
    .option('--demo-port <port>', 'port for the --demo server', parseIntOption('--demo-port'), DEMO_PORT)
    .option('--force', 'fetch every source now, due or not')
    .option('--tag <tag>', 'only sources with this tag')
    .option('--json', 'print the summary as JSON')
    .action(async (o: CrawlFlags) => {
      const { crawlOnce } = await import('@frameline/pipeline');
      const demo = o.demo ? await startDemoServer(o.demoPort) : null;
      try {
        await withRuntime(async (rt, signal) => {
          const sql = rt.store.sql;
          const demoIds = demo ? await addDemoSources(sql, demo) : null;
          if (!demo) await ensureSources(rt);
          const where =
            rt.store.mode === 'pglite' ? `PGlite at ${rt.store.where}` : `Postgres ${rt.store.where}`;
          const result = await crawlOnce(rt, {
            force: o.force || Boolean(demo),
            // The demo crawls this server's feeds only, not demo sources left from runs on other ports.
            ...(demoIds ? { sourceIds: demoIds } : { tag: o.tag ?? null }),
            signal,
            onNotice: (m) => note(`frameline: ${m}`),
          });
          if (o.json) out(JSON.stringify(result));
          else printSummary(result, where);
        });
      } finally {
        await demo?.close();
      }
    });
}

/**
 * Add the demo feeds as sources allowed to reach the demo server's loopback address, and return their ids. The
 * allowance is kept on the sources, not in this process, so `frameline worker` processes fetch them too
 * (REDIS_URL), and the guard stays up for every other source. A demo source added before allowances existed
 * gets one now, and one paused by earlier failures (a worker refused it) is resumed.
 */
async function addDemoSources(sql: Sql, demo: DemoServer): Promise<number[]> {
  const { addSource, resumeSource, setSourceAllowHosts } = await import('@frameline/store');
  const allowHosts = [new URL(demo.origin).hostname];
  const ids: number[] = [];
  for (const f of demo.feeds) {
    const { source } = await addSource(sql, { url: f.url, name: f.name, tags: ['demo'], allowHosts });
    if (!allowHosts.every((h) => source.allowHosts.includes(h))) {
      await setSourceAllowHosts(sql, source.id, [...new Set([...source.allowHosts, ...allowHosts])]);
    }
    if (source.pausedAt) await resumeSource(sql, source.id);
    ids.push(source.id);
  }
  return ids;
}

function printSummary(r: CrawlResult, where: string): void {
  const ok = r.sources.filter((s) => s.ok);
  const failed = r.sources.filter((s) => !s.ok && s.errorCode !== 'host_deferred');
  out(`crawl ${r.crawlId}: ${r.mode}, ${where}, ${(r.durationMs / 1000).toFixed(1)} s`);
  out(`sources: ${ok.length} ok, ${failed.length} failed`);
  for (const s of r.sources) {
    const label = s.name ?? s.url;
    if (s.ok) out(`  ok      ${label}: ${s.notModified ? 'not modified' : `${s.items} items`}`);
    else if (s.errorCode === 'host_deferred') out(`  later   ${label}: ${s.error}`);
    else out(`  failed  ${label}: ${s.error ?? s.errorCode}`);
  }
  out(
    `documents: ${r.documents.new} new, ${r.documents.updated} updated, ${r.documents.unchanged} unchanged`,
  );
  out(`announcements: ${r.announcements}`);
  for (const f of r.failures.filter((f) => f.queue !== 'fetch' && f.queue !== 'parse')) {
    out(`  job ${f.jobId} failed: ${f.error}`);
  }
}
