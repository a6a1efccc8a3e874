import {
  describeError,
  errorCode,
  type Logger,
  PermanentError,
  toError,
  unavailableService,
} from '@frameline/core';
import { parseFeed } from '@frameline/parse';
import {
  type DocumentInput,
  documentsToProcess,
  getFetch,
  getSource,
  markDuplicates,
  markSourceFailed,
  markSourceOk,
  recordParse,
  type SourceRow,
  type StoredFetch,
  setFeedTitle,
  type UpsertResult,
  upsertDocuments,
} from '@frameline/store';
import { type Processor, pollPolicy, type StageContext } from '../context.js';
import { itemTime, toDocumentInput, wantsArticle } from '../items.js';
import { type DocumentRef, EXTRACT_BATCH, type JobMap } from '../queues.js';
import { extractOrQueue, queueExtraction } from './extract.js';

/**
 * Parse a stored body into documents and see to their extraction (parseAndStore): the work a fetch hands over
 * when its own parse failed, and a backfill's pages. Validators are stored only after the body parsed, so a
 * broken body is not hidden behind a 304 next time.
 */
export const parseStage: Processor<'parse'> = async (payload, ctx, attempt) => {
  const log = ctx.log.child({ stage: 'parse', sourceId: payload.sourceId, jobId: attempt.jobId });
  const fetched = await getFetch(ctx.sql, payload.fetchId);
  const body = fetched?.body;
  if (!fetched || !body) return { skipped: 'fetch body no longer stored' };
  const source = await getSource(ctx.sql, fetched.sourceId);
  if (!source) return { skipped: 'source removed' };
  try {
    return await parseAndStore({ ...fetched, body }, source, payload, ctx, log);
  } catch (thrown) {
    const err = toError(thrown);
    if (unavailableService(err) || (!(err instanceof PermanentError) && !attempt.isLast)) throw err;
    // Giving up: the source shows why, whether the body was not a feed or storing it kept failing.
    const message = `${fetched.url}: ${describeError(err)}`;
    await recordParse(ctx.sql, fetched.id, { errorCode: errorCode(err), error: message });
    // A page of the source's history that fails says nothing of the live feed.
    if (!payload.bulk) await markSourceFailed(ctx.sql, source.id, { code: errorCode(err), message });
    log.info({ err: message }, 'parse failed');
    throw err instanceof PermanentError ? err : new PermanentError(errorCode(err), message, { cause: err });
  }
};

/**
 * Parse a fetched body into documents and store them (storeDocuments), record what the parse produced and,
 * for a live poll, the source's validators and next poll. The fetch stage calls it with the body it holds;
 * the parse stage with a body read back from the database.
 */
export async function parseAndStore(
  fetched: StoredFetch & { body: Uint8Array },
  source: SourceRow,
  payload: JobMap['parse'],
  ctx: StageContext,
  log: Logger,
) {
  const { crawlId, bulk } = payload;
  const feed = await parseFeed(fetched.body, {
    url: fetched.url,
    contentType: fetched.contentType,
    ...(source.selectors ? { selectors: source.selectors as { item: string } } : {}),
  });
  // (Before the documents: their extraction reads who publishes them. A page of the source's history is not
  // its live feed and does not rename it.)
  const title = feed.title?.trim() ?? '';
  if (!bulk && title !== '' && title !== source.feedTitle) await setFeedTitle(ctx.sql, source.id, title);
  const since = payload.since ? Date.parse(payload.since) : null;
  // A backfill's `since` drops items dated before it; an undated item is kept (its page may date it).
  const items = since === null ? feed.items : feed.items.filter((item) => (itemTime(item) ?? since) >= since);
  const docs = items.map((item) => toDocumentInput(item, feed.format));
  const wanted = new Set(
    items.flatMap((item, i) => {
      const doc = docs[i];
      return doc && wantsArticle(item, feed.format, source.articleMode, doc.text) ? [doc.guid] : [];
    }),
  );
  const stored = await storeDocuments(ctx, docs, {
    sourceId: source.id,
    crawlId,
    bulk: bulk ?? false,
    extractNow: true,
    wantsArticle: (guid) => wanted.has(guid),
  });
  const { result, duplicates } = stored;
  await recordParse(ctx.sql, fetched.id, {
    total: docs.length,
    new: result.created,
    updated: result.updated,
  });
  if (!bulk) {
    await markSourceOk(ctx.sql, source.id, {
      etag: fetched.etag,
      lastModified: fetched.lastModified,
      // The feed's own `<ttl>` (or syndication period) holds the next poll back like Cache-Control does.
      poll: pollPolicy(ctx.config, feed.ttlMinutes ? feed.ttlMinutes * 60_000 : null),
    });
  }
  log.debug(
    { items: docs.length, ...result, duplicates, articles: stored.articles, extract: stored.extract },
    'parsed',
  );
  return { items: docs.length, ...result, duplicates };
}

/**
 * Store documents of a source (new ones inserted, changed ones updated), mark those another source already
 * carries as its duplicates, and see to what each document this rule set has not extracted needs next: its
 * linked page when `wantsArticle` says so and no page was kept for its content (an article job), else
 * extraction in batches: here and now with `extractNow` (a stage's worker: see extractOrQueue), else (a
 * command storing a backfill's finds) through the extract queue.
 * Asking the database which documents need work (rather than trusting what the upsert returned) means a job
 * retried after a crash still finds documents whose extraction never ran.
 */
export async function storeDocuments(
  ctx: Pick<StageContext, 'sql' | 'ruleSet' | 'enqueue' | 'log'>,
  docs: DocumentInput[],
  opts: {
    sourceId: number;
    crawlId: string | null;
    bulk: boolean;
    extractNow: boolean;
    wantsArticle: (guid: string) => boolean;
  },
): Promise<{ result: UpsertResult; duplicates: number; articles: number; extract: number }> {
  const lane = opts.bulk ? { bulk: true } : {};
  const result = await upsertDocuments(
    ctx.sql,
    { sourceId: opts.sourceId, crawlId: opts.crawlId, ruleSet: ctx.ruleSet.version },
    docs,
  );
  const guids = docs.map((d) => d.guid);
  const duplicates = await markDuplicates(ctx.sql, opts.sourceId, guids);
  const todo = await documentsToProcess(ctx.sql, opts.sourceId, ctx.ruleSet.version, guids);
  const extract: DocumentRef[] = [];
  let articles = 0;
  for (const doc of todo) {
    if (opts.wantsArticle(doc.guid) && doc.articleHash !== doc.contentHash) {
      articles++;
      await ctx.enqueue('article', {
        documentId: doc.id,
        contentHash: doc.contentHash,
        crawlId: opts.crawlId,
        ...lane,
      });
    } else extract.push({ id: doc.id, contentHash: doc.contentHash });
  }
  for (let i = 0; i < extract.length; i += EXTRACT_BATCH) {
    const documents = extract.slice(i, i + EXTRACT_BATCH);
    if (opts.extractNow) await extractOrQueue(ctx, documents, opts);
    else await queueExtraction(ctx, documents, opts);
  }
  return { result, duplicates, articles, extract: extract.length };
}
