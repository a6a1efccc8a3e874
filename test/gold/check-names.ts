/**
 * Check name-based gold files (GUIDELINES-NAMES.md) without running the tagger: record shape, names used by
 * announcements, and that every ref resolves with its title.
 *
 *   npx tsx test/gold/check-names.ts <file.jsonl> [...]
 */
import { loadNamed, readNamed } from './names.js';

let failed = false;
for (const path of process.argv.slice(2)) {
  try {
    const items = await loadNamed(readNamed(path));
    const count = (f: (i: (typeof items)[number]) => number) => items.reduce((n, i) => n + f(i), 0);
    process.stdout.write(
      `${path}: ${items.length} items, ${count((i) => i.entities.length)} entities, ${count((i) => i.announcements.length)} announcements: ok\n`,
    );
  } catch (thrown) {
    failed = true;
    process.stdout.write(`${(thrown as Error).message}\n`);
  }
}
process.exitCode = failed ? 1 : 0;
