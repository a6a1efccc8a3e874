import { type Logger, pino } from 'pino';

export type { Logger };

/** A pino logger writing JSON lines to stderr, so stdout stays clean for command output. */
export function createLogger(level: string): Logger {
  return pino({ level, base: undefined }, pino.destination(2));
}
