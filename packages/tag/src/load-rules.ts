import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PermanentError, toError } from '@frameline/core';
import {
  build,
  invalidRules,
  problemsOf,
  type RuleProblem,
  readAndBuild,
  ruleSetVersion,
} from './compile.js';
import type { RuleSet } from './rule-set.js';
import { readCachedSpec, writeCachedSpec } from './rules-cache.js';
import type { RuleFile } from './spec.js';

/** Absolute path of the bundled default rule set: the folder `packages/tag/rules/default`. */
export function defaultRulesPath(): string {
  return fileURLToPath(new URL('../rules/default', import.meta.url));
}

/**
 * The files of the rule set at `path`: the file itself, or for a folder every `*.yaml` file in it, in
 * file-name order (the order their lists are joined in; see `rules/default/README.md`).
 */
export function readRuleFiles(path: string): RuleFile[] {
  try {
    if (!statSync(path).isDirectory()) return [{ file: path, text: readFileSync(path, 'utf8') }];
    // (Code-unit order, the same on every machine; hidden files are editors' and are left out.)
    const names = readdirSync(path)
      .filter((name) => name.endsWith('.yaml') && !name.startsWith('.'))
      .sort();
    if (names.length === 0)
      throw new PermanentError('invalid_rules', `rules folder ${path} holds no .yaml file`);
    return names.map((name) => ({ file: join(path, name), text: readFileSync(join(path, name), 'utf8') }));
  } catch (thrown) {
    if (thrown instanceof PermanentError) throw thrown;
    throw new PermanentError('invalid_rules', `cannot read rules file ${path}: ${toError(thrown).message}`, {
      cause: thrown,
    });
  }
}

export interface LoadOptions {
  /**
   * FRAMELINE_HOME (`config.home`): the parsed rules are cached in its `cache` folder by rule-set version
   * (see `rules-cache.ts`), which saves most of a start-up. Left out, nothing is cached.
   */
  home?: string;
}

/**
 * Read and compile the rule set at `path`, a rules file or a folder of them (default: the bundled rule set).
 * Throws `PermanentError('invalid_rules')` naming each problem's file, line and column.
 */
/**
 * Where `pnpm run build` puts the parsed bundled rule set (as a cache entry; see scripts/after-build.ts):
 * beside the compiled tagger only, so running from the sources never finds it.
 */
export const PREBUILT = fileURLToPath(new URL('./prebuilt/', import.meta.url));

export function loadRuleSet(path: string = defaultRulesPath(), options: LoadOptions = {}): RuleSet {
  return ruleSetOfFiles(readRuleFiles(path), path, options);
}

/**
 * Build a rule set from its files' texts (as `readRuleFiles` gives them, or as stored with a rule set in the
 * database); `source` says where they came from. Throws `PermanentError('invalid_rules')` listing every problem.
 */
export function ruleSetOfFiles(
  files: readonly RuleFile[],
  source: string,
  options: LoadOptions = {},
): RuleSet {
  const version = ruleSetVersion(files);
  const { home } = options;
  // The home's cache first, then the entry a build made for the bundled rules (so a fresh home starts fast).
  const cached =
    (home === undefined ? null : readCachedSpec(home, version)) ?? readCachedSpec(PREBUILT, version);
  if (cached !== null) {
    try {
      const built = build(cached, files);
      if (built.ruleSet !== null && built.errors.length === 0)
        return { version, source, ...built.ruleSet, files };
    } catch {
      // An entry whose data does not build is a miss like any other: the YAML is read below.
    }
  }
  const built = readAndBuild(files);
  if (built.ruleSet === null) throw invalidRules(source, problemsOf(built.errors, files));
  if (home !== undefined) writeCachedSpec(home, version, built.spec);
  return { version, source, ...built.ruleSet, files };
}

/** Validate the rule set at `path` (a rules file or a folder of them); each problem names its file and line. */
export function checkRuleSet(path: string): { ok: boolean; errors: RuleProblem[] } {
  const files = readRuleFiles(path);
  const errors = problemsOf(readAndBuild(files).errors, files);
  return { ok: errors.length === 0, errors };
}
