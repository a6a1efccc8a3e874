import { extractArticle } from '@frameline/article';
import { describeError, HostBusyError, PermanentError, toError, unavailableService } from '@frameline/core';
import { fetchUrl } from '@frameline/fetch';
import { decodeBody, htmlContentType } from '@frameline/parse';
import { getDocument, getSource, markDuplicateById, storeArticle } from '@frameline/store';
import { fetchOptionsFor, type Processor } from '../context.js';
import { canonicalizeUrl } from '../items.js';
import { extractOrQueue } from './extract.js';

const ACCEPT_HTML = 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5';

/**
 * Fetch a summary-only document's linked page and keep its main text, then extract the document. A page that
 * cannot be had is recorded on the document and extraction goes ahead with the feed's text: losing the
 * article must not lose the document's mentions.
 */
export const articleStage: Processor<'article'> = async (payload, ctx, attempt) => {
  const log = ctx.log.child({ stage: 'article', documentId: payload.documentId, jobId: attempt.jobId });
  const doc = await getDocument(ctx.sql, payload.documentId);
  if (!doc || doc.contentHash !== payload.contentHash) return { skipped: 'document changed or removed' };
  const next = () =>
    extractOrQueue(ctx, [{ id: doc.id, contentHash: doc.contentHash }], {
      crawlId: payload.crawlId,
      bulk: payload.bulk ?? false,
    });
  if (!doc.url) return next();
  try {
    // The page is fetched on the source's behalf, with the source's allowance (the demo's pages are local).
    const source = await getSource(ctx.sql, doc.sourceId);
    const base = source ? fetchOptionsFor(ctx.fetchOptions, source) : ctx.fetchOptions;
    const res = await fetchUrl(doc.url, null, { ...base, accept: ACCEPT_HTML });
    // An article page is HTML whatever its server says: its <meta charset> counts when HTTP names none.
    const html = decodeBody(res.body, htmlContentType(res.contentType)).text;
    const article = extractArticle(html, res.url);
    await storeArticle(ctx.sql, doc, {
      html: article.html,
      text: article.text,
      canonicalUrl: canonicalizeUrl(article.canonicalUrl ?? res.url),
      title: article.title,
      author: article.byline,
      published: article.published,
      publishedFrom: article.publishedFrom ? `article:${article.publishedFrom}` : null,
    });
    if (await markDuplicateById(ctx.sql, doc.id))
      return { skipped: 'same page as another source’s document' };
  } catch (thrown) {
    const err = toError(thrown);
    const waits = unavailableService(err) || err instanceof HostBusyError;
    if (waits || (!(err instanceof PermanentError) && !attempt.isLast)) throw err;
    const message = describeError(err);
    log.info({ err: message }, 'article not fetched; extracting the feed text');
    await storeArticle(ctx.sql, doc, { error: message });
  }
  await next();
  return { article: true };
};
