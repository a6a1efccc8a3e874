import {
  addSource,
  claimDueSources,
  markSourceFetched,
  markSourceOk,
  registerRuleSet,
  upsertDocuments,
} from '@frameline/store';
import { type FixtureServer, startFixtureServer } from '@frameline/testkit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually, startCli } from './helpers/cli.js';
import { createTestDatabase, type TestDatabase } from './helpers/db.js';
import { type Distributed, distributed } from './helpers/redis.js';
import { quasarflowFeed } from './helpers/rules.js';

describe('polling schedule (store)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  test('two schedulers claiming at once never claim one source twice; a claim holds it for its lease', async () => {
    for (let k = 0; k < 30; k++) await addSource(db.sql, { url: `https://example.org/claim-${k}.xml` });
    const claims = await Promise.all(
      Array.from({ length: 4 }, () => claimDueSources(db.sql, { limit: 20, leaseS: 600 })),
    );
    const ids = claims.flat().map((c) => c.id);
    expect(ids.length).toBe(30);
    expect(new Set(ids).size).toBe(30);
    expect(await claimDueSources(db.sql, { limit: 20, leaseS: 600 })).toEqual([]);
  });

  test('an adaptive source polls as often as it posts, clamped; a fixed one keeps its interval; freshness holds polls off', async () => {
    const policy = { minIntervalS: 900, maxIntervalS: 86_400, jitter: 0 };
    const { source: busy } = await addSource(db.sql, { url: 'https://example.org/busy.xml' });
    const { source: quiet } = await addSource(db.sql, { url: 'https://example.org/quiet.xml' });
    const { source: fixed } = await addSource(db.sql, {
      url: 'https://example.org/fixed.xml',
      pollIntervalS: 7200,
    });
    const now = Date.now();
    const posts = (n: number, everyH: number) =>
      Array.from({ length: n }, (_, k) => ({
        guid: `p${k}`,
        url: null,
        canonicalUrl: null,
        title: `post ${k}`,
        author: null,
        publishedAt: new Date(now - k * everyH * 3600_000).toISOString(),
        publishedFrom: 'rss:published',
        updatedAt: null,
        html: null,
        text: `post ${k}`,
      }));
    await upsertDocuments(db.sql, { sourceId: busy.id, crawlId: null }, posts(28, 6)); // 28 in the week: every 6 h
    await upsertDocuments(db.sql, { sourceId: fixed.id, crawlId: null }, posts(28, 6));
    for (const s of [busy, quiet, fixed]) await markSourceOk(db.sql, s.id, { poll: policy });
    const rows = await db.sql<{ id: number; interval: number; inS: number }[]>`
      select id, poll_interval_s as interval, extract(epoch from next_fetch_at - now())::int as "inS"
      from sources where id in (${busy.id}, ${quiet.id}, ${fixed.id}) order by id`;
    expect(rows.map((r) => r.interval)).toEqual([604_800 / 28, 86_400, 7200]);
    for (const r of rows) expect(Math.abs(r.inS - r.interval)).toBeLessThanOrEqual(2);
    // The server says its answer stays fresh for three days: no poll before then, even for the busy source.
    await markSourceOk(db.sql, busy.id, { poll: { ...policy, freshForS: 3 * 86_400 } });
    // The parse that follows knows nothing of it, and keeps it.
    await markSourceOk(db.sql, busy.id, { poll: policy });
    const [held] = await db.sql<{ inS: number }[]>`
      select extract(epoch from next_fetch_at - now())::int as "inS" from sources where id = ${busy.id}`;
    expect(held?.inS).toBeGreaterThanOrEqual(3 * 86_400 - 2);
    // A feed's own <ttl> does not shorten a longer Cache-Control freshness already recorded...
    await markSourceOk(db.sql, busy.id, { poll: { ...policy, freshForS: 2 * 3600 } });
    const [kept] = await db.sql<{ inS: number }[]>`
      select extract(epoch from next_fetch_at - now())::int as "inS" from sources where id = ${busy.id}`;
    expect(kept?.inS).toBeGreaterThanOrEqual(3 * 86_400 - 4);
    // ...and holds back a source that would otherwise poll sooner.
    await markSourceOk(db.sql, fixed.id, { poll: { ...policy, freshForS: 5 * 3600 } });
    const [ttl] = await db.sql<{ inS: number }[]>`
      select extract(epoch from next_fetch_at - now())::int as "inS" from sources where id = ${fixed.id}`;
    expect(Math.abs((ttl?.inS ?? 0) - 5 * 3600)).toBeLessThanOrEqual(2);
    // As the stages do it: the fetch records the server's freshness, the parse after it schedules the poll.
    await markSourceFetched(db.sql, quiet.id, { freshForS: 2 * 86_400 });
    await markSourceOk(db.sql, quiet.id, { poll: policy });
    const [fetched] = await db.sql<{ inS: number }[]>`
      select extract(epoch from next_fetch_at - now())::int as "inS" from sources where id = ${quiet.id}`;
    expect(fetched?.inS).toBeGreaterThanOrEqual(2 * 86_400 - 2);
  });
});

describe('event-aware polling (store)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  test('around a calendar event, adaptive sources that named what it names poll at the shortest interval', async () => {
    const policy = { minIntervalS: 900, maxIntervalS: 86_400, jitter: 0 };
    const version = 'event-polling-test';
    await registerRuleSet(db.sql, {
      version,
      name: 'test',
      files: [],
      entities: [
        { id: 'neurips', name: 'NeurIPS', kind: 'event', parent: null },
        { id: 'jax', name: 'JAX', kind: 'framework', parent: null },
      ],
    });
    const doc = (guid: string, title: string, at: Date, kind: 'item' | 'event' = 'item') => ({
      guid,
      kind,
      url: null,
      canonicalUrl: null,
      title,
      author: null,
      publishedAt: at.toISOString(),
      publishedFrom: kind === 'event' ? 'ical:published' : 'rss:published',
      updatedAt: null,
      html: null,
      text: title,
    });
    /** A stored document of `sourceId` mentioning `entity` in its title, as an extraction by the rule set. */
    async function mentioning(sourceId: number, entity: string, d: ReturnType<typeof doc>): Promise<number> {
      await upsertDocuments(db.sql, { sourceId, crawlId: null }, [d]);
      const [row] = await db.sql<{ id: number }[]>`
        update documents set current_rule_set = ${version} where source_id = ${sourceId} and guid = ${d.guid}
        returning id`;
      const id = row?.id ?? 0;
      await db.sql`insert into mentions (document_id, entity_id, rule_set, field, rule, starts, ends)
                   values (${id}, ${entity}, ${version}, 'title', 'entity', '{0}', '{5}')`;
      return id;
    }
    const day = 86_400_000;
    const { source: calendar } = await addSource(db.sql, { url: 'https://example.org/conferences.ics' });
    const { source: names } = await addSource(db.sql, { url: 'https://example.org/names-it.xml' });
    const { source: other } = await addSource(db.sql, { url: 'https://example.org/other.xml' });
    const { source: fixed } = await addSource(db.sql, {
      url: 'https://example.org/fixed-ev.xml',
      pollIntervalS: 7200,
    });
    const event = await mentioning(
      calendar.id,
      'neurips',
      doc('nips', 'NeurIPS 2024', new Date(Date.now() + day / 2), 'event'),
    );
    await mentioning(names.id, 'neurips', doc('n1', 'Our NeurIPS papers', new Date(Date.now() - 10 * day)));
    await mentioning(other.id, 'jax', doc('j1', 'JAX tips', new Date(Date.now() - 10 * day)));
    await mentioning(fixed.id, 'neurips', doc('f1', 'NeurIPS workshop', new Date(Date.now() - 10 * day)));
    const intervals = async () => {
      for (const s of [names, other, fixed]) await markSourceOk(db.sql, s.id, { poll: policy });
      const rows = await db.sql<{ interval: number }[]>`
        select poll_interval_s as interval from sources where id in (${names.id}, ${other.id}, ${fixed.id})
        order by id`;
      return rows.map((r) => r.interval);
    };
    // Half a day before the event: the source that names it polls every 15 minutes; the others as before.
    expect(await intervals()).toEqual([900, 86_400, 7200]);
    // Three days before it: nothing special yet.
    await db.sql`update documents set published_at = now() + interval '3 days' where id = ${event}`;
    expect(await intervals()).toEqual([86_400, 86_400, 7200]);
  });
});

describe('frameline run and frameline scheduler', () => {
  let server: FixtureServer;
  let setup: Distributed;
  const processes: ReturnType<typeof startCli>[] = [];

  beforeAll(async () => {
    server = await startFixtureServer({
      routes: {
        '/a.xml': { body: quasarflowFeed(4) },
        '/b.xml': { body: quasarflowFeed(6) },
        '/c.xml': { body: quasarflowFeed(3) },
      },
    });
    setup = await distributed({ FRAMELINE_HOST_DELAY_MS: '0' });
  });
  afterAll(async () => {
    await setup?.teardown(processes);
    await server?.close();
  });

  async function documents(): Promise<number> {
    const [row] = await setup.db.sql<{ n: number }[]>`select count(*)::int as n from documents`;
    return row?.n ?? 0;
  }

  test('run (workers and scheduler in one process) polls due sources by itself and stops cleanly on Ctrl-C', async () => {
    const { source } = await addSource(setup.db.sql, { url: server.url('/a.xml'), articleMode: 'never' });
    const run = startCli(['run'], setup.env);
    processes.push(run);
    await eventually('the source to be polled', async () => (await documents()) === 4, { process: run });
    await eventually('the extraction', async () => {
      const [row] = await setup.db.sql<{ n: number }[]>`select count(*)::int as n from extractions`;
      return row?.n === 4;
    });
    // (The fetch job stores and extracts its documents before it records the poll on the source.)
    const polledSource = async () => {
      const [row] = await setup.db.sql<{ lastOk: Date | null; next: Date }[]>`
        select last_ok_at as "lastOk", next_fetch_at as next from sources where id = ${source.id}`;
      return row;
    };
    await eventually('the poll to be recorded', async () => (await polledSource())?.lastOk != null, {
      process: run,
    });
    const polled = await polledSource();
    expect(polled?.lastOk).not.toBeNull();
    // Polled once and scheduled for later, not again at once.
    expect(polled?.next.getTime()).toBeGreaterThan(Date.now() + 60_000);
    run.kill('SIGINT');
    const result = await run.done;
    expect(result.code, result.stderr).toBe(0);
    expect(server.hits('/a.xml').length).toBe(1);
  });

  test('scheduler alone queues polls that a separate worker makes', async () => {
    await addSource(setup.db.sql, { url: server.url('/b.xml'), articleMode: 'never' });
    const scheduler = startCli(['scheduler'], setup.env);
    const worker = startCli(['worker'], setup.env);
    processes.push(scheduler, worker);
    await eventually('the worker to poll the new source', async () => (await documents()) === 10, {
      process: worker,
    });
    scheduler.kill('SIGTERM');
    worker.kill('SIGTERM');
    expect((await scheduler.done).code).toBe(0);
    expect((await worker.done).code).toBe(0);
    expect(server.hits('/b.xml').length).toBe(1);
  });

  test('run without Redis runs the stages in its own process', async () => {
    await addSource(setup.db.sql, { url: server.url('/c.xml'), articleMode: 'never' });
    const run = startCli(['run'], { ...setup.env, REDIS_URL: undefined });
    processes.push(run);
    await eventually('the in-process poll', async () => (await documents()) === 13, { process: run });
    run.kill('SIGINT');
    const result = await run.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('scheduler and stages in this process');
  });
});
