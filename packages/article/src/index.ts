export {
  CORPUS_PAGE_URL,
  type CorpusPage,
  expectedText,
  loadReadabilityCorpus,
  naiveBodyText,
  readabilityCorpusDir,
} from './corpus.js';
export { aggregate, type CorpusScore, type PageScore, scorePage, tokens } from './evaluate.js';
export { type Article, extractArticle } from './extract-article.js';
