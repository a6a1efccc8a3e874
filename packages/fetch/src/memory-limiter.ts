import {
  abortReason,
  checkLimiterOptions,
  type HostLimiter,
  type HostLimiterOptions,
  MAX_DEFER_MS,
} from './limiter.js';

interface Waiter {
  resolve: (release: () => Promise<void>) => void;
  reject: (err: Error) => void;
  cleanup: () => void;
}

interface HostState {
  running: number;
  /** Earliest time (ms since epoch) the next request may start. */
  nextStart: number;
  /** First come, first served. */
  queue: Waiter[];
  timer: NodeJS.Timeout | null;
}

/** A HostLimiter for one process (the in-process mode, or tests). */
export type MemoryHostLimiter = HostLimiter & {
  deferHost(host: string, ms: number): Promise<void>;
  deferredFor(host: string): Promise<number>;
};

/**
 * Per-host limiter held in memory: FIFO per host, at most `maxConcurrent` running, starts at least
 * `minDelayMs` apart. Use redisHostLimiter when several processes crawl at once.
 */
export function memoryHostLimiter(opts: HostLimiterOptions): MemoryHostLimiter {
  checkLimiterOptions(opts);
  const hosts = new Map<string, HostState>();
  let closed = false;

  const state = (host: string): HostState => {
    let s = hosts.get(host);
    if (!s) {
      if (hosts.size >= 1024) sweep();
      s = { running: 0, nextStart: 0, queue: [], timer: null };
      hosts.set(host, s);
    }
    return s;
  };

  const grant = (host: string, s: HostState): (() => Promise<void>) => {
    s.running++;
    s.nextStart = Date.now() + opts.minDelayMs;
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      s.running--;
      pump(host, s);
    };
  };

  // Forget idle hosts whose delay has passed, so the map does not grow with every host ever seen.
  const sweep = (): void => {
    const now = Date.now();
    for (const [host, s] of hosts) {
      if (s.running === 0 && s.queue.length === 0 && s.timer === null && s.nextStart <= now)
        hosts.delete(host);
    }
  };

  // Start as many queued waiters as the rules allow now, and arm one timer for the next possible start.
  const pump = (host: string, s: HostState): void => {
    if (s.timer) {
      clearTimeout(s.timer);
      s.timer = null;
    }
    while (s.queue.length > 0 && s.running < opts.maxConcurrent) {
      const wait = s.nextStart - Date.now();
      if (wait > 0) {
        s.timer = setTimeout(() => pump(host, s), wait);
        return;
      }
      const waiter = s.queue.shift();
      if (!waiter) break;
      waiter.cleanup();
      waiter.resolve(grant(host, s));
    }
    if (s.running === 0 && s.queue.length === 0 && s.nextStart <= Date.now()) hosts.delete(host);
  };

  return {
    acquire(host, signal) {
      if (closed) return Promise.reject(new Error('host limiter is closed'));
      if (signal?.aborted) return Promise.reject(abortReason(signal));
      const s = state(host);
      return new Promise((resolve, reject) => {
        const onAbort = () => {
          const i = s.queue.indexOf(waiter);
          if (i >= 0) s.queue.splice(i, 1);
          reject(abortReason(signal as AbortSignal));
          pump(host, s);
        };
        const waiter: Waiter = {
          resolve,
          reject,
          cleanup: () => signal?.removeEventListener('abort', onAbort),
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        s.queue.push(waiter);
        pump(host, s);
      });
    },
    async deferHost(host, ms) {
      const s = state(host);
      s.nextStart = Math.max(s.nextStart, Date.now() + Math.min(Math.max(0, ms), MAX_DEFER_MS));
      pump(host, s);
    },
    async deferredFor(host) {
      const s = hosts.get(host);
      return s ? Math.max(0, s.nextStart - opts.minDelayMs - Date.now()) : 0;
    },
    async close() {
      closed = true;
      for (const s of hosts.values()) {
        if (s.timer) clearTimeout(s.timer);
        s.timer = null;
        for (const w of s.queue.splice(0)) {
          w.cleanup();
          w.reject(new Error('host limiter closed while waiting for a slot'));
        }
      }
    },
  };
}
