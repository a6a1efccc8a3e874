import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisHostLimiter } from './redis-limiter.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `frameline-test-limiter-${randomUUID()}`;
let a: Redis;
let b: Redis;

beforeAll(async () => {
  a = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  b = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  await a.ping();
});
afterAll(async () => {
  const keys = await a.keys(`${prefix}:*`);
  if (keys.length > 0) await a.del(...keys);
  a.disconnect();
  b.disconnect();
});

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe('redisHostLimiter', () => {
  it('a host deferred by one process is seen as held back by another', async () => {
    const opts = { prefix: `${prefix}:defer`, maxConcurrent: 1, minDelayMs: 0, pollMs: 10 };
    const one = redisHostLimiter(a, opts);
    const two = redisHostLimiter(b, opts);
    expect(await two.deferredFor('held.example')).toBe(0);
    await one.deferHost('held.example', 30_000);
    const left = await two.deferredFor('held.example');
    expect(left).toBeGreaterThan(25_000);
    expect(left).toBeLessThanOrEqual(30_000);
    expect(await two.deferredFor('other.example')).toBe(0);
    await one.close();
    await two.close();
  });

  it('two instances (two connections) share maxConcurrent for a host', async () => {
    const opts = { prefix: `${prefix}:conc`, maxConcurrent: 2, minDelayMs: 0, pollMs: 10 };
    const limiters = [redisHostLimiter(a, opts), redisHostLimiter(b, opts)];
    let running = 0;
    let peak = 0;
    const perInstance = [0, 0];
    await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const which = i % 2;
        const release = await (limiters[which] as (typeof limiters)[number]).acquire('shared.example');
        running++;
        perInstance[which] = (perInstance[which] ?? 0) + 1;
        peak = Math.max(peak, running);
        await tick(15);
        running--;
        await release();
      }),
    );
    expect(peak).toBe(2);
    expect(perInstance).toEqual([6, 6]);
    expect(await a.zcard(`${prefix}:conc:{shared.example}:leases`)).toBe(0);
  });

  it('two instances space their starts to one host by minDelayMs (by the Redis clock)', async () => {
    const opts = { prefix: `${prefix}:delay`, maxConcurrent: 10, minDelayMs: 100, pollMs: 20 };
    // Record each grant's time as the Lua script reports it ({1, now}), i.e. the clock Redis decided by.
    const grants: number[] = [];
    const recording = (redis: Redis) =>
      new Proxy(redis, {
        get(target, key, receiver) {
          if (key !== 'eval') return Reflect.get(target, key, receiver);
          return async (...args: Parameters<Redis['eval']>) => {
            const out = await target.eval(...args);
            if (Array.isArray(out) && out[0] === 1) grants.push(Number(out[1]));
            return out;
          };
        },
      });
    const limiters = [redisHostLimiter(recording(a), opts), redisHostLimiter(recording(b), opts)];
    await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const release = await (limiters[i % 2] as (typeof limiters)[number]).acquire('slow.example');
        await release();
      }),
    );
    expect(grants).toHaveLength(6);
    grants.sort((x, y) => x - y);
    const gaps = grants.slice(1).map((t, i) => t - (grants[i] as number));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(100);
  });

  it('deferHost from one instance holds back the other', async () => {
    const opts = { prefix: `${prefix}:defer`, maxConcurrent: 1, minDelayMs: 0, pollMs: 10 };
    const one = redisHostLimiter(a, opts);
    const two = redisHostLimiter(b, opts);
    await one.deferHost('busy.example', 60_000);
    const ctl = new AbortController();
    let granted = false;
    const waiting = two.acquire('busy.example', ctl.signal).then(() => {
      granted = true;
    });
    const free = await two.acquire('free.example');
    await free();
    await tick(50);
    expect(granted).toBe(false);
    ctl.abort(new Error('stopped waiting'));
    await expect(waiting).rejects.toThrow('stopped waiting');
  });

  it('a slot held by a process killed with SIGKILL frees itself when its lease expires', async () => {
    const holderPrefix = `${prefix}:lease`;
    const leaseKey = `${holderPrefix}:{lease.example}:leases`;
    const script = fileURLToPath(new URL('./lease-holder.fixture.ts', import.meta.url));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', script, REDIS_URL, holderPrefix, 'lease.example', '600'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout?.on('data', (d: Buffer) => d.toString().includes('held') && resolve());
        child.once('exit', (code) => reject(new Error(`lease holder exited early (${code})`)));
      });
      // While the holder lives its heartbeat keeps the lease past leaseMs.
      await tick(1_500);
      expect(await a.zcard(leaseKey)).toBe(1);
      const [holder = ''] = await a.zrange(leaseKey, '0', '0');
      const expiresAt = await a.zscore(leaseKey, holder);

      const limiter = redisHostLimiter(b, {
        prefix: holderPrefix,
        maxConcurrent: 1,
        minDelayMs: 0,
        pollMs: 20,
      });
      let granted = false;
      const acquiring = limiter.acquire('lease.example').then((release) => {
        granted = true;
        return release;
      });
      await tick(100);
      expect(granted).toBe(false); // the live holder still has the only slot
      child.kill('SIGKILL');
      const release = await acquiring;
      // Granted only after the dead holder's lease ran out (Redis clock), never by a release from it.
      const [seconds = 0, micros = 0] = (await a.time()).map(Number);
      // Heartbeats after our snapshot only push the expiry later, so the snapshot is a lower bound.
      expect(seconds * 1000 + Math.floor(micros / 1000)).toBeGreaterThanOrEqual(Number(expiresAt));
      expect(await a.zcard(leaseKey)).toBe(1); // ours now
      await release();
      expect(await a.zcard(leaseKey)).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
