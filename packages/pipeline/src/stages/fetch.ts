import {
  describeError,
  errorCode,
  HostBusyError,
  PermanentError,
  TransientError,
  toError,
  unavailableService,
} from '@frameline/core';
import { fetchUrl } from '@frameline/fetch';
import {
  deferSource,
  getSource,
  markSourceFailed,
  markSourceFetched,
  markSourceOk,
  recordFetch,
} from '@frameline/store';
import { fetchOptionsFor, type Processor, pollPolicy } from '../context.js';
import { MAX_RETRY_DELAY_MS } from '../retry.js';
import { parseAndStore } from './parse.js';

/**
 * Fetch one source with its stored validators, record the fetch, and parse a 200's body (see parseAndStore).
 * The source's error state is only touched when no retry will follow, so one flaky attempt is not an error.
 */
export const fetchStage: Processor<'fetch'> = async (payload, ctx, attempt) => {
  const log = ctx.log.child({ stage: 'fetch', sourceId: payload.sourceId, jobId: attempt.jobId });
  const source = await getSource(ctx.sql, payload.sourceId);
  if (!source) return { skipped: 'source removed' };
  if (source.pausedAt) return { skipped: 'source paused' };
  const previous =
    source.etag || source.lastModified ? { etag: source.etag, lastModified: source.lastModified } : null;
  const started = performance.now();
  try {
    const res = await fetchUrl(source.url, previous, fetchOptionsFor(ctx.fetchOptions, source));
    const fetchId = await recordFetch(ctx.sql, {
      sourceId: source.id,
      crawlId: payload.crawlId,
      url: res.url,
      durationMs: res.durationMs,
      status: res.status,
      notModified: res.notModified,
      bytes: res.bytes,
      contentType: res.contentType,
      etag: res.validators.etag,
      lastModified: res.validators.lastModified,
      body: res.notModified ? null : res.body,
      errorCode: null,
      error: null,
    });
    const poll = pollPolicy(ctx.config, res.freshForMs);
    if (res.notModified) {
      await markSourceOk(ctx.sql, source.id, { poll });
      log.debug('not modified');
      return { status: res.status, fetchId };
    }
    await markSourceFetched(ctx.sql, source.id, { url: res.permanentRedirect, freshForS: poll.freshForS });
    log.debug({ status: res.status, bytes: res.bytes }, 'fetched');
    const parse = { fetchId, sourceId: source.id, crawlId: payload.crawlId };
    const fetched = {
      id: fetchId,
      sourceId: source.id,
      crawlId: payload.crawlId,
      url: res.url,
      contentType: res.contentType,
      etag: res.validators.etag,
      lastModified: res.validators.lastModified,
      body: res.body,
    };
    // The body is in hand: it is parsed here rather than read back by another job. Should that fail for any
    // reason but an outage, the parse queue takes over from the stored body, with its retries and error record.
    try {
      return { status: res.status, fetchId, ...(await parseAndStore(fetched, source, parse, ctx, log)) };
    } catch (thrown) {
      const err = toError(thrown);
      if (unavailableService(err)) throw err;
      log.debug({ err: describeError(err) }, 'parse queued after failing');
      await ctx.enqueue('parse', parse);
      return { status: res.status, fetchId };
    }
  } catch (thrown) {
    const err = toError(thrown);
    // The database or Redis is away, or the host has no politeness slot yet (the job waits in its queue):
    // nothing is wrong with the website, and nothing is recorded against the source.
    if (unavailableService(err) || err instanceof HostBusyError) throw err;
    const message = describeError(err);
    const code = errorCode(err);
    const retryAfterMs = err instanceof TransientError ? err.retryAfterMs : null;
    await recordFetch(ctx.sql, {
      sourceId: source.id,
      crawlId: payload.crawlId,
      url: source.url,
      durationMs: performance.now() - started,
      status: httpStatusOf(err),
      notModified: false,
      bytes: null,
      contentType: null,
      etag: null,
      lastModified: null,
      body: null,
      errorCode: code,
      error: message,
    });
    if (code === 'host_deferred' && retryAfterMs !== null) {
      // Not this source's fault: its host asked every crawler to wait. Come back then, with no error counted.
      await deferSource(ctx.sql, source.id, retryAfterMs);
      log.info({ retryAfterMs }, 'host held back; source deferred');
      return { deferred: retryAfterMs };
    }
    const giveUp =
      err instanceof PermanentError || attempt.isLast || (retryAfterMs ?? 0) > MAX_RETRY_DELAY_MS;
    log.info({ code, err: message, giveUp }, 'fetch failed');
    if (!giveUp) throw err;
    await markSourceFailed(ctx.sql, source.id, { code, message, retryAfterMs });
    throw err instanceof PermanentError ? err : new PermanentError(code, message, { cause: err });
  }
};

function httpStatusOf(err: Error): number | null {
  const match = /^http_(\d{3})$/.exec(errorCode(err));
  return match?.[1] ? Number(match[1]) : null;
}
