import {
  type Config,
  ConfigError,
  createLogger,
  describeError,
  type Logger,
  loadConfig,
} from '@frameline/core';
import type { Runtime } from '@frameline/pipeline';

/** Write a line for people on stdout. The CLI is the only package that prints. */
export function out(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Write a line for people on stderr (progress, warnings), keeping stdout clean for --json. */
export function note(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** An error the user caused, reported without a stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function loadSettings(): { config: Config; log: Logger } {
  const config = loadConfig();
  return { config, log: createLogger(config.logLevel) };
}

/**
 * Run a command body with an open runtime and an abort signal tied to SIGINT/SIGTERM, closing everything
 * afterwards whatever happened. A second signal exits at once.
 */
export async function withRuntime<T>(body: (rt: Runtime, signal: AbortSignal) => Promise<T>): Promise<T> {
  const { config, log } = loadSettings();
  // Loaded here, not at the top: commands that need no database start without the store and queues.
  const { openRuntime } = await import('@frameline/pipeline');
  const rt = await openRuntime(config, log);
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(130);
    note(`frameline: ${signal} received, finishing active work (again to exit now)`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await body(rt, controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await rt.close();
  }
}

/** Print an error for people and set the exit code. */
export function reportFailure(err: unknown): void {
  if (err instanceof ConfigError || err instanceof UsageError) note(`frameline: ${err.message}`);
  else note(`frameline: ${describeError(err)}`);
  process.exitCode = err instanceof UsageError ? 2 : 1;
}

export function parseIntOption(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1)
      throw new UsageError(`${name} must be a positive whole number, got "${value}"`);
    return n;
  };
}
