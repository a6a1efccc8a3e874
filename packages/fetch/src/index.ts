/**
 * @frameline/fetch: HTTP done politely and safely. Conditional GET, redirects, timeouts, a body cap that
 * also bounds decompression, robots.txt, per-host limits (in memory or shared through Redis) and a guard
 * against fetching private or internal addresses.
 */
export { isPrivateAddress } from './address.js';
export { backoffDelay, freshnessMs, MAX_RETRY_AFTER_MS, parseRetryAfter } from './backoff.js';
export { type FetchOptions, type FetchResult, fetchUrl, type Validators } from './fetch-url.js';
export type { HostLimiter, HostLimiterOptions } from './limiter.js';
export { type MemoryHostLimiter, memoryHostLimiter } from './memory-limiter.js';
export { type RedisHostLimiter, type RedisHostLimiterOptions, redisHostLimiter } from './redis-limiter.js';
export { RobotsCache, type RobotsCacheOptions, type RobotsCheckOptions } from './robots.js';
export type { RobotsPolicy } from './robots-policy.js';
export { userAgent } from './user-agent.js';
