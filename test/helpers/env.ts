/**
 * Where the test services are. Tests use the machine's real Postgres and Redis (CI's `.ci/run` starts them);
 * TEST_DATABASE_URL and TEST_REDIS_URL point elsewhere if needed.
 */
export const ADMIN_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
