import type { Processor } from '../context.js';
import type { QueueName } from '../queues.js';
import { articleStage } from './article.js';
import { extractStage } from './extract.js';
import { fetchStage } from './fetch.js';
import { parseStage } from './parse.js';

/** The processor of each stage. */
export const PROCESSORS: { [Q in QueueName]: Processor<Q> } = {
  fetch: fetchStage,
  parse: parseStage,
  article: articleStage,
  extract: extractStage,
};
