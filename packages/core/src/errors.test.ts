import { connect } from 'node:net';
import { describe, expect, test } from 'vitest';
import { ServiceUnavailableError, TransientError, unavailableService } from './errors.js';

/** A real connection refusal, as a website that is down gives one. */
function refused(): Promise<Error> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: 9 });
    socket.on('error', resolve);
  });
}

describe('unavailableService', () => {
  test('a website refusing the connection is not an outage of our services', async () => {
    const err = await refused();
    expect(unavailableService(err)).toBeNull();
    expect(unavailableService(new TransientError('network', 'x', { cause: err }))).toBeNull();
  });

  test('postgres.js connection errors and shutdown states are the database', async () => {
    // postgres.js marks a socket error with the query it failed (a non-enumerable `query`).
    const socketError = Object.defineProperty(await refused(), 'query', { value: 'select 1' });
    expect(unavailableService(socketError)).toBe('database');
    const closed = Object.assign(new Error('write CONNECTION_CLOSED 127.0.0.1:5432'), {
      code: 'CONNECTION_CLOSED',
    });
    expect(unavailableService(closed)).toBe('database');
    const shutdown = Object.assign(new Error('terminating connection due to administrator command'), {
      name: 'PostgresError',
      code: '57P01',
    });
    expect(unavailableService(shutdown)).toBe('database');
    const unique = Object.assign(new Error('duplicate key'), { name: 'PostgresError', code: '23505' });
    expect(unavailableService(unique)).toBeNull();
  });

  test('ioredis errors and a wrapped ServiceUnavailableError are Redis', () => {
    const maxRetries = Object.assign(new Error('Reached the max retries per request limit (which is 1).'), {
      name: 'MaxRetriesPerRequestError',
    });
    expect(unavailableService(maxRetries)).toBe('redis');
    const wrapped = new Error('fetch failed', {
      cause: new ServiceUnavailableError('redis', 'no politeness slot'),
    });
    expect(unavailableService(wrapped)).toBe('redis');
  });
});
