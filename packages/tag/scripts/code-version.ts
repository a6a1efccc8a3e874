// Part of the tag package's build: writes the tagger's code version, computed from the TypeScript sources, beside
// the compiled tagger (dist/code-version.txt), so that compiled and source runs give every rule set the same
// version. Run by `pnpm run build` after tsc.
import { writeFileSync } from 'node:fs';
import { CODE_VERSION_FILE, taggerCodeVersion } from '../src/compile.js';

writeFileSync(new URL(`../dist/${CODE_VERSION_FILE}`, import.meta.url), `${taggerCodeVersion()}\n`);
