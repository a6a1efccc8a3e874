import type { ChangeGroup, ReextractReport } from '@frameline/pipeline';
import type { Command } from 'commander';
import { note, out, UsageError, withRuntime } from '../run.js';
import { dateFlag } from './timeline.js';

interface ReextractFlags {
  rules?: string;
  since?: Date;
  until?: Date;
  source?: string;
  dryRun?: boolean;
  json?: boolean;
}

/** Groups shown in the text report (the JSON report has them all). */
const SHOWN_GROUPS = 15;

export function reextractCommand(program: Command): void {
  program
    .command('reextract')
    .description(
      're-run the tagger over stored documents (after the rules changed), report what changed, and make the rule set active',
    )
    .option(
      '--rules <file>',
      'the rules file or folder to extract with (default: FRAMELINE_RULES, or the bundled rules)',
    )
    .option('--since <date>', 'only documents dated on or after this date', dateFlag('--since'))
    .option('--until <date>', 'only documents dated before this date', dateFlag('--until'))
    .option('--source <id|url|name>', 'only the documents of this source')
    .option('--dry-run', 'report what would change, and write nothing')
    .option('--json', 'print the report as JSON')
    .action(async (o: ReextractFlags) => {
      const { reextract } = await import('@frameline/pipeline');
      const { findSource } = await import('@frameline/store');
      const { loadRuleSet } = await import('@frameline/tag');
      await withRuntime(async (rt, signal) => {
        const ruleSet = o.rules ? loadRuleSet(o.rules, { home: rt.config.home }) : rt.ruleSet;
        let sourceId: number | null = null;
        if (o.source) {
          const source = await findSource(rt.store.sql, o.source);
          if (!source) throw new UsageError(`no source "${o.source}" (see \`frameline sources list\`)`);
          sourceId = source.id;
        }
        const bar = await progressBar();
        let report: ReextractReport;
        try {
          report = await reextract(rt, {
            ruleSet,
            since: o.since ?? null,
            until: o.until ?? null,
            sourceId,
            dryRun: o.dryRun ?? false,
            signal,
            onProgress: (done, total) => bar?.update(done, total),
          });
        } finally {
          bar?.stop();
        }
        if (o.json) out(JSON.stringify(report));
        else printReport(report);
        if (!report.complete && !report.dryRun) process.exitCode = 1;
      });
    });
}

/** A progress bar with rate and ETA on stderr when it is a terminal; nothing otherwise. */
async function progressBar(): Promise<{ update(done: number, total: number): void; stop(): void } | null> {
  if (!process.stderr.isTTY) return null;
  const { SingleBar, Presets } = await import('cli-progress');
  const bar = new SingleBar(
    {
      stream: process.stderr,
      format: 'reextract [{bar}] {value}/{total} documents, {percentage}%, ETA {eta_formatted}',
      etaBuffer: 50,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, done);
        started = true;
      } else bar.update(done, { total });
      bar.setTotal(total);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

function counts(c: { added: number; removed: number; changed: number }): string {
  return `+${c.added} -${c.removed} ~${c.changed}`;
}

function printReport(r: ReextractReport): void {
  const against =
    r.baseline === null
      ? 'nothing stored before'
      : r.baseline === r.ruleSet
        ? 'itself (already active)'
        : `rule set ${r.baseline}`;
  out(
    `reextract with rule set ${r.ruleSet}${r.dryRun ? ' (dry run: nothing written)' : ''}: ${r.documents.inScope} documents in scope, ${r.documents.extracted} extracted now, ${(r.durationMs / 1000).toFixed(1)} s (${r.mode})`,
  );
  out(`changes against ${against}:`);
  out(`  mentions:      ${counts(r.totals.mentions)}`);
  out(`  announcements: ${counts(r.totals.announcements)}`);
  for (const g of r.groups.slice(0, SHOWN_GROUPS)) printGroup(g);
  if (r.groups.length > SHOWN_GROUPS)
    out(`  ... and ${r.groups.length - SHOWN_GROUPS} more groups (--json lists them all)`);
  for (const f of r.failures) out(`  job ${f.jobId} failed: ${f.error}`);
  if (r.activated) out(`rule set ${r.ruleSet} is now the active one: the timeline reads its extractions`);
  else if (!r.dryRun)
    note(
      `frameline: rule set ${r.ruleSet} is not active yet: ${r.complete ? 'some jobs failed' : 'the run did not finish'}; run reextract again to continue`,
    );
}

function printGroup(g: ChangeGroup): void {
  out(`  ${g.type} ${g.entity}: ${counts(g)}`);
  for (const e of g.examples) {
    const what = e.change === 'changed' ? `${e.before}\n        now ${e.after}` : (e.after ?? e.before);
    out(`    ${e.change.padEnd(7)} #${e.documentId} ${e.title ?? ''}\n        ${what}`);
  }
}
