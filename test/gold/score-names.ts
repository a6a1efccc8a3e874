/**
 * Score the tagger on a name-based gold set (GUIDELINES-NAMES.md).
 *
 *   npx tsx test/gold/score-names.ts [--verbose]     the development set `dev-names.jsonl`, errors per item
 *   npx tsx test/gold/score-names.ts --set dev-names-lab.jsonl [--verbose]   another development file
 *   npx tsx test/gold/score-names.ts --sealed        the sealed set: totals only, and the look is recorded
 *
 * The sealed set is scored only at the end of a rules round. Its totals are appended to the "sealed looks"
 * table of BENCHMARKS.md with the date and the rule-set version, so every look is counted; per-item errors
 * are never printed for it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadRuleSet } from '@frameline/tag';
import { REPO_ROOT } from './lib.js';
import { loadNamed, type NamedScore, readNamed, scoreNamed } from './names.js';

const sealed = process.argv.includes('--sealed');
const verbose = process.argv.includes('--verbose');
const setAt = process.argv.indexOf('--set');
const file = sealed ? 'sealed.jsonl' : setAt > 0 ? (process.argv[setAt + 1] ?? '') : 'dev-names.jsonl';
// The sealed set is scored only with --sealed, which records the look and prints totals only.
if (!sealed && (file === 'sealed.jsonl' || !/^[\w.-]+\.jsonl$/.test(file)))
  throw new Error(`--set takes a development file of test/gold (not the sealed set): ${file}`);
const ruleSet = loadRuleSet();
const items = await loadNamed(readNamed(fileURLToPath(new URL(`./${file}`, import.meta.url))));
const score: NamedScore = scoreNamed(items, ruleSet);

const f = (x: number) => x.toFixed(3);
const row = (label: string, p: NamedScore['entities']) =>
  `${label.padEnd(14)} P ${f(p.precision)}  R ${f(p.recall)}  F1 ${f(p.f1)}  (TP ${p.tp}, FP ${p.fp}, FN ${p.fn})`;
process.stdout.write(`${file}: ${score.items} items, rule set ${ruleSet.version}\n`);
process.stdout.write(`${row('entities', score.entities)}\n${row('announcements', score.announcements)}\n`);
process.stdout.write(`${row('releases', score.releases)}\n`);

if (sealed) {
  const path = `${REPO_ROOT}BENCHMARKS.md`;
  const text = readFileSync(path, 'utf8');
  const marker = '<!-- sealed looks: score-names.ts --sealed appends here -->';
  if (!text.includes(marker)) throw new Error(`BENCHMARKS.md has no line "${marker}"`);
  const line =
    `| ${new Date().toISOString().slice(0, 10)} | ${ruleSet.version} | ${score.items} | ` +
    `${f(score.entities.precision)} / ${f(score.entities.recall)} / **${f(score.entities.f1)}** | ` +
    `${f(score.announcements.precision)} / ${f(score.announcements.recall)} / **${f(score.announcements.f1)}** | ` +
    `${f(score.releases.recall)} |`;
  writeFileSync(path, text.replace(marker, `${line}\n${marker}`));
  process.stdout.write('recorded in BENCHMARKS.md (sealed looks)\n');
} else {
  for (const [type, p] of [...score.byType].sort()) process.stdout.write(`${row(`  ${type}`, p)}\n`);
  if (verbose) {
    for (const e of score.errors) {
      process.stdout.write(`\n${e.item.at} ${e.item.ref}: ${e.item.title}\n`);
      for (const n of e.entityFn) process.stdout.write(`  entity FN: ${n}\n`);
      for (const n of e.entityFp) process.stdout.write(`  entity FP: ${n}\n`);
      for (const a of e.announcementFn)
        process.stdout.write(
          `  announcement FN: ${a.type} ${a.subject} → [${a.objects.join(', ')}] v=${a.version}\n`,
        );
      for (const a of e.announcementFp)
        process.stdout.write(
          `  announcement FP: ${a.type} ${a.subject} → [${a.objects.join(', ')}] v=${a.version} (${a.field}, ${a.rule}: "${(a.evidence ?? '').slice(0, 90)}")\n`,
        );
    }
  }
}
