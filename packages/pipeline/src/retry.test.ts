import { setTimeout as sleep } from 'node:timers/promises';
import { HostBusyError, ServiceUnavailableError, TransientError } from '@frameline/core';
import { describe, expect, it } from 'vitest';
import { MAX_OUTAGE_DELAY_MS, OutageBackoff, putBackFor } from './retry.js';

describe('putBackFor: which failed jobs go back to their queue uncharged', () => {
  it('a busy host: back after one to two times as long as the fetch waited', () => {
    for (let i = 0; i < 50; i++) {
      const wait = putBackFor(new HostBusyError('example.org', 2_000), new OutageBackoff());
      expect(wait?.reason).toBe('host busy');
      expect(wait?.delayMs).toBeGreaterThanOrEqual(2_000);
      expect(wait?.delayMs).toBeLessThanOrEqual(4_000);
    }
  });

  it('an outage: back after about as long as it has lasted, within bounds', () => {
    const wait = putBackFor(new ServiceUnavailableError('database', 'down'), new OutageBackoff());
    expect(wait?.reason).toBe('database');
    expect(wait?.delayMs).toBeGreaterThanOrEqual(250);
    expect(wait?.delayMs).toBeLessThanOrEqual(MAX_OUTAGE_DELAY_MS);
  });

  it('an outage that has lasted too long, or any other error: charged as usual', async () => {
    const expired = new OutageBackoff(0);
    putBackFor(new ServiceUnavailableError('redis', 'down'), expired);
    await sleep(5); // the outage outlasts its zero-length allowance
    expect(putBackFor(new ServiceUnavailableError('redis', 'down'), expired)).toBeNull();
    expect(putBackFor(new TransientError('timeout', 'slow'), new OutageBackoff())).toBeNull();
    expect(putBackFor(new Error('bug'), new OutageBackoff())).toBeNull();
  });
});
