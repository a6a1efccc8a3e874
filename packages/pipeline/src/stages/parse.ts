import { describeError, errorCode, PermanentError, toError } from '@frameline/core';
import { parseFeed } from '@frameline/parse';
import {
  documentsToExtract,
  getFetch,
  getSource,
  markSourceFailed,
  markSourceOk,
  recordParse,
  upsertDocuments,
} from '@frameline/store';
import type { Processor } from '../context.js';
import { toDocumentInput } from '../items.js';

/**
 * Parse a stored body into documents, then queue extraction for the documents that need it. Validators are
 * stored only now, after the body parsed, so a broken body is not hidden behind a 304 next time.
 */
export const parseStage: Processor<'parse'> = async (payload, ctx, attempt) => {
  const log = ctx.log.child({ stage: 'parse', sourceId: payload.sourceId, jobId: attempt.jobId });
  const fetched = await getFetch(ctx.sql, payload.fetchId);
  if (!fetched?.body) return { skipped: 'fetch body no longer stored' };
  const source = await getSource(ctx.sql, fetched.sourceId);
  if (!source) return { skipped: 'source removed' };
  let feed: Awaited<ReturnType<typeof parseFeed>>;
  try {
    feed = await parseFeed(fetched.body, {
      url: fetched.url,
      contentType: fetched.contentType,
      ...(source.selectors ? { selectors: source.selectors as { item: string } } : {}),
    });
  } catch (thrown) {
    const err = toError(thrown);
    const message = `${source.url}: ${describeError(err)}`;
    if (!(err instanceof PermanentError) && !attempt.isLast) throw err;
    await recordParse(ctx.sql, fetched.id, { errorCode: errorCode(err), error: message });
    await markSourceFailed(ctx.sql, source.id, { code: errorCode(err), message });
    log.info({ err: message }, 'parse failed');
    throw err instanceof PermanentError ? err : new PermanentError(errorCode(err), message, { cause: err });
  }
  const docs = feed.items.map(toDocumentInput);
  const result = await upsertDocuments(ctx.sql, source.id, payload.crawlId, docs);
  await recordParse(ctx.sql, fetched.id, {
    total: docs.length,
    new: result.created,
    updated: result.updated,
  });
  await markSourceOk(ctx.sql, source.id, { etag: fetched.etag, lastModified: fetched.lastModified });
  const todo = await documentsToExtract(
    ctx.sql,
    source.id,
    ctx.ruleSet.version,
    docs.map((d) => d.guid),
  );
  for (const doc of todo) {
    await ctx.enqueue('extract', {
      documentId: doc.id,
      contentHash: doc.contentHash,
      ruleSet: ctx.ruleSet.version,
      crawlId: payload.crawlId,
    });
  }
  log.debug({ items: docs.length, ...result, extract: todo.length }, 'parsed');
  return { items: docs.length, ...result };
};
