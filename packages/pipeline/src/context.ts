import type { Config, Logger } from '@frameline/core';
import type { FetchOptions } from '@frameline/fetch';
import type { Sql } from '@frameline/store';
import type { RuleSet } from '@frameline/tag';
import type { JobMap, QueueName } from './queues.js';

/** Add a job to a stage. Idempotent: the job id is derived from the payload. */
export type Enqueue = <Q extends QueueName>(queue: Q, payload: JobMap[Q]) => Promise<void>;

/** Everything a stage processor may touch; the same object serves BullMQ workers and the in-process runner. */
export interface StageContext {
  sql: Sql;
  log: Logger;
  config: Config;
  ruleSet: RuleSet;
  fetchOptions: FetchOptions;
  enqueue: Enqueue;
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
