#!/usr/bin/env -S node --conditions=frameline-dist --max-old-space-size=512
import { describeConfig } from '@frameline/core';
import { Command, CommanderError } from 'commander';
import { backfillCommand } from './commands/backfill.js';
import { crawlCommand } from './commands/crawl.js';
import { extractCommand } from './commands/extract.js';
import { fileCommands } from './commands/files.js';
import { mindshareCommand } from './commands/mindshare.js';
import { reextractCommand } from './commands/reextract.js';
import { serviceCommands } from './commands/service.js';
import { sourcesCommand } from './commands/sources.js';
import { timelineCommand } from './commands/timeline.js';
import { migrateCommand, workerCommand } from './commands/worker.js';
import { reportFailure } from './run.js';

const program = new Command('frameline')
  .description('watch the machine-learning ecosystem: crawl feeds, tag announcements, query the timeline')
  .addHelpText(
    'after',
    `\nSettings (environment variables):\n${describeConfig()
      .map((f) => `  ${f.env.padEnd(28)} ${f.doc}`)
      .join('\n')}`,
  )
  .showHelpAfterError()
  .exitOverride();

// Output piped into a reader that stops early (`frameline timeline | head`) is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

sourcesCommand(program);
crawlCommand(program);
serviceCommands(program);
workerCommand(program);
migrateCommand(program);
extractCommand(program);
reextractCommand(program);
backfillCommand(program);
timelineCommand(program);
mindshareCommand(program);
fileCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exitCode = err.exitCode;
  else reportFailure(err);
}
