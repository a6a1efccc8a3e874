import { classifyFailure } from './rss-parser-causes.js';
import { runRssParser } from './rss-parser-mode.js';
import {
  type CaseResult,
  judgeCase,
  notApplicableCase,
  type PlannedCase,
  planFeedparserSuite,
  runFeedparserSuite,
  type SuiteSummary,
  servedContentType,
  summarise,
} from './run.js';

/** One group of rss-parser's failures. */
export interface CauseCount {
  cause: string;
  /** False when the checks are about something rss-parser cannot express at all. */
  expressible: boolean;
  count: number;
  /** How many of these cases our parser fails as well. */
  alsoFailOurs: number;
  paths: string[];
}

/** Both parsers over the same applicable cases, measured in the same run. */
export interface Comparison {
  ours: SuiteSummary;
  rssParser: SuiteSummary;
  /** rss-parser's failures by cause, largest first. */
  causes: CauseCount[];
}

/**
 * Runs feedparser's applicable cases through our parser and through rss-parser 3.13 with our byte handling in
 * front, and sorts rss-parser's failures by cause. A parse exception fails every check of its case.
 */
export async function compareWithRssParser(
  planned: PlannedCase[] = planFeedparserSuite(),
): Promise<Comparison> {
  const ours = runFeedparserSuite(planned);
  const oursByPath = new Map(ours.cases.map((c) => [c.path, c.status]));
  const cases: CaseResult[] = [];
  const causes = new Map<string, CauseCount>();
  for (const p of planned) {
    if (!p.tree || !p.bytes) {
      cases.push(notApplicableCase(p));
      continue;
    }
    const result = await runRssParser(p.bytes, servedContentType(p.entry));
    const judged = judgeCase(p, result);
    cases.push(judged);
    if (judged.status !== 'fail') continue;
    const { cause, expressible } = classifyFailure(p.entry, p.tree, result);
    const group = causes.get(cause) ?? { cause, expressible, count: 0, alsoFailOurs: 0, paths: [] };
    group.count++;
    if (oursByPath.get(p.entry.path) === 'fail') group.alsoFailOurs++;
    group.paths.push(p.entry.path);
    causes.set(cause, group);
  }
  return {
    ours,
    rssParser: summarise(cases),
    causes: [...causes.values()].sort((a, b) => b.count - a.count),
  };
}
