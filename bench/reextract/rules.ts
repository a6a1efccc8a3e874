/**
 * A new rule set for each timed re-extraction: a copy of the bundled rules with a YAML comment added. A rule
 * set's version hashes every byte of its files (and the tagger's code), so the comment makes a new version,
 * which every stored document lacks an extraction of, while the tagging work stays exactly the bundled rules'.
 */
import { appendFileSync, cpSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The ROOT checkout's compiled tagger: the code the worker runs, used for the baseline and for versions. */
export type Tagger = typeof import('@frameline/tag');

/**
 * Copy the rules folder `from` to `to`, then append a comment naming `label` to its last YAML file (the
 * order the files are read in does not change). Returns the new rule set's folder.
 */
export function variantOf(from: string, to: string, label: string): string {
  cpSync(from, to, { recursive: true });
  const last = readdirSync(to)
    .filter((name) => name.endsWith('.yaml') && !name.startsWith('.'))
    .sort()
    .at(-1);
  if (last === undefined) throw new Error(`no YAML file in ${from}`);
  appendFileSync(join(to, last), `\n# reextract bench: ${label}\n`);
  return to;
}

/** The version the tagger gives the rule set at `path` (without compiling it). */
export function versionOf(tagger: Tagger, path: string): string {
  return tagger.ruleSetVersion(tagger.readRuleFiles(path));
}
