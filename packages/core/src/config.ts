import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * Every setting frameline reads, each naming its environment variable and default.
 * This module is the only place that reads `process.env`; the result is parsed once and passed down.
 */
const FIELDS = {
  databaseUrl: {
    env: 'DATABASE_URL',
    schema: z.string().url().optional(),
    doc: 'Postgres URL. Unset: embedded PGlite under FRAMELINE_HOME.',
  },
  redisUrl: {
    env: 'REDIS_URL',
    schema: z.string().url().optional(),
    doc: 'Redis URL for BullMQ. Unset: stage processors run in-process.',
  },
  home: {
    env: 'FRAMELINE_HOME',
    schema: z.string().min(1).default('./.frameline'),
    doc: 'Directory for embedded data (PGlite) and caches (compiled rule sets under cache/).',
  },
  logLevel: {
    env: 'LOG_LEVEL',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
    doc: 'pino log level; logs go to stderr as JSON lines.',
  },
  queuePrefix: {
    env: 'FRAMELINE_QUEUE_PREFIX',
    schema: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only')
      .default('frameline'),
    doc: 'BullMQ key prefix; workers and producers must share it.',
  },
  concurrency: {
    env: 'FRAMELINE_CONCURRENCY',
    schema: z.coerce.number().int().min(1).max(256).default(4),
    doc: 'Jobs processed at once per stage (per worker process).',
  },
  retryBaseMs: {
    env: 'FRAMELINE_RETRY_BASE_MS',
    schema: z.coerce.number().int().min(1).default(2_000),
    doc: 'First retry delay of a failed job; later retries back off exponentially with jitter.',
  },
  jobLockMs: {
    env: 'FRAMELINE_JOB_LOCK_MS',
    schema: z.coerce.number().int().min(1_000).default(30_000),
    doc: 'How long a worker holds a job before another may take it over if the first died (BullMQ lock).',
  },
  contactUrl: {
    env: 'FRAMELINE_CONTACT_URL',
    schema: z.string().min(1).default('https://github.com/frameline/frameline'),
    doc: 'Contact URL sent in the User-Agent.',
  },
  fetchTimeoutMs: {
    env: 'FRAMELINE_FETCH_TIMEOUT_MS',
    schema: z.coerce.number().int().min(100).default(20_000),
    doc: 'Total time allowed for one HTTP fetch, body included.',
  },
  connectTimeoutMs: {
    env: 'FRAMELINE_CONNECT_TIMEOUT_MS',
    schema: z.coerce.number().int().min(100).default(10_000),
    doc: 'Time allowed to connect and receive response headers.',
  },
  maxBodyBytes: {
    env: 'FRAMELINE_MAX_BODY_BYTES',
    schema: z.coerce
      .number()
      .int()
      .min(1024)
      .default(15 * 1024 * 1024),
    doc: 'Largest body accepted, after decompression.',
  },
  hostConcurrency: {
    env: 'FRAMELINE_HOST_CONCURRENCY',
    schema: z.coerce.number().int().min(1).max(64).default(2),
    doc: 'Requests at once to one host, across all workers.',
  },
  minIntervalS: {
    env: 'FRAMELINE_MIN_INTERVAL_S',
    schema: z.coerce.number().int().min(60).default(900),
    doc: 'Shortest poll interval of a source that polls as often as it posts (seconds).',
  },
  maxIntervalS: {
    env: 'FRAMELINE_MAX_INTERVAL_S',
    schema: z.coerce.number().int().min(60).default(86_400),
    doc: 'Longest poll interval of such a source, and the longest a server can hold a poll off (seconds).',
  },
  hostDelayMs: {
    env: 'FRAMELINE_HOST_DELAY_MS',
    schema: z.coerce.number().int().min(0).default(1_000),
    doc: 'Least time between two requests to one host, across all workers.',
  },
  allowHosts: {
    env: 'FRAMELINE_ALLOW_HOSTS',
    schema: z
      .string()
      .default('')
      .transform((s) =>
        s
          .split(',')
          .map((h) => h.trim())
          .filter(Boolean),
      ),
    doc: 'Comma-separated hosts or IPs exempt from the private-address guard (e.g. 127.0.0.1 in tests).',
  },
  rulesFile: {
    env: 'FRAMELINE_RULES',
    schema: z.string().min(1).optional(),
    doc: 'Rules: a YAML file, or a folder whose YAML files form one rule set. Unset: the bundled default.',
  },
} as const;

type Fields = typeof FIELDS;
export type Config = Readonly<{ [K in keyof Fields]: z.output<Fields[K]['schema']> }>;

/** Thrown when the environment holds invalid settings; lists every bad field at once. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parse settings from an environment (default `process.env`) into a frozen Config. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, field] of Object.entries(FIELDS)) {
    const raw = env[field.env];
    const parsed = field.schema.safeParse(raw === '' && key !== 'allowHosts' ? undefined : raw);
    if (parsed.success) out[key] = parsed.data;
    else problems.push(`${field.env}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  if (problems.length > 0) throw new ConfigError(`invalid settings:\n  ${problems.join('\n  ')}`);
  out.home = resolve(out.home as string);
  return Object.freeze(out) as Config;
}

/** The settings table, for `--help` output and docs. */
export function describeConfig(): { env: string; doc: string }[] {
  return Object.values(FIELDS).map((f) => ({ env: f.env, doc: f.doc }));
}
