import { ANNOUNCEMENT_TYPES } from '@frameline/core';
import { parseDate } from '@frameline/parse';
import type { Command } from 'commander';
import { out, parseIntOption, UsageError, withRuntime } from '../run.js';

/** A `--since`/`--until` value: a year, a month or any date the feed date reader takes ("2018-10-02"). */
export function dateFlag(flag: string): (value: string) => Date {
  return (value) => {
    const iso = parseDate(/^\d{4}$/.test(value.trim()) ? `${value.trim()}-01` : value);
    if (iso === null) throw new UsageError(`${flag} takes a date like 2018-10-02, got "${value}"`);
    return new Date(iso);
  };
}

/**
 * One line per announcement: "PyTorch 1.0 beta (Meta)" for things that happened to the subject,
 * "AWS → PyTorch" where the subject acts on its objects (support, partnership, acquisition, roadmap).
 */
function describe(type: string, subject: string, version: string, objects: string[]): string {
  const head = version ? `${subject} ${version}` : subject;
  if (objects.length === 0) return head;
  const acts = type === 'support' || type === 'partnership' || type === 'acquisition' || type === 'roadmap';
  return acts ? `${head} → ${objects.join(', ')}` : `${head} (${objects.join(', ')})`;
}

interface TimelineFlags {
  entity?: string;
  type?: string;
  since?: Date;
  until?: Date;
  limit: number;
  ruleSet?: string;
  json?: boolean;
}

export function timelineCommand(program: Command): void {
  program
    .command('timeline')
    .description('announcements over time, newest first; one row per distinct announcement')
    .option('--entity <id|name>', 'only announcements about this entity (e.g. pytorch)')
    .option('--type <type>', `one of ${ANNOUNCEMENT_TYPES.join(', ')}`)
    .option('--since <date>', 'on or after this date', dateFlag('--since'))
    .option('--until <date>', 'before this date', dateFlag('--until'))
    .option('--limit <n>', 'at most this many rows', parseIntOption('--limit'), 50)
    .option('--rule-set <version>', "as of this rule set's extractions (default: the active one's)")
    .option('--json', 'print JSON lines')
    .action(async (o: TimelineFlags) => {
      if (o.type && !(ANNOUNCEMENT_TYPES as readonly string[]).includes(o.type)) {
        throw new UsageError(`--type must be one of ${ANNOUNCEMENT_TYPES.join(', ')}, got "${o.type}"`);
      }
      const { queryTimeline, resolveEntity } = await import('@frameline/store');
      await withRuntime(async (rt) => {
        let entity: string | null = null;
        if (o.entity) {
          entity = await resolveEntity(rt.store.sql, o.entity);
          if (!entity)
            throw new UsageError(`no entity "${o.entity}" in the rule set (try its id, e.g. pytorch)`);
        }
        const rows = await queryTimeline(rt.store.sql, {
          entity,
          type: o.type ?? null,
          since: o.since ?? null,
          until: o.until ?? null,
          limit: o.limit,
          ruleSet: o.ruleSet ?? null,
        });
        if (o.json) {
          for (const r of rows) out(JSON.stringify(r));
          return;
        }
        if (rows.length === 0)
          return out('no announcements yet: run `frameline crawl` (or `frameline crawl --demo`)');
        for (const r of rows) {
          const day = r.at.toISOString().slice(0, 10) + (r.dateIsFirstSeen ? '*' : ' ');
          // A variant's name already carries its version ("PyTorch 1.0"): only the stage is added then.
          const named = r.version !== null && r.subjectName.endsWith(r.version);
          const version = [named ? null : r.version, r.stage].filter(Boolean).join(' ');
          const docs = r.documents > 1 ? `  [${r.documents} documents]` : '';
          out(
            `${day} ${r.type.padEnd(11)} ${describe(r.type, r.subjectName, version, r.objectNames)}${docs}`,
          );
          const first = r.evidence[0];
          if (first) out(`            "${first.sentence.replace(/\s+/g, ' ').trim()}" (${first.source})`);
        }
        if (rows.some((r) => r.dateIsFirstSeen))
          out('* no published date: the date frameline first saw the document');
      });
    });
}
