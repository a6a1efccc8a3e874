import { getDocument, replaceExtraction } from '@frameline/store';
import { tag } from '@frameline/tag';
import type { Processor } from '../context.js';

/** Tag a document's title and text separately and replace its stored mentions and announcements. */
export const extractStage: Processor<'extract'> = async (payload, ctx, attempt) => {
  const log = ctx.log.child({ stage: 'extract', documentId: payload.documentId, jobId: attempt.jobId });
  const doc = await getDocument(ctx.sql, payload.documentId);
  if (!doc) return { skipped: 'document removed' };
  if (doc.contentHash !== payload.contentHash) return { skipped: 'document changed since queued' };
  if (payload.ruleSet !== ctx.ruleSet.version) {
    log.warn({ queued: payload.ruleSet, running: ctx.ruleSet.version }, 'job queued for another rule set');
  }
  const title = tag(doc.title ?? '', ctx.ruleSet);
  const text = tag(doc.text, ctx.ruleSet);
  const written = await replaceExtraction(
    ctx.sql,
    { id: doc.id, contentHash: doc.contentHash, ruleSet: ctx.ruleSet.version },
    { title, text },
  );
  const announcements = title.announcements.length + text.announcements.length;
  return written ? { announcements } : { skipped: 'document changed while extracting' };
};
