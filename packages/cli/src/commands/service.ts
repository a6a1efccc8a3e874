import { STAGES } from '@frameline/core';
import type { Runtime } from '@frameline/pipeline';
import type { Command } from 'commander';
import { loadSettings, note, parseIntOption, UsageError, withRuntime } from '../run.js';

/** A first run with no sources polls the default ML-ecosystem feeds (`crawl`, `run`, `scheduler`). */
export async function ensureSources(rt: Runtime): Promise<void> {
  const { DEFAULT_SOURCES } = await import('@frameline/pipeline');
  const { addSource, countSources } = await import('@frameline/store');
  if ((await countSources(rt.store.sql)) > 0) return;
  for (const s of DEFAULT_SOURCES) await addSource(rt.store.sql, s);
  note(
    `frameline: no sources yet: added ${DEFAULT_SOURCES.length} default ML-ecosystem feeds (see \`frameline sources list\`)`,
  );
}

export function serviceCommands(program: Command): void {
  program
    .command('run')
    .description(
      'the scheduler and the workers in one process: polls every source as it falls due, until stopped (Ctrl-C)',
    )
    .option('--concurrency <n>', 'jobs at once per stage', parseIntOption('--concurrency'))
    .action(async (o: { concurrency?: number }) => {
      const { connectTransport, LocalRunner, runScheduler, stageBase, startStageWorkers } = await import(
        '@frameline/pipeline'
      );
      await withRuntime(async (rt, signal) => {
        await ensureSources(rt);
        const concurrency = o.concurrency ?? rt.config.concurrency;
        const round = (queued: number) => {
          if (queued > 0) rt.log.info({ queued }, 'polls queued');
        };
        if (rt.config.redisUrl) {
          const transport = await connectTransport(rt);
          try {
            startStageWorkers(transport, rt, { stages: STAGES, concurrency });
            note(`frameline run ${process.pid}: scheduler and workers on Redis; Ctrl-C stops`);
            await runScheduler(rt, { enqueue: transport.enqueue, signal, onRound: round });
          } finally {
            await transport.close();
          }
          return;
        }
        const runner = new LocalRunner(stageBase(rt), {
          concurrency,
          retryBaseMs: rt.config.retryBaseMs,
          longRunning: true,
        });
        note(`frameline run ${process.pid}: scheduler and stages in this process; Ctrl-C stops`);
        try {
          await runScheduler(rt, { enqueue: runner.enqueue, signal, onRound: round });
        } finally {
          // Jobs under way finish; polls not started are made again once their lease runs out.
          await runner.stop();
        }
      });
    });

  program
    .command('scheduler')
    .description(
      'queue each source poll as it falls due, for `frameline worker` processes (needs REDIS_URL and DATABASE_URL)',
    )
    .action(async () => {
      const { config } = loadSettings();
      if (!config.redisUrl || !config.databaseUrl) {
        throw new UsageError(
          '`frameline scheduler` needs REDIS_URL and DATABASE_URL; on one machine `frameline run` does everything',
        );
      }
      const { connectTransport, runScheduler } = await import('@frameline/pipeline');
      await withRuntime(async (rt, signal) => {
        await ensureSources(rt);
        const transport = await connectTransport(rt);
        note(`frameline scheduler ${process.pid}: queueing polls as sources fall due; Ctrl-C stops`);
        try {
          await runScheduler(rt, { enqueue: transport.enqueue, signal });
        } finally {
          await transport.close();
        }
      });
    });
}
