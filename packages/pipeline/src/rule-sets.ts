import { PermanentError } from '@frameline/core';
import { ruleSetFiles, type Sql } from '@frameline/store';
import { type RuleSet, ruleSetOfFiles } from '@frameline/tag';

/** Rule sets built from the database are kept by version; a re-extraction uses one or two at a time. */
const KEEP = 4;

/**
 * A lookup of rule sets by version for the stages: the process's own rule set at once, any other one built
 * from the files stored with it (`registerRuleSet`), so a worker started before the rules changed can run a
 * re-extraction with the new ones. A version is a hash of the tagger's code too: a worker whose code differs
 * builds another version from the same files, and refuses the job rather than store results under a version
 * that did not make them.
 */
export function ruleSetLookup(sql: Sql, own: RuleSet, home?: string): (version: string) => Promise<RuleSet> {
  const built = new Map<string, Promise<RuleSet>>([[own.version, Promise.resolve(own)]]);
  return (version) => {
    let found = built.get(version);
    if (found === undefined) {
      found = build(sql, version, home);
      // A failed build is not kept: the rule set may be registered a moment later.
      found.catch(() => built.delete(version));
      built.set(version, found);
      if (built.size > KEEP) {
        const oldest = [...built.keys()].find((v) => v !== own.version);
        if (oldest !== undefined) built.delete(oldest);
      }
    }
    return found;
  };
}

async function build(sql: Sql, version: string, home?: string): Promise<RuleSet> {
  const files = await ruleSetFiles(sql, version);
  if (files === null) {
    throw new PermanentError(
      'unknown_rule_set',
      `rule set ${version} is not in the database (or has no files)`,
    );
  }
  const ruleSet = ruleSetOfFiles(files, `database rule set ${version}`, home === undefined ? {} : { home });
  if (ruleSet.version !== version) {
    throw new PermanentError(
      'rule_set_code_mismatch',
      `rule set ${version} was made by another version of the tagger (this worker builds ${ruleSet.version} from its files); run it on workers of the same frameline version`,
    );
  }
  return ruleSet;
}
