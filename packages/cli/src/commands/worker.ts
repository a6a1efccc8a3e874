import { STAGES, type Stage } from '@frameline/core';
import type { Command } from 'commander';
import { loadSettings, note, out, parseIntOption, UsageError, withRuntime } from '../run.js';

export function workerCommand(program: Command): void {
  program
    .command('worker')
    .description('process pipeline jobs from Redis (needs REDIS_URL and DATABASE_URL)')
    .option('--stages <list>', `comma-separated stages (${STAGES.join(', ')})`, STAGES.join(','))
    .option('--concurrency <n>', 'jobs at once per stage', parseIntOption('--concurrency'))
    .option('--once', 'exit when the queues are empty')
    .action(async (o: { stages: string; concurrency?: number; once?: boolean }) => {
      const stages = o.stages
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const bad = stages.filter((s) => !(STAGES as readonly string[]).includes(s));
      if (bad.length > 0 || stages.length === 0) {
        throw new UsageError(`--stages takes ${STAGES.join(', ')}; got "${o.stages}"`);
      }
      const { config } = loadSettings();
      if (!config.redisUrl)
        throw new UsageError(
          '`frameline worker` needs REDIS_URL: without it `crawl` runs the stages in-process',
        );
      if (!config.databaseUrl) {
        throw new UsageError(
          '`frameline worker` needs DATABASE_URL: the embedded PGlite serves one process only',
        );
      }
      const { runWorker } = await import('@frameline/pipeline');
      await withRuntime(async (rt, signal) => {
        note(`frameline worker ${process.pid}: stages ${stages.join(', ')}`);
        await runWorker(rt, {
          stages: stages as Stage[],
          ...(o.concurrency ? { concurrency: o.concurrency } : {}),
          once: Boolean(o.once),
          signal,
        });
      });
    });
}

export function migrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply database migrations (other commands do this by themselves)')
    .action(async () => {
      const { config, log } = loadSettings();
      const { migrate, openStore } = await import('@frameline/store');
      const store = await openStore(config, log);
      try {
        const applied = await migrate(store.sql, log);
        out(
          applied.length > 0
            ? `applied migrations ${applied.join(', ')} to ${store.where}`
            : `${store.where} is up to date`,
        );
      } finally {
        await store.close();
      }
    });
}
