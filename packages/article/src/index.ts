export { type Article, extractArticle } from './extract-article.js';
export { htmlToArticleText } from './text.js';
