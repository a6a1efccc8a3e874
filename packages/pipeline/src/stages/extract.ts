import type { ExtractedAnnouncement, ExtractResult } from '@frameline/core';
import { type Field, getDocument, replaceExtraction } from '@frameline/store';
import { isListed, tagDocument } from '@frameline/tag';
import type { Processor } from '../context.js';

/**
 * Tag a document's title and its text separately (the article from its page when one was fetched for this
 * content, else the feed's text) and replace its stored mentions and announcements.
 */
export const extractStage: Processor<'extract'> = async (payload, ctx, attempt) => {
  const log = ctx.log.child({ stage: 'extract', documentId: payload.documentId, jobId: attempt.jobId });
  const doc = await getDocument(ctx.sql, payload.documentId);
  if (!doc) return { skipped: 'document removed' };
  if (doc.contentHash !== payload.contentHash) return { skipped: 'document changed since queued' };
  if (doc.duplicateOf !== null) return { skipped: 'duplicate of another source’s document' };
  if (payload.ruleSet !== ctx.ruleSet.version) {
    log.warn({ queued: payload.ruleSet, running: ctx.ruleSet.version }, 'job queued for another rule set');
  }
  const useArticle =
    doc.articleText !== null && doc.articleHash === doc.contentHash && doc.articleText.trim() !== '';
  // The title's release is the document's subject for lines of the text that name none (release notes).
  const tagged = tagDocument(doc.title ?? '', useArticle ? (doc.articleText ?? '') : doc.text, ctx.ruleSet);
  const title = tagged.title;
  if (doc.kind === 'event') addCalendarEvent(title, doc.title ?? '');
  const fields: { field: Field; result: ExtractResult }[] = [
    { field: 'title', result: title },
    { field: useArticle ? 'article' : 'text', result: tagged.text },
  ];
  const newNames = new Set(
    fields.flatMap((f) => f.result.entities.filter((e) => !isListed(ctx.ruleSet, e.id)).map((e) => e.id)),
  );
  const written = await replaceExtraction(
    ctx.sql,
    { id: doc.id, contentHash: doc.contentHash, ruleSet: ctx.ruleSet.version, newNames },
    fields,
  );
  const announcements = fields.reduce((n, f) => n + f.result.announcements.length, 0);
  return written ? { announcements } : { skipped: 'document changed while extracting' };
};

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
