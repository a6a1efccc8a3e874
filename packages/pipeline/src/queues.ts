import { createHash } from 'node:crypto';
import { STAGES, type Stage } from '@frameline/core';

/**
 * The pipeline's queues and what each job carries. One map, so a misspelt queue or payload does not compile.
 *
 * The split follows the resources each stage uses: `fetch` waits on the network (and on per-host politeness),
 * `parse` turns the stored body into documents, `article` fetches the linked page of a summary-only item
 * (network again, other hosts), `extract` runs the tagger over a batch of documents. Every stage
 * stores its own output in Postgres in the same transaction that makes it visible, so payloads stay small
 * references (ids) rather than bodies; there is no separate "store" queue because nothing would be left for it.
 * A stage that holds what the next one needs does that work itself (a fetch parses its body and extracts what
 * it stored; an article job extracts its document): the next stage's queue takes over when that fails, and
 * carries the work that starts there (a backfill's pages, a re-extraction's batches).
 */
export const QUEUES = STAGES;
export type QueueName = Stage;

export interface JobMap {
  /** Fetch one source. `slot` names the scheduled run (its due time, or the forcing crawl) for idempotency. */
  fetch: { sourceId: number; slot: string; crawlId: string | null };
  /**
   * Parse the body stored in fetches row `fetchId` into documents. A `bulk` parse is of a page of the
   * source's history (a backfill): it leaves the source's polling state alone, and skips items dated before
   * `since` (ISO 8601).
   */
  parse: { fetchId: number; sourceId: number; crawlId: string | null; bulk?: boolean; since?: string | null };
  /** Fetch the linked page of one document, as of one content hash, and keep its main text. */
  article: { documentId: number; contentHash: string; crawlId: string | null; bulk?: boolean };
  /** Tag documents, each as of one content hash, with one rule set (by version), and store the results. */
  extract: { documents: DocumentRef[]; ruleSet: string; crawlId: string | null; bulk?: boolean };
}

/** A document as of one content hash: work on it is void once its content has changed. */
export interface DocumentRef {
  id: number;
  contentHash: string;
}

/** How many documents one extract job carries: one transaction writes them all. */
export const EXTRACT_BATCH = 100;

/**
 * Work a person asked for over stored history (re-extraction, backfill) is `bulk`: it waits behind live
 * crawling's jobs in the same queues, so a large backfill never starves polling.
 */
export const BULK_PRIORITY = 100;

export type Payload<Q extends QueueName> = JobMap[Q];

/**
 * Deterministic job ids: enqueueing the same work twice is a no-op. BullMQ forbids `:` in custom ids and
 * all-digit ids, so every id starts with its queue name and uses `-` as the separator.
 */
export function jobIdFor<Q extends QueueName>(queue: Q, payload: JobMap[Q]): string {
  switch (queue) {
    case 'fetch': {
      const p = payload as JobMap['fetch'];
      return `fetch-${p.sourceId}-${p.slot}`;
    }
    case 'parse': {
      const p = payload as JobMap['parse'];
      return `parse-${p.fetchId}`;
    }
    case 'article': {
      const p = payload as JobMap['article'];
      return `article-${p.documentId}-${p.contentHash.slice(0, 16)}`;
    }
    case 'extract': {
      const p = payload as JobMap['extract'];
      // The documents and their hashes, digested: the same batch queued twice is one job.
      const digest = createHash('sha256');
      for (const d of p.documents) digest.update(`${d.id}:${d.contentHash},`);
      return `extract-${p.ruleSet}-${p.documents.length}-${digest.digest('hex').slice(0, 24)}`;
    }
    default: {
      const never: never = queue;
      throw new Error(`unknown queue ${String(never)}`);
    }
  }
}

/** How often a stage tries a job before giving up on it (a PermanentError gives up at once). */
export const ATTEMPTS: Record<QueueName, number> = { fetch: 4, parse: 3, article: 2, extract: 3 };

export function isQueueName(name: string): name is QueueName {
  return (QUEUES as readonly string[]).includes(name);
}
