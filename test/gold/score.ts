/**
 * Score a rule set against the gold sets and write the `gold` section of BENCHMARKS.md, which shows the
 * development set and the held-out set side by side (same rules, same run).
 *
 *   npx tsx test/gold/score.ts [--set dev|heldout] [--rules file] [--verbose] [--no-write]
 *
 * --set       the set that --verbose lists errors for (default dev = items.jsonl; heldout = heldout.jsonl).
 *             Both sets are always scored for the summary tables.
 * --rules     rules file to score (default: the bundled rule set, packages/tag/rules/default/)
 * --verbose   list each item's false positives and false negatives (entities and announcements)
 * --no-write  print only; leave BENCHMARKS.md alone
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultRulesPath, loadRuleSet } from '@frameline/tag';
import { BENCHMARKS_FILE, writeBenchSection } from '@frameline/testkit';
import {
  type Claim,
  GOLD_SETS,
  type GoldScore,
  type GoldSetName,
  loadGoldTexts,
  nowKnown,
  type Prf,
  REPO_ROOT,
  readGold,
  scoreGold,
  validateGold,
} from './lib.js';

/** One gold set scored in this run. */
interface ScoredSet {
  name: GoldSetName;
  label: string;
  file: string;
  score: GoldScore;
  corpora: Map<string, number>;
}

const f3 = (x: number) => x.toFixed(3);
const prfCells = (p: Prf) =>
  `${f3(p.precision)} | ${f3(p.recall)} | **${f3(p.f1)}** | ${p.tp} | ${p.fp} | ${p.fn}`;

function describeClaim(c: Claim): string {
  const objects = c.objects.length > 0 ? ` → [${c.objects.join(', ')}]` : '';
  const version = c.version !== null ? ` v=${c.version}` : '';
  const origin = c.rule ? ` (${c.field}, rule ${c.rule}: "${(c.evidence ?? '').slice(0, 90)}")` : '';
  return `${c.type} ${c.subject}${objects}${version}${origin}`;
}

function verboseReport(score: GoldScore): string {
  const out: string[] = [];
  for (const e of score.errors) {
    out.push(`\n${e.item.corpus} #${e.item.index} (${e.item.file}:${e.item.line}) ${e.item.title}`);
    if (e.entityFn.length) out.push(`  entity FN: ${e.entityFn.join(', ')}`);
    if (e.entityFp.length) out.push(`  entity FP: ${e.entityFp.join(', ')}`);
    for (const c of e.announcementFn) out.push(`  announcement FN: ${describeClaim(c)}`);
    for (const c of e.announcementFp) out.push(`  announcement FP: ${describeClaim(c)}`);
  }
  const tally = (list: string[]) => {
    const counts = new Map<string, number>();
    for (const id of list) counts.set(id, (counts.get(id) ?? 0) + 1);
    return [...counts]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 20)
      .map(([id, n]) => `${id} ×${n}`)
      .join(', ');
  };
  out.push('\nMost frequent entity FN:', `  ${tally(score.errors.flatMap((e) => e.entityFn))}`);
  out.push('Most frequent entity FP:', `  ${tally(score.errors.flatMap((e) => e.entityFp))}`);
  return out.join('\n');
}

/** A table with one row per key (announcement type or entity kind) and P/R/F1/TP/FP/FN per set. */
function perKeyTable(heading: string, sets: ScoredSet[], pick: (s: GoldScore) => Map<string, Prf>): string[] {
  const keys = [...new Set(sets.flatMap((s) => [...pick(s.score).keys()]))].sort();
  const empty: Prf = { tp: 0, fp: 0, fn: 0, precision: 1, recall: 1, f1: 1 };
  const cols = sets.map((s) => `${s.label} P | R | F1 | TP | FP | FN`).join(' | ');
  return [
    `| ${heading} | ${cols} |`,
    `|---|${sets.map(() => '---|---|---|---|---|---|').join('')}`,
    ...keys.map((k) => `| ${k} | ${sets.map((s) => prfCells(pick(s.score).get(k) ?? empty)).join(' | ')} |`),
  ];
}

/** The Markdown section written into BENCHMARKS.md. */
function section(sets: ScoredSet[], rulesLabel: string): string {
  const date = new Date().toISOString().slice(0, 10);
  const described = sets.map((s) => `${s.label} \`test/gold/${s.file}\` (${s.score.items} items)`).join(', ');
  const lines = [
    '## gold: tagger against the gold sets (development and two held-out sets)',
    '',
    'Hand-annotated real feed items, referenced (not copied), annotated under `test/gold/GUIDELINES.md`:',
    `${described}.`,
    'The rules are tuned on the development set and on unannotated items of the tuning pool (`test/gold/pool.ts`);',
    'the held-out sets (items nobody tuned on; the second one from a quarter of every feed rule writers never read)',
    'measure how the tagger generalises. Title and text are tagged separately with `tag()`',
    'and scored at document level. Entities: (item, entity id) pairs. Announcements: per item, title and text',
    'predictions merged, exact duplicates dropped, maximum one-to-one matching on type + involved entities',
    '(+ version when annotated).',
    '',
    `Rules: \`${rulesLabel}\`. Machine: ${availableParallelism()} cores, Node ${process.version}, ${date}.`,
    'Reproduce: `npx tsx test/gold/score.ts --verbose [--set heldout|heldout2]`. Targets (issue 4): entity F1 ≥ 0.95,',
    'announcement F1 ≥ 0.85.',
    '',
    '| | set | precision | recall | F1 | TP | FP | FN |',
    '|---|---|---|---|---|---|---|---|',
    ...sets.map((s) => `| entities | ${s.label} | ${prfCells(s.score.entities)} |`),
    ...sets.map((s) => `| announcements | ${s.label} | ${prfCells(s.score.announcements)} |`),
    '',
    ...perKeyTable('announcement type', sets, (s) => s.byType),
    '',
    ...perKeyTable('entity kind', sets, (s) => s.byKind),
    '',
    ...sets.map(
      (s) => `Items per corpus (${s.label}): ${[...s.corpora].map(([c, n]) => `${c} ${n}`).join(', ')}.`,
    ),
  ];
  return lines.join('\n');
}

function isSetName(name: string): name is GoldSetName {
  return name in GOLD_SETS;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      set: { type: 'string', default: 'dev' },
      rules: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      'no-write': { type: 'boolean', default: false },
    },
  });
  const selected = values.set;
  if (!isSetName(selected)) {
    process.stderr.write(`--set must be one of ${Object.keys(GOLD_SETS).join(', ')}, not "${selected}"\n`);
    process.exitCode = 2;
    return;
  }
  const rulesPath = values.rules ? resolve(values.rules) : defaultRulesPath();
  const ruleSet = loadRuleSet(rulesPath);
  // Every set is validated together, so an item referenced by both sets or a missing entity declared
  // differently in each is reported too.
  const names = (Object.keys(GOLD_SETS) as GoldSetName[]).filter(
    (name) => name === selected || existsSync(GOLD_SETS[name].path),
  );
  const golds = names.map((name) => ({ name, gold: readGold(GOLD_SETS[name].path) }));
  const problems = validateGold(
    golds.flatMap((g) => g.gold),
    loadRuleSet(defaultRulesPath()),
  );
  if (problems.length > 0) {
    process.stderr.write(
      `gold sets have ${problems.length} annotation problems:\n  ${problems.join('\n  ')}\n`,
    );
    process.exitCode = 1;
    return;
  }
  const sets: ScoredSet[] = [];
  for (const { name, gold } of golds) {
    const gained = nowKnown(gold, ruleSet);
    if (gained.length > 0)
      process.stdout.write(
        `${GOLD_SETS[name].label} set: declared missing but now in the rules: ${gained.join(', ')}\n\n`,
      );
    const items = await loadGoldTexts(gold);
    const corpora = new Map<string, number>();
    for (const item of items) {
      const folder = item.corpus.split('/')[0] as string;
      corpora.set(folder, (corpora.get(folder) ?? 0) + 1);
    }
    const { label, path } = GOLD_SETS[name];
    sets.push({ name, label, file: basename(path), score: scoreGold(items, ruleSet), corpora });
  }
  const markdown = section(sets, relative(REPO_ROOT, rulesPath));
  const chosen = sets.find((s) => s.name === selected);
  if (values.verbose && chosen) process.stdout.write(`${verboseReport(chosen.score)}\n\n`);
  process.stdout.write(`${markdown}\n`);
  if (!values['no-write']) {
    writeBenchSection('gold', markdown);
    process.stdout.write(`\nwrote the gold section of ${BENCHMARKS_FILE}\n`);
  }
}

await main();
