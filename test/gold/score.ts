/**
 * Score a rule set against the development gold set and write the `gold` section of BENCHMARKS.md.
 *
 *   npx tsx test/gold/score.ts [--rules file] [--verbose] [--no-write]
 *
 * --rules     rules file to score (default: the bundled packages/tag/rules/default.yaml)
 * --verbose   list each item's false positives and false negatives (entities and announcements)
 * --no-write  print only; leave BENCHMARKS.md alone
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultRulesPath, loadRuleSet } from '@frameline/tag';
import {
  type Claim,
  type GoldScore,
  loadGoldTexts,
  nowKnown,
  type Prf,
  REPO_ROOT,
  readGold,
  scoreGold,
  validateGold,
} from './lib.js';

const f3 = (x: number) => x.toFixed(3);
const row = (name: string, p: Prf) =>
  `| ${name} | ${f3(p.precision)} | ${f3(p.recall)} | **${f3(p.f1)}** | ${p.tp} | ${p.fp} | ${p.fn} |`;

function describeClaim(c: Claim): string {
  const objects = c.objects.length > 0 ? ` → [${c.objects.join(', ')}]` : '';
  const version = c.version !== null ? ` v=${c.version}` : '';
  const origin = c.rule ? ` (${c.field}, rule ${c.rule}: "${(c.evidence ?? '').slice(0, 90)}")` : '';
  return `${c.type} ${c.subject}${objects}${version}${origin}`;
}

function verboseReport(score: GoldScore): string {
  const out: string[] = [];
  for (const e of score.errors) {
    out.push(`\n${e.item.corpus} #${e.item.index} (items.jsonl:${e.item.line}) ${e.item.title}`);
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

/** The Markdown section written into BENCHMARKS.md. */
function section(score: GoldScore, rulesLabel: string, corpora: Map<string, number>): string {
  const date = new Date().toISOString().slice(0, 10);
  const lines = [
    '## gold: tagger against the development gold set',
    '',
    `${score.items} hand-annotated real feed items (\`test/gold/items.jsonl\`, guidelines in`,
    '`test/gold/GUIDELINES.md`), tagged title and text separately with `tag()` and scored at document level.',
    'Entities: (item, entity id) pairs. Announcements: per item, title and text predictions merged, exact',
    'duplicates dropped, maximum one-to-one matching on type + involved entities (+ version when annotated).',
    '',
    `Rules: \`${rulesLabel}\`. Machine: ${availableParallelism()} cores, Node ${process.version}, ${date}.`,
    'Reproduce: `npx tsx test/gold/score.ts --verbose`. Targets (issue 4): entity F1 ≥ 0.95, announcement F1 ≥ 0.85.',
    '',
    '| | precision | recall | F1 | TP | FP | FN |',
    '|---|---|---|---|---|---|---|',
    row('entities', score.entities),
    row('announcements', score.announcements),
    '',
    '| announcement type | precision | recall | F1 | TP | FP | FN |',
    '|---|---|---|---|---|---|---|',
    ...[...score.byType].sort((a, b) => a[0].localeCompare(b[0])).map(([t, p]) => row(t, p)),
    '',
    '| entity kind | precision | recall | F1 | TP | FP | FN |',
    '|---|---|---|---|---|---|---|',
    ...[...score.byKind].sort((a, b) => a[0].localeCompare(b[0])).map(([k, p]) => row(k, p)),
    '',
    `Items per corpus: ${[...corpora].map(([c, n]) => `${c} ${n}`).join(', ')}.`,
  ];
  return lines.join('\n');
}

function writeSection(markdown: string): string {
  const path = join(REPO_ROOT, 'BENCHMARKS.md');
  const begin = '<!-- bench:gold -->';
  const end = '<!-- /bench:gold -->';
  const block = `${begin}\n${markdown}\n${end}`;
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const from = current.indexOf(begin);
  const to = current.indexOf(end);
  const next =
    from >= 0 && to > from
      ? current.slice(0, from) + block + current.slice(to + end.length)
      : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(path, next);
  return path;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rules: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      'no-write': { type: 'boolean', default: false },
    },
  });
  const rulesPath = values.rules ? resolve(values.rules) : defaultRulesPath();
  const ruleSet = loadRuleSet(rulesPath);
  const gold = readGold();
  const problems = validateGold(gold, loadRuleSet(defaultRulesPath()));
  if (problems.length > 0) {
    process.stderr.write(
      `gold set has ${problems.length} annotation problems:\n  ${problems.join('\n  ')}\n`,
    );
    process.exitCode = 1;
    return;
  }
  const gained = nowKnown(gold, ruleSet);
  if (gained.length > 0)
    process.stdout.write(`declared missing in the gold set but now in the rules: ${gained.join(', ')}\n\n`);
  const items = await loadGoldTexts(gold);
  const score = scoreGold(items, ruleSet);
  const corpora = new Map<string, number>();
  for (const item of items) {
    const folder = item.corpus.split('/')[0] as string;
    corpora.set(folder, (corpora.get(folder) ?? 0) + 1);
  }
  const markdown = section(score, relative(REPO_ROOT, rulesPath), corpora);
  if (values.verbose) process.stdout.write(`${verboseReport(score)}\n\n`);
  process.stdout.write(`${markdown}\n`);
  if (!values['no-write']) process.stdout.write(`\nwrote the gold section of ${writeSection(markdown)}\n`);
}

await main();
