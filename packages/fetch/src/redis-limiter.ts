import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  abortReason,
  checkLimiterOptions,
  type HostLimiter,
  type HostLimiterOptions,
  MAX_DEFER_MS,
} from './limiter.js';

/** Settings for redisHostLimiter. */
export interface RedisHostLimiterOptions extends HostLimiterOptions {
  /** Key prefix; every process sharing the limits must use the same one. */
  prefix: string;
  /**
   * How long a slot survives without a heartbeat (default 30 s). The holder renews it every leaseMs/3, so
   * a process killed with SIGKILL frees its slots after at most leaseMs.
   */
  leaseMs?: number;
  /** Longest sleep between two tries while a host is full (default 100 ms). */
  pollMs?: number;
}

/** A HostLimiter shared by all processes through Redis. */
export type RedisHostLimiter = HostLimiter & {
  deferHost(host: string, ms: number): Promise<void>;
  deferredFor(host: string): Promise<number>;
};

// All times come from Redis TIME so that workers with skewed clocks agree.
const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

// KEYS: leases (zset lease id -> expiry ms), next (earliest next start ms)
// ARGV: lease id, maxConcurrent, minDelayMs, leaseMs
// Returns {1, now} when granted, {0, ms to wait} otherwise.
const ACQUIRE = `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local leaseMs = tonumber(ARGV[4])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, tonumber(first[2]) - now}
end
local nextStart = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < nextStart then return {0, nextStart - now} end
redis.call('ZADD', KEYS[1], now + leaseMs, ARGV[1])
redis.call('PEXPIRE', KEYS[1], leaseMs + 1000)
local delay = tonumber(ARGV[3])
if delay > 0 then redis.call('SET', KEYS[2], now + delay, 'PX', delay + 1000) end
return {1, now}
`;

// KEYS: leases; ARGV: lease id, leaseMs. Returns 1 if the lease was still held.
const RENEW = `${NOW}
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) + 1000)
return 1
`;

// KEYS: next; ARGV: ms. Moves the next start later, never earlier.
const DEFER = `${NOW}
local target = now + tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current > target then target = current end
redis.call('SET', KEYS[1], target, 'PX', target - now + 1000)
return target
`;

// KEYS: next; ARGV: minDelayMs. How long past the ordinary spacing the host is still held back.
const DEFERRED = `${NOW}
local nextStart = tonumber(redis.call('GET', KEYS[1]) or '0')
local left = nextStart - now - tonumber(ARGV[1])
if left < 0 then return 0 end
return left
`;

/**
 * Per-host limiter shared by every worker process through Redis: one atomic Lua script grants a slot when
 * fewer than `maxConcurrent` unexpired leases exist for the host and `minDelayMs` has passed since the
 * last start. Waiters poll (woken early by releases in the same process), so order across processes is
 * not strictly first come, first served. The caller owns `redis` and closes it.
 */
export function redisHostLimiter(redis: Redis, opts: RedisHostLimiterOptions): RedisHostLimiter {
  checkLimiterOptions(opts);
  const leaseMs = opts.leaseMs ?? 30_000;
  const pollMs = opts.pollMs ?? 100;
  const keys = (host: string) => ({
    leases: `${opts.prefix}:{${host}}:leases`,
    next: `${opts.prefix}:{${host}}:next`,
  });
  const closing = new AbortController();
  const wakers = new Map<string, Set<() => void>>();
  const heartbeats = new Set<NodeJS.Timeout>();

  const wake = (host: string) => {
    for (const w of wakers.get(host) ?? []) w();
  };

  const sleep = (host: string, ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      let set = wakers.get(host);
      if (!set) {
        set = new Set();
        wakers.set(host, set);
      }
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        set.delete(done);
        if (set.size === 0) wakers.delete(host);
        resolve();
      };
      const onAbort = () => {
        done();
        reject(abortReason(signal));
      };
      const timer = setTimeout(done, ms);
      set.add(done);
      signal.addEventListener('abort', onAbort, { once: true });
    });

  return {
    async acquire(host, signal) {
      const waitSignal = signal ? AbortSignal.any([signal, closing.signal]) : closing.signal;
      const k = keys(host);
      const id = randomUUID();
      for (;;) {
        if (closing.signal.aborted) throw new Error('host limiter closed while waiting for a slot');
        if (waitSignal.aborted) throw abortReason(waitSignal);
        const [granted, value] = (await redis.eval(
          ACQUIRE,
          2,
          k.leases,
          k.next,
          id,
          opts.maxConcurrent,
          opts.minDelayMs,
          leaseMs,
        )) as [number, number];
        if (granted === 1) break;
        // Jitter keeps processes that wait on the same host from retrying in lockstep.
        const wait = Math.max(1, Math.min(value, pollMs)) + Math.floor(Math.random() * 10);
        await sleep(host, wait, waitSignal);
      }
      const heartbeat = setInterval(
        () => {
          redis.eval(RENEW, 1, k.leases, id, leaseMs).catch(() => {
            // A failed renewal only risks the lease expiring early; the next beat tries again.
          });
        },
        Math.max(10, Math.floor(leaseMs / 3)),
      );
      heartbeat.unref();
      heartbeats.add(heartbeat);
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        clearInterval(heartbeat);
        heartbeats.delete(heartbeat);
        await redis.zrem(k.leases, id);
        wake(host);
      };
    },
    async deferHost(host, ms) {
      const clamped = Math.min(Math.max(0, Math.round(ms)), MAX_DEFER_MS);
      await redis.eval(DEFER, 1, keys(host).next, clamped);
    },
    async deferredFor(host) {
      return Number(await redis.eval(DEFERRED, 1, keys(host).next, opts.minDelayMs));
    },
    async close() {
      closing.abort();
      // Slots still held keep their heartbeat until released; a closed limiter grants nothing new.
    },
  };
}
