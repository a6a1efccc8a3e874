import type { Config, Logger } from '@frameline/core';
import type { FetchOptions } from '@frameline/fetch';
import type { PollPolicy, SourceRow, Sql } from '@frameline/store';
import type { RuleSet } from '@frameline/tag';
import type { JobMap, QueueName } from './queues.js';

/** Add a job to a stage. Idempotent: the job id is derived from the payload. */
export type Enqueue = <Q extends QueueName>(queue: Q, payload: JobMap[Q]) => Promise<void>;

/** Everything a stage processor may touch; the same object serves BullMQ workers and the in-process runner. */
export interface StageContext {
  sql: Sql;
  log: Logger;
  config: Config;
  /** The rule set this process was started with: new work is extracted with it. */
  ruleSet: RuleSet;
  /** Any rule set by version (a re-extraction may ask for another one), built from the database once. */
  ruleSetFor: (version: string) => Promise<RuleSet>;
  fetchOptions: FetchOptions;
  enqueue: Enqueue;
}

/** How the stages space a source's polls, from the settings and what the server said of its answer. */
export function pollPolicy(config: Config, freshForMs: number | null = null): PollPolicy {
  const maxIntervalS = Math.max(config.minIntervalS, config.maxIntervalS);
  return {
    minIntervalS: config.minIntervalS,
    maxIntervalS,
    freshForS: freshForMs === null ? null : Math.min(freshForMs / 1000, maxIntervalS),
  };
}

/** A job that failed for good: its queue, id and last error. */
export interface JobFailure {
  queue: QueueName;
  jobId: string;
  error: string;
}

/**
 * The fetch options for a request made on a source's behalf (its feed, or a page its items link to): the
 * runtime's, plus the hosts that source may reach although they resolve to private addresses. The allowance
 * is read from the source row by whichever process runs the job, so it holds for every worker and for no
 * other source.
 */
export function fetchOptionsFor(base: FetchOptions, source: Pick<SourceRow, 'allowHosts'>): FetchOptions {
  if (source.allowHosts.length === 0) return base;
  return { ...base, allowHosts: [...(base.allowHosts ?? []), ...source.allowHosts] };
}

/** Facts about the attempt being made, for processors that behave differently on the last one. */
export interface Attempt {
  jobId: string;
  /** 1 for the first attempt. */
  number: number;
  /** True when no retry will follow a failure of this attempt. */
  isLast: boolean;
}

export type Processor<Q extends QueueName> = (
  payload: JobMap[Q],
  ctx: StageContext,
  attempt: Attempt,
) => Promise<unknown>;
