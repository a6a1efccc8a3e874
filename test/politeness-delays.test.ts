import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CrawlResult } from '@frameline/pipeline';
import { type FixtureServer, startFixtureServer } from '@frameline/testkit';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { crawlOnceJson, runCli, startCli } from './helpers/cli.js';
import { fixture } from './helpers/fixtures.js';
import { type Distributed, distributed } from './helpers/redis.js';

/**
 * Politeness waits are delays of the job, not time counted against the fetch timeout: six feeds on one host
 * spaced 700 ms apart take about 3.5 s to reach, more than the 1.5 s a fetch may take and more than a fetch
 * waits in process for a slot (then its job waits in the queue, uncharged). Every fetch succeeds at its first
 * try, and the spacing holds.
 */
const FEEDS = 6;
const DELAY_MS = 700;
let server: FixtureServer;
let setup: Distributed;
let worker: ReturnType<typeof startCli>;
let dir: string;

beforeAll(async () => {
  const routes = Object.fromEntries(
    Array.from({ length: FEEDS }, (_, i) => [`/feed-${i}.xml`, { body: fixture('alpha.xml') }]),
  );
  server = await startFixtureServer({ routes });
  setup = await distributed({
    FRAMELINE_HOST_DELAY_MS: String(DELAY_MS),
    FRAMELINE_HOST_CONCURRENCY: '1',
    FRAMELINE_FETCH_TIMEOUT_MS: '1500',
  });
  dir = mkdtempSync(join(tmpdir(), 'frameline-politeness-'));
  const outlines = Array.from(
    { length: FEEDS },
    (_, i) => `<outline type="rss" text="feed ${i}" xmlUrl="${server.url(`/feed-${i}.xml`)}"/>`,
  );
  const opml = join(dir, 'sources.opml');
  writeFileSync(opml, `<?xml version="1.0"?><opml version="2.0"><body>${outlines.join('')}</body></opml>`);
  const imported = await runCli(['sources', 'import', opml], setup.env);
  expect(imported.code, imported.stderr).toBe(0);
  worker = startCli(['worker'], setup.env);
});

afterAll(async () => {
  await setup?.teardown(worker ? [worker] : [], 'SIGTERM');
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('feeds of one busy host wait their turn in the queue, and none times out', async () => {
  const result = await crawlOnceJson<CrawlResult>(setup.env);
  expect(result.failures).toEqual([]);
  expect(result.sources).toHaveLength(FEEDS);
  for (const source of result.sources) expect(source, JSON.stringify(source)).toMatchObject({ ok: true });
  // No attempt failed on the way (each failed attempt is recorded as a fetch with its error).
  const fetches = await setup.db.sql<{ errorCode: string | null }[]>`
    select error_code as "errorCode" from fetches order by id`;
  expect(fetches.map((f) => f.errorCode)).toEqual(Array(FEEDS).fill(null));
  const starts = server.requests
    .filter((r) => r.path.startsWith('/feed-'))
    .map((r) => r.at)
    .sort((a, b) => a - b);
  expect(starts).toHaveLength(FEEDS);
  // The spacing held (a little slack for the timer's granularity), and the last fetch came later than any
  // one fetch may take: it waited, and the wait was not counted against it.
  for (let i = 1; i < starts.length; i++) {
    expect((starts[i] ?? 0) - (starts[i - 1] ?? 0)).toBeGreaterThanOrEqual(DELAY_MS - 50);
  }
  expect((starts.at(-1) ?? 0) - (starts[0] ?? 0)).toBeGreaterThan(1500);
});
