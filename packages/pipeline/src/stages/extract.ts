import {
  describeError,
  type ExtractedAnnouncement,
  type ExtractResult,
  toError,
  unavailableService,
} from '@frameline/core';
import {
  type DocumentExtraction,
  getDocuments,
  replaceExtractions,
  type StoredDocument,
} from '@frameline/store';
import { isListed, type RuleSet, tagDocument } from '@frameline/tag';
import type { Processor, StageContext } from '../context.js';
import type { DocumentRef } from '../queues.js';

/**
 * Tag a batch of documents with the job's rule set and store every result in one transaction. A document that
 * changed since it was queued, vanished or turned out to be another source's duplicate is skipped: the work
 * queued for its new content, or its original, stands for it.
 */
export const extractStage: Processor<'extract'> = async (payload, ctx) =>
  extractDocuments(ctx, payload.documents, await ctx.ruleSetFor(payload.ruleSet));

/** extractStage's work, which the parse stage also does itself for the documents it has just stored. */
export async function extractDocuments(
  ctx: Pick<StageContext, 'sql'>,
  refs: readonly DocumentRef[],
  ruleSet: RuleSet,
): Promise<{ documents: number; written: number; announcements: number }> {
  const wanted = new Map(refs.map((d) => [d.id, d.contentHash]));
  const docs = await getDocuments(
    ctx.sql,
    refs.map((d) => d.id),
  );
  const current = docs.filter((d) => d.contentHash === wanted.get(d.id) && d.duplicateOf === null);
  const extractions = current.map((doc) => extractionOf(doc, ruleSet));
  const written = await replaceExtractions(ctx.sql, ruleSet.version, extractions);
  let announcements = 0;
  for (const e of extractions) for (const f of e.fields) announcements += f.result.announcements.length;
  return { documents: refs.length, written: written.length, announcements };
}

/**
 * Extract documents here and now (a stage's worker has the rules loaded), which spares a job and reading the
 * texts in another process. A batch that fails here for any reason but an outage goes to the extract queue,
 * whose retries and error record take it from there.
 */
export async function extractOrQueue(
  ctx: Pick<StageContext, 'sql' | 'ruleSet' | 'enqueue' | 'log'>,
  documents: DocumentRef[],
  lane: { crawlId: string | null; bulk: boolean },
): Promise<void> {
  try {
    await extractDocuments(ctx, documents, ctx.ruleSet);
    return;
  } catch (thrown) {
    const err = toError(thrown);
    if (unavailableService(err)) throw err;
    ctx.log.warn({ err: describeError(err), documents: documents.length }, 'extraction queued after failing');
  }
  await queueExtraction(ctx, documents, lane);
}

/** Queue documents for extraction with this process's rule set, on the live or the bulk lane. */
export function queueExtraction(
  ctx: Pick<StageContext, 'ruleSet' | 'enqueue'>,
  documents: DocumentRef[],
  lane: { crawlId: string | null; bulk: boolean },
): Promise<void> {
  return ctx.enqueue('extract', {
    documents,
    ruleSet: ctx.ruleSet.version,
    crawlId: lane.crawlId,
    ...(lane.bulk ? { bulk: true } : {}),
  });
}

/**
 * A document's extraction: its title and its text tagged separately (the article from its page when one was
 * fetched for this content, else the feed's text).
 */
export function extractionOf(doc: StoredDocument, ruleSet: RuleSet): DocumentExtraction {
  const useArticle =
    doc.articleText !== null && doc.articleHash === doc.contentHash && doc.articleText.trim() !== '';
  // The title's release is the document's subject for lines of the text that name none (release notes); a
  // title that is only a version is a release of the software its publisher names.
  const tagged = tagDocument(doc.title ?? '', useArticle ? (doc.articleText ?? '') : doc.text, ruleSet, {
    publisher: () => publisherOf(doc),
  });
  if (doc.kind === 'event') addCalendarEvent(tagged.title, doc.title ?? '');
  const fields = [
    { field: 'title' as const, result: tagged.title },
    { field: useArticle ? ('article' as const) : ('text' as const), result: tagged.text },
  ];
  const newNames = new Set(
    fields.flatMap((f) => f.result.entities.filter((e) => !isListed(ruleSet, e.id)).map((e) => e.id)),
  );
  return { id: doc.id, contentHash: doc.contentHash, newNames, fields };
}

/**
 * Who publishes a document, in words: its source's name, its feed's own title, and the paths of its source's
 * and its own addresses, words split at slashes, hyphens and underscores ("https://github.com/apache/tvm/
 * releases.atom" gives "apache tvm releases.atom"). A site's host names the site, not the software, so it is
 * left out.
 */
export function publisherOf(
  doc: Pick<StoredDocument, 'sourceName' | 'sourceTitle' | 'sourceUrl' | 'url'>,
): string {
  const paths = [doc.sourceUrl, doc.url].map((address) => {
    if (address === null) return '';
    try {
      return decodeURIComponent(new URL(address).pathname)
        .replace(/[/_-]+/g, ' ')
        .trim();
    } catch {
      return '';
    }
  });
  return [doc.sourceName ?? '', doc.sourceTitle ?? '', ...paths].filter((w) => w !== '').join('\n');
}

/**
 * A calendar entry is itself an event: when its title names an event the rules know ("NeurIPS 2024"), it
 * becomes an `event` announcement dated by the entry, with the title as evidence, unless a rule found one.
 */
function addCalendarEvent(title: ExtractResult, text: string): void {
  const event = title.entities.find((e) => e.kind === 'event');
  if (!event || title.announcements.some((a) => a.type === 'event' && a.subject === event.id)) return;
  const others = title.entities.filter((e) => e.id !== event.id && e.kind !== 'event').map((e) => e.id);
  const announcement: ExtractedAnnouncement = {
    type: 'event',
    subject: event.id,
    objects: others,
    // The edition, when the title gives a year ("NeurIPS 2024").
    version: /\b(?:19|20)\d{2}\b/.exec(text)?.[0] ?? null,
    stage: null,
    evidence: { start: 0, end: text.length, text },
    rule: 'calendar-event',
  };
  title.announcements.push(announcement);
}
