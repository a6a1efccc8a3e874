/**
 * Print a text as the tagger sees it, for annotators: title, then the text with an `[offset]` mark at the
 * start of every line, so a `maxChars` cut can be chosen at a line or sentence end. Never runs the tagger.
 *
 *   npx tsx test/gold/read.ts <ref> [maxChars]      refs as in documents.ts
 */
import { loadSource } from './documents.js';

const [ref, max] = process.argv.slice(2);
if (!ref) {
  process.stderr.write('usage: read.ts <ref> [maxChars]\n');
  process.exit(2);
}
const { title, text } = await loadSource(ref);
const shown = max ? text.slice(0, Number(max)) : text;
process.stdout.write(`REF: ${ref}\nTITLE: ${title}\nTEXT (${text.length} chars):\n`);
let at = 0;
for (const line of shown.split('\n')) {
  process.stdout.write(`[${at}] ${line}\n`);
  at += line.length + 1;
}
