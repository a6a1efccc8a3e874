import { describe, expect, it } from 'vitest';
import { backoffDelay, freshnessMs, MAX_RETRY_AFTER_MS, parseRetryAfter } from './backoff.js';

describe('backoffDelay', () => {
  it('stays within [0, min(max, base * 2^(attempt-1))]', () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      const ceiling = Math.min(60_000, 500 * 2 ** (attempt - 1));
      for (let i = 0; i < 200; i++) {
        const d = backoffDelay(attempt, 500, 60_000);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(ceiling);
        expect(Number.isInteger(d)).toBe(true);
      }
    }
  });

  it('is jittered across the whole range, not clustered at the ceiling', () => {
    const samples = Array.from({ length: 2000 }, () => backoffDelay(5, 1000, 1_000_000));
    // Ceiling 16 s: with full jitter about half the samples fall under 8 s.
    const low = samples.filter((d) => d < 8000).length;
    expect(low).toBeGreaterThan(800);
    expect(low).toBeLessThan(1200);
    expect(new Set(samples).size).toBeGreaterThan(1000);
  });

  it('grows with the attempt number and never overflows', () => {
    const mean = (attempt: number) =>
      Array.from({ length: 500 }, () => backoffDelay(attempt, 1000, 1e9)).reduce((a, b) => a + b, 0) / 500;
    expect(mean(6)).toBeGreaterThan(mean(2) * 4);
    expect(backoffDelay(10_000, 1000, 5000)).toBeLessThanOrEqual(5000);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-10-01T10:00:00Z');
  it('reads seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });
  it('reads an HTTP date', () => {
    expect(parseRetryAfter('Wed, 01 Oct 2025 10:01:30 GMT', now)).toBe(90_000);
    expect(parseRetryAfter('Wed, 01 Oct 2025 09:00:00 GMT', now)).toBe(0);
  });
  it('clamps absurd values and ignores garbage', () => {
    expect(parseRetryAfter('999999999999', now)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('-5', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });
});

describe('freshnessMs', () => {
  const none = { cacheControl: null, expires: null, date: null };
  it('reads s-maxage before max-age, and Expires against the response date', () => {
    expect(freshnessMs({ ...none, cacheControl: 'public, max-age=600' })).toBe(600_000);
    expect(freshnessMs({ ...none, cacheControl: 'max-age=600, s-maxage=60' })).toBe(60_000);
    const date = 'Wed, 02 Dec 2026 10:00:00 GMT';
    expect(freshnessMs({ ...none, expires: 'Wed, 02 Dec 2026 11:00:00 GMT', date })).toBe(3_600_000);
  });
  it('says nothing when the response forbids caching, gives no lifetime or an unreadable one', () => {
    expect(freshnessMs({ ...none, cacheControl: 'no-cache, max-age=600' })).toBeNull();
    expect(freshnessMs(none)).toBeNull();
    expect(freshnessMs({ ...none, expires: '0' })).toBeNull();
  });
  it('a lifetime longer than a day is held to a day', () => {
    expect(freshnessMs({ ...none, cacheControl: 'max-age=31536000' })).toBe(MAX_RETRY_AFTER_MS);
  });
});
