import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  test('defaults: embedded store under ./.frameline, no Redis', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.home).toMatch(/\.frameline$/);
    expect(config.maxBodyBytes).toBe(15 * 1024 * 1024);
    expect(Object.isFrozen(config)).toBe(true);
  });

  test('reads each field from its own variable', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@db:5432/x',
      REDIS_URL: 'redis://r:6379',
      FRAMELINE_CONCURRENCY: '7',
      FRAMELINE_ALLOW_HOSTS: '127.0.0.1, ::1',
    });
    expect(config).toMatchObject({
      databaseUrl: 'postgres://u@db:5432/x',
      redisUrl: 'redis://r:6379',
      concurrency: 7,
      allowHosts: ['127.0.0.1', '::1'],
    });
  });

  test('reports every invalid field at once, naming its variable', () => {
    let error: unknown;
    try {
      loadConfig({ DATABASE_URL: 'not a url', FRAMELINE_CONCURRENCY: 'many', LOG_LEVEL: 'loud' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('DATABASE_URL');
    expect(message).toContain('FRAMELINE_CONCURRENCY');
    expect(message).toContain('LOG_LEVEL');
  });
});
