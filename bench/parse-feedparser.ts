// feedparser's own test suite (wellformed, illformed, encoding) run through @frameline/parse: each case's
// `Expect:` Python expression is translated into checks on our result, or set aside as not applicable (with the
// reason) when it concerns something we do not keep. Prints the summary, the reasons and every failing case.
// Run: npx tsx bench/parse-feedparser.ts
import { runFeedparserSuite } from '../packages/parse/src/feedparser-harness/run.js';

const summary = runFeedparserSuite();
const lines = [
  `feedparser suite: ${summary.total} cases; applicable ${summary.applicable}; passed ${summary.passed} ` +
    `(${(summary.share * 100).toFixed(1)}%)`,
  '',
  'Not applicable, by reason:',
  ...Object.entries(summary.notApplicable)
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => `  ${String(n).padStart(4)}  ${reason}`),
  '',
  'Failing groups:',
  ...Object.entries(summary.failingGroups).map(([group, n]) => `  ${String(n).padStart(4)}  ${group}`),
  '',
  'Failing cases:',
  ...summary.cases.filter((c) => c.status === 'fail').map((c) => `  ${c.path}\n      expect: ${c.expect}`),
];
process.stdout.write(`${lines.join('\n')}\n`);
