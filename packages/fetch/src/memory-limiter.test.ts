import { describe, expect, it } from 'vitest';
import { memoryHostLimiter } from './memory-limiter.js';

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe('memoryHostLimiter', () => {
  it('never runs more than maxConcurrent requests per host, and reaches it', async () => {
    const limiter = memoryHostLimiter({ maxConcurrent: 2, minDelayMs: 0 });
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        const release = await limiter.acquire('a.example');
        running++;
        peak = Math.max(peak, running);
        await tick(5);
        running--;
        await release();
      }),
    );
    expect(peak).toBe(2);
    await limiter.close();
  });

  it('grants in arrival order within a host, and hosts do not wait for each other', async () => {
    const limiter = memoryHostLimiter({ maxConcurrent: 1, minDelayMs: 0 });
    const order: string[] = [];
    const hold = await limiter.acquire('a.example');
    const queued = ['a1', 'a2', 'a3'].map((name) =>
      limiter.acquire('a.example').then(async (release) => {
        order.push(name);
        await release();
      }),
    );
    const b = await limiter.acquire('b.example'); // not blocked by a.example's queue
    order.push('b');
    await b();
    await hold();
    await Promise.all(queued);
    expect(order).toEqual(['b', 'a1', 'a2', 'a3']);
    await limiter.close();
  });

  it('spaces the starts of requests to one host by minDelayMs', async () => {
    const limiter = memoryHostLimiter({ maxConcurrent: 5, minDelayMs: 40 });
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 5 }, async () => {
        const release = await limiter.acquire('a.example');
        starts.push(performance.now());
        await release();
      }),
    );
    const gaps = starts.slice(1).map((t, i) => t - (starts[i] as number));
    // Timers may fire up to ~1 ms early against performance.now(); the rule itself is "at least 40 ms".
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(38);
    await limiter.close();
  });

  it('releasing twice frees only one slot', async () => {
    const limiter = memoryHostLimiter({ maxConcurrent: 1, minDelayMs: 0 });
    const first = await limiter.acquire('a.example');
    await first();
    await first();
    const second = await limiter.acquire('a.example');
    let thirdGranted = false;
    const third = limiter.acquire('a.example').then((r) => {
      thirdGranted = true;
      return r;
    });
    await tick(20);
    expect(thirdGranted).toBe(false);
    await second();
    await (await third)();
    await limiter.close();
  });

  it('deferHost holds back the next start; an aborted wait gives up its place', async () => {
    const limiter = memoryHostLimiter({ maxConcurrent: 1, minDelayMs: 0 });
    await limiter.deferHost('a.example', 60_000);
    const ctl = new AbortController();
    const waiting = limiter.acquire('a.example', ctl.signal);
    const other = await limiter.acquire('b.example');
    await other();
    ctl.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
    await limiter.close();
  });

  it('close rejects pending acquires', async () => {
    const limiter = memoryHostLimiter({ maxConcurrent: 1, minDelayMs: 0 });
    await limiter.acquire('a.example');
    const pending = limiter.acquire('a.example');
    await limiter.close();
    await expect(pending).rejects.toThrow('closed');
    await expect(limiter.acquire('b.example')).rejects.toThrow('closed');
  });
});
