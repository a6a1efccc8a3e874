import { ENTITY_KINDS } from '@frameline/core';
import type { MindshareRow } from '@frameline/store';
import type { Command } from 'commander';
import { out, parseIntOption, UsageError, withRuntime } from '../run.js';
import { dateFlag } from './timeline.js';

const BUCKETS = ['week', 'month', 'quarter', 'year'] as const;

interface MindshareFlags {
  kind: string;
  entity: string[];
  by: string;
  since?: Date;
  until?: Date;
  top: number;
  json?: boolean;
}

function label(period: Date, by: string): string {
  const iso = period.toISOString();
  if (by === 'year') return iso.slice(0, 4);
  if (by === 'quarter') return `${iso.slice(0, 4)}-Q${Math.floor(period.getUTCMonth() / 3) + 1}`;
  if (by === 'month') return iso.slice(0, 7);
  return iso.slice(0, 10);
}

export function mindshareCommand(program: Command): void {
  program
    .command('mindshare')
    .description('how many documents name each entity, per period, and its share of the kind')
    .option('--kind <kind>', `entity kind (${ENTITY_KINDS.join(', ')}, or all)`, 'framework')
    .option(
      '--entity <id|name>',
      'only this entity (repeat for more)',
      (v: string, prev: string[]) => [...prev, v],
      [],
    )
    .option('--by <period>', BUCKETS.join(', '), 'month')
    .option('--since <date>', 'on or after this date', dateFlag('--since'))
    .option('--until <date>', 'before this date', dateFlag('--until'))
    .option('--top <n>', 'the N most mentioned entities', parseIntOption('--top'), 8)
    .option('--json', 'print JSON lines')
    .action(async (o: MindshareFlags) => {
      if (!(BUCKETS as readonly string[]).includes(o.by))
        throw new UsageError(`--by takes ${BUCKETS.join(', ')}`);
      if (o.kind !== 'all' && !(ENTITY_KINDS as readonly string[]).includes(o.kind)) {
        throw new UsageError(`--kind takes ${ENTITY_KINDS.join(', ')} or all; got "${o.kind}"`);
      }
      const { queryMindshare, resolveEntity } = await import('@frameline/store');
      await withRuntime(async (rt) => {
        const ids: string[] = [];
        for (const e of o.entity) {
          const id = await resolveEntity(rt.store.sql, e);
          if (!id) throw new UsageError(`no entity "${e}" in the rule set (try its id, e.g. pytorch)`);
          ids.push(id);
        }
        const rows = await queryMindshare(rt.store.sql, {
          kind: o.kind === 'all' || ids.length > 0 ? null : o.kind,
          entities: ids.length > 0 ? ids : null,
          bucket: o.by as (typeof BUCKETS)[number],
          since: o.since ?? null,
          until: o.until ?? null,
          top: o.top,
        });
        if (o.json) {
          for (const r of rows) out(JSON.stringify({ ...r, period: label(r.period, o.by) }));
          return;
        }
        if (rows.length === 0)
          return out('no mentions yet: run `frameline crawl` (or `frameline crawl --demo`)');
        const byPeriod = new Map<string, MindshareRow[]>();
        for (const r of rows)
          byPeriod.set(label(r.period, o.by), [...(byPeriod.get(label(r.period, o.by)) ?? []), r]);
        for (const [period, list] of byPeriod) {
          const cells = list.map((r) => `${r.name} ${r.documents} (${Math.round(r.share * 100)}%)`);
          out(`${period.padEnd(10)} ${cells.join('  ')}`);
        }
      });
    });
}
