/**
 * @frameline/testkit: what tests and benchmarks share, and nothing the product runs. The one fixture HTTP
 * server (and the routes `fetchUrl`'s tests need), loaders of the shared real material in `../shared/corpora`,
 * the feedparser conformance harness (with rss-parser as the measured baseline) and the article shingle score.
 */
export { aggregate, type CorpusScore, type PageScore, scorePage, tokens } from './article-score.js';
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
} from './corpora.js';
export { createRssParserBaseline } from './feedparser-harness/rss-parser-baseline.js';
export { CAUSES } from './feedparser-harness/rss-parser-causes.js';
export { RSS_PARSER_CUSTOM_FIELDS } from './feedparser-harness/rss-parser-mode.js';
export { type CauseCount, compareWithRssParser } from './feedparser-harness/rss-parser-suite.js';
export { runFeedparserSuite, type SuiteSummary } from './feedparser-harness/run.js';
export {
  BOMB_MEMBERS,
  ETAG,
  FEED_BODY,
  type FetchFixture,
  LAST_MODIFIED,
  type RobotsMode,
  startFetchFixture,
} from './fetch-routes.js';
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
