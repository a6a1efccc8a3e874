import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, loadConfig } from '@frameline/core';
import { openRuntime, type Runtime } from '@frameline/pipeline';
import { createTestDatabase, type TestDatabase } from './db.js';

/** A runtime in the test's own process on a fresh database (no Redis: the stages run in-process). */
export interface InProcess {
  db: TestDatabase;
  rt: Runtime;
  /** A temporary directory of the test's own (FRAMELINE_HOME is under it). */
  dir: string;
  close(): Promise<void>;
}

export async function inProcessRuntime(name: string): Promise<InProcess> {
  const db = await createTestDatabase();
  const dir = mkdtempSync(join(tmpdir(), `frameline-${name}-`));
  const config = loadConfig({
    DATABASE_URL: db.url,
    FRAMELINE_HOME: join(dir, 'home'),
    FRAMELINE_ALLOW_HOSTS: '127.0.0.1',
    FRAMELINE_HOST_DELAY_MS: '0',
  });
  const rt = await openRuntime(config, createLogger('silent'));
  return {
    db,
    rt,
    dir,
    async close() {
      await rt.close();
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
