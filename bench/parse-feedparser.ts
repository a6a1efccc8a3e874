// feedparser's own test suite (wellformed, illformed, encoding) run through @frameline/parse and, over the SAME
// applicable cases in the same run, through the design card's parser: rss-parser 3.13 with our byte handling in
// front (our decodeBody picks the charset and decodes, then `new Parser(options).parseString(text)`), its output
// mapped into our ParsedFeed. Each case's `Expect:` Python expression is translated into checks on the result,
// or set aside as not applicable (with the reason) when it concerns something we do not keep. Prints both rows,
// rss-parser's failures by cause and every failing case; writes the `parse/feedparser-vs-rss-parser`
// sub-section of BENCHMARKS.md (inside `parse`; bench/parse.ts keeps it when it rewrites the section).
// Run: npx tsx bench/parse-feedparser.ts
import { cpus } from 'node:os';
import {
  CAUSES,
  type CauseCount,
  compareWithRssParser,
  RSS_PARSER_CUSTOM_FIELDS,
  type SuiteSummary,
  writeBenchSubsection,
} from '@frameline/testkit';

const { ours, rssParser, causes } = await compareWithRssParser();
if (ours.applicable !== rssParser.applicable) throw new Error('the two rows did not run the same cases');

const pct = (n: number, d: number) => `${((100 * n) / d).toFixed(1)}%`;
const failing = (s: SuiteSummary) => new Set(s.cases.filter((c) => c.status === 'fail').map((c) => c.path));

// The no-<channel> files test charset detection on an empty `<rss></rss>`; show the figure without them too.
const noChannel = new Set(causes.find((c) => c.cause === CAUSES.noChannel)?.paths ?? []);
const oursFailing = failing(ours);
const restN = rssParser.applicable - noChannel.size;
const oursRest = ours.passed - [...noChannel].filter((p) => !oursFailing.has(p)).length;

const causeRow = (c: CauseCount) => `| ${c.cause} | ${c.count} | ${c.alsoFailOurs} |`;
const expressible = causes.filter((c) => c.expressible);
const inexpressible = causes.filter((c) => !c.expressible);
const fields = (xs: readonly unknown[]) => xs.map((f) => `\`${Array.isArray(f) ? f[0] : f}\``).join(', ');

const markdown = `### feedparser's suite: ours against rss-parser (the design card's parser), same run

\`npx tsx bench/parse-feedparser.ts\`, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} cores.
The same ${ours.applicable} applicable cases (of ${ours.total}) for both rows; a parse exception fails all of a case's checks.

| parser | passed | share |
|---|---|---|
| ours: \`parseFeed\` (decodeBody + htmlparser2 XML mode + our RSS/Atom mapper) | **${ours.passed}** / ${ours.applicable} | **${pct(ours.passed, ours.applicable)}** |
| rss-parser 3.13 with our byte handling: \`decodeBody\` → \`new Parser(opts).parseString(text)\` → ParsedFeed | **${rssParser.passed}** / ${rssParser.applicable} | **${pct(rssParser.passed, rssParser.applicable)}** |
| the same two, setting aside the ${noChannel.size} channel-less test files (first cause below) | ours ${oursRest} / ${restN}; rss-parser ${rssParser.passed} / ${restN} | ${pct(oursRest, restN)}; ${pct(rssParser.passed, restN)} |

rss-parser options (documented ones only): \`defaultRSS: 2\` (read an \`<rss>\` without a version attribute
instead of refusing it); \`customFields.feed\` ${fields(RSS_PARSER_CUSTOM_FIELDS.feed)}; \`customFields.item\`
${fields(RSS_PARSER_CUSTOM_FIELDS.item)} (the last with \`keepArray\`, for Atom \`<email>\`). Already mapped by
default and used: \`content:encoded\`, \`dc:date\` (→ \`isoDate\`), \`dc:creator\` (→ \`creator\`), \`rdf:about\`, \`itunes.*\`.
Mapping: id ← \`guid\` / \`id\` / \`rdf:about\`; title ← \`title\` (through our \`titleText\`, as ParsedFeed titles are
text); link ← \`link\`; published ← \`isoDate\` / \`pubDate\` / \`issued\` / \`dcterms:issued\`; updated ← \`updated\` /
\`modified\` / \`dcterms:modified\` (read with \`new Date\`, as rss-parser reads its own dates); content ←
\`content:encoded\`, else Atom \`content\`; summary ← \`summary\`, else the RSS \`description\` (rss-parser files it as
\`content\`), \`dc:description\`, \`itunes.summary\`; authors ← Atom \`<author>\` name/email, else \`creator\` as one name.
Generous to rss-parser: whitespace collapsed, and the \`<div type=…>\` wrapper its xml2js Builder puts around
rebuilt XHTML removed (and the XHTML div for Atom 1.0), so only what the rebuild changed is judged.
\`contentSnippet\` is not used: it is markup-stripped, and these checks compare HTML.

rss-parser's ${rssParser.applicable - rssParser.passed} failures by cause (each case counted once, under the first cause
in this order that applies; every case with its cause is printed by the script):

| cause | cases | ours fails too |
|---|---|---|
${expressible.map(causeRow).join('\n')}

Checks about something rss-parser cannot express at all (counted as failed above, listed apart):

| cause | cases | ours fails too |
|---|---|---|
${inexpressible.map(causeRow).join('\n')}
`;

const lines = [
  markdown,
  'Not applicable to either row, by reason:',
  ...Object.entries(ours.notApplicable)
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => `  ${String(n).padStart(4)}  ${reason}`),
  '',
  'Ours, failing cases:',
  ...ours.cases.filter((c) => c.status === 'fail').map((c) => `  ${c.path}\n      expect: ${c.expect}`),
  '',
  'rss-parser, failing cases by cause:',
  ...causes.flatMap((c) => [`  ${c.cause} (${c.count})`, ...c.paths.map((p) => `      ${p}`)]),
];
process.stdout.write(`${lines.join('\n')}\n`);
writeBenchSubsection('parse', 'feedparser-vs-rss-parser', markdown);
