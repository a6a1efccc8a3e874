import { SOURCE_KINDS, type SourceKind } from '@frameline/core';
import { addSource, listSources, removeSource } from '@frameline/store';
import type { Command } from 'commander';
import { out, parseIntOption, UsageError, withRuntime } from '../run.js';

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

export function sourcesCommand(program: Command): void {
  const sources = program.command('sources').description('manage the feeds and pages frameline polls');

  sources
    .command('add <url...>')
    .description('add sources (feed URLs)')
    .option('--name <name>', 'a display name (with a single URL)')
    .option('--kind <kind>', `one of ${SOURCE_KINDS.join(', ')}`, 'feed')
    .option('--tag <tag...>', 'tags (repeatable)')
    .option('--interval <seconds>', 'poll interval in seconds (min 60)', parseIntOption('--interval'), 3600)
    .option('--json', 'print the source as JSON')
    .action(
      async (
        rawUrls: string[],
        o: { name?: string; kind: string; tag?: string[]; interval: number; json?: boolean },
      ) => {
        const urls = rawUrls.map(checkUrl);
        if (o.name && urls.length > 1) throw new UsageError('--name goes with a single URL');
        if (!(SOURCE_KINDS as readonly string[]).includes(o.kind)) {
          throw new UsageError(`--kind must be one of ${SOURCE_KINDS.join(', ')}, got "${o.kind}"`);
        }
        if (o.interval < 60) throw new UsageError('--interval must be at least 60 seconds');
        await withRuntime(async (rt) => {
          for (const url of urls) {
            const { source, created } = await addSource(rt.store.sql, {
              url,
              kind: o.kind as SourceKind,
              name: o.name ?? null,
              tags: o.tag ?? [],
              pollIntervalS: o.interval,
            });
            if (o.json) out(JSON.stringify({ created, source }));
            else
              out(
                created
                  ? `added source ${source.id}: ${source.url}`
                  : `source ${source.id} already exists: ${source.url}`,
              );
          }
        });
      },
    );

  sources
    .command('list')
    .description('list sources with their state and last error')
    .option('--json', 'print JSON lines')
    .action(async (o: { json?: boolean }) => {
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
          out(`${String(s.id).padStart(4)}  ${state.padEnd(7)} ${s.name ?? s.url}${tags}`);
          out(
            `        ${s.url}  (${s.documents} documents, every ${s.pollIntervalS}s, next ${s.nextFetchAt.toISOString()})`,
          );
          if (s.lastError) out(`        last error (${s.errorCount}x): ${s.lastError}`);
        }
      });
    });

  sources
    .command('remove <idOrUrl>')
    .description('remove a source and its documents')
    .action(async (idOrUrl: string) => {
      await withRuntime(async (rt) => {
        const removed = await removeSource(rt.store.sql, idOrUrl);
        if (!removed)
          throw new UsageError(`no source with id or URL "${idOrUrl}" (see \`frameline sources list\`)`);
        out(`removed source ${removed.id}: ${removed.url}`);
      });
    });
}
