import type { Config, Logger } from '@frameline/core';
import {
  type FetchOptions,
  type HostLimiter,
  memoryHostLimiter,
  RobotsCache,
  redisHostLimiter,
  userAgent,
} from '@frameline/fetch';
import { migrate, openStore, registerRuleSet, type Store } from '@frameline/store';
import { loadRuleSet, type RuleSet } from '@frameline/tag';
import { Redis } from 'ioredis';
import { BullTransport } from './bullmq.js';
import type { StageContext } from './context.js';
import { ruleSetLookup } from './rule-sets.js';

/** What every command that touches the database needs: an open, migrated store and the loaded rule set. */
export interface Runtime {
  config: Config;
  log: Logger;
  store: Store;
  ruleSet: RuleSet;
  /** Rule sets by version, this process's own or any stored in the database (see `ruleSetLookup`). */
  ruleSetFor: (version: string) => Promise<RuleSet>;
  fetchOptions: FetchOptions;
  close(): Promise<void>;
}

/** The BullMQ transport of the runtime's Redis (REDIS_URL must be set). */
export function connectTransport(rt: Runtime): Promise<BullTransport> {
  if (!rt.config.redisUrl) throw new Error('no REDIS_URL: the queues need Redis');
  return BullTransport.connect({ redisUrl: rt.config.redisUrl, prefix: rt.config.queuePrefix, log: rt.log });
}

/** What every stage processor gets from the runtime (the transport adds `enqueue`). */
export function stageBase(rt: Runtime): Omit<StageContext, 'enqueue'> {
  return {
    sql: rt.store.sql,
    log: rt.log,
    config: rt.config,
    ruleSet: rt.ruleSet,
    ruleSetFor: rt.ruleSetFor,
    // A job whose host is busy waits in its queue (HostBusyError), not in a worker's place.
    fetchOptions: { ...rt.fetchOptions, slotWaitMs: SLOT_WAIT_MS },
  };
}

/**
 * How long a stage's fetch waits in process for a host's politeness slot before its job goes back to the queue
 * to wait there: long enough for the ordinary spacing of a few fetches, short enough that jobs for other hosts
 * get the worker's places meanwhile.
 */
export const SLOT_WAIT_MS = 2_000;

/** Fetch options for commands that fetch without a runtime (no politeness state, no robots cache). */
export function openFetchOptions(config: Config): FetchOptions {
  return {
    userAgent: userAgent(config.contactUrl),
    timeoutMs: config.fetchTimeoutMs,
    connectTimeoutMs: config.connectTimeoutMs,
    maxBodyBytes: config.maxBodyBytes,
    allowHosts: config.allowHosts,
  };
}

/**
 * Open the store (migrated), the rule set, the host limiter and the robots cache. Only FRAMELINE_ALLOW_HOSTS
 * lifts the private-address guard here, for every fetch; a source's own allowance (its `allowHosts`, such as
 * the demo's local server) is added per job by the stages, so it holds in whichever process runs the job.
 */
export async function openRuntime(config: Config, log: Logger): Promise<Runtime> {
  const ruleSet = loadRuleSet(config.rulesFile, { home: config.home });
  const store = await openStore(config, log);
  try {
    await migrate(store.sql, log);
    await registerRuleSet(store.sql, {
      version: ruleSet.version,
      name: ruleSet.source,
      files: ruleSet.files,
      entities: ruleSet.entities,
    });
  } catch (err) {
    await store.close();
    throw err;
  }
  const allowHosts = config.allowHosts;
  const ua = userAgent(config.contactUrl);
  // Per-host politeness is shared by every worker through Redis when there is one, else kept in memory.
  const limits = { maxConcurrent: config.hostConcurrency, minDelayMs: config.hostDelayMs };
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true })
    : null;
  redis?.on('error', (err) => log.debug({ err: err.message }, 'limiter redis error'));
  const limiter: HostLimiter = redis
    ? redisHostLimiter(redis, { prefix: `${config.queuePrefix}:hosts`, ...limits })
    : memoryHostLimiter(limits);
  const robots = new RobotsCache({
    userAgent: ua,
    timeoutMs: config.fetchTimeoutMs,
    connectTimeoutMs: config.connectTimeoutMs,
    allowHosts,
    limiter,
  });
  const fetchOptions: FetchOptions = {
    userAgent: ua,
    timeoutMs: config.fetchTimeoutMs,
    connectTimeoutMs: config.connectTimeoutMs,
    maxBodyBytes: config.maxBodyBytes,
    allowHosts,
    robots,
    limiter,
  };
  return {
    config,
    log,
    store,
    ruleSet,
    ruleSetFor: ruleSetLookup(store.sql, ruleSet, config.home),
    fetchOptions,
    close: async () => {
      await limiter.close();
      await redis?.quit().catch(() => undefined);
      await store.close();
    },
  };
}
