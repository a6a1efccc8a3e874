// Part of the tag package's build, run by `pnpm run build` after tsc. Writes beside the compiled tagger:
// - dist/code-version.txt: the tagger's code version computed from the TypeScript sources, so that compiled
//   and source runs give every rule set the same version;
// - dist/prebuilt/cache/rules-<version>.json: the bundled rule set parsed, as a cache entry, so that a process
//   with a fresh FRAMELINE_HOME does not parse 11,000 lines of YAML at start-up.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CODE_VERSION_FILE, readAndBuild, ruleSetVersion, taggerCodeVersion } from '../src/compile.js';
import { defaultRulesPath, readRuleFiles } from '../src/load-rules.js';
import { writeCachedSpec } from '../src/rules-cache.js';

writeFileSync(new URL(`../dist/${CODE_VERSION_FILE}`, import.meta.url), `${taggerCodeVersion()}\n`);
const files = readRuleFiles(defaultRulesPath());
const built = readAndBuild(files);
if (built.ruleSet === null) throw new Error('the bundled rules do not compile');
writeCachedSpec(
  fileURLToPath(new URL('../dist/prebuilt/', import.meta.url)),
  ruleSetVersion(files),
  built.spec,
);
