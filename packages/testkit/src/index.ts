/**
 * @frameline/testkit: what tests and benchmarks share, and nothing the product runs. The one fixture HTTP
 * server (and the routes `fetchUrl`'s tests need), loaders of the shared real material in `../shared/corpora`,
 * the feedparser conformance harness (with rss-parser, feedsmith and @rowanmanning/feed-parser as measured
 * alternatives to our mapper) and the article shingle score.
 */

export { aggregate, type CorpusScore, type PageScore, scorePage, tokens } from './article-score.js';
export { BENCHMARKS_FILE, writeBenchSection, writeBenchSubsection } from './benchmarks.js';
export {
  aiLabItems,
  articlePages,
  CORPUS_PAGE_URL,
  type CorpusItem,
  type CorpusPage,
  corporaDir,
  feedItems,
  loadReadabilityCorpus,
  naiveBodyText,
  otherFeedItems,
  readabilityCorpusDir,
  realFeedFiles,
} from './corpora.js';
export { feedsmithToParsedFeed, parseWithFeedsmith } from './feedparser-harness/feedsmith-mode.js';
export { parseWithRowanmanning, rowanmanningToParsedFeed } from './feedparser-harness/rowanmanning-mode.js';
export { createRssParserBaseline } from './feedparser-harness/rss-parser-baseline.js';
export { CAUSES } from './feedparser-harness/rss-parser-causes.js';
export { RSS_PARSER_CUSTOM_FIELDS } from './feedparser-harness/rss-parser-mode.js';
export {
  ALTERNATIVE_PARSERS,
  type AlternativeParser,
  type AlternativeRun,
  agreementWithOurs,
  type CauseCount,
  type CauseKey,
  compareAlternatives,
  compareWithRssParser,
  FEEDSMITH,
  isMinimalTestDocument,
  ROWANMANNING,
  RSS_PARSER,
  runAlternative,
} from './feedparser-harness/rss-parser-suite.js';
export { planFeedparserSuite, runFeedparserSuite, type SuiteSummary } from './feedparser-harness/run.js';
export {
  BOMB_MEMBERS,
  ETAG,
  FEED_BODY,
  type FetchFixture,
  LAST_MODIFIED,
  type RobotsMode,
  startFetchFixture,
} from './fetch-routes.js';
export { seededRandom } from './random.js';
export {
  type Answer,
  chunked,
  type FixtureServer,
  type Handler,
  type RecordedRequest,
  redirect,
  send,
  slowHeaders,
  startFixtureServer,
  tricklingBody,
} from './server.js';
