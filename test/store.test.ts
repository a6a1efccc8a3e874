import {
  activateRuleSet,
  activeRuleSet,
  addSource,
  crawlSummary,
  type DocumentInput,
  dueSources,
  getSource,
  listSources,
  markDuplicatesOf,
  markSourceFailed,
  markSourceOk,
  type NewSource,
  NOT_FETCHED,
  PAUSE_AFTER_ERRORS,
  recordFetch,
  registerRuleSet,
  removeSource,
  replaceExtractions,
  resumeSource,
  setSourceAllowHosts,
  upsertDocuments,
} from '@frameline/store';
import { isListed, loadRuleSet, tag } from '@frameline/tag';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from './helpers/db.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

function item(guid: string, text: string): DocumentInput {
  return {
    guid,
    url: `https://example.org/${guid}`,
    canonicalUrl: null,
    title: `Title ${guid}`,
    author: null,
    publishedAt: '2018-10-02T16:00:00Z',
    publishedFrom: 'feed:published',
    updatedAt: null,
    html: `<p>${text}</p>`,
    text,
  };
}

describe('documents', () => {
  test('upsert inserts new items, updates changed ones and leaves unchanged ones alone', async () => {
    const { source } = await addSource(db.sql, { url: 'https://example.org/feed-docs' });
    expect(
      await upsertDocuments(db.sql, { sourceId: source.id, crawlId: 'c1' }, [
        item('a', 'one'),
        item('b', 'two'),
      ]),
    ).toEqual({
      created: 2,
      updated: 0,
      unchanged: 0,
    });
    const [before] = await db.sql<{ lastChangedAt: Date }[]>`
      select last_changed_at as "lastChangedAt" from documents where guid = 'a'`;
    expect(
      await upsertDocuments(db.sql, { sourceId: source.id, crawlId: 'c2' }, [
        item('a', 'one'),
        item('b', 'TWO'),
      ]),
    ).toEqual({
      created: 0,
      updated: 1,
      unchanged: 1,
    });
    const rows = await db.sql<
      { guid: string; text: string; firstCrawl: string; changedCrawl: string; lastChangedAt: Date }[]
    >`
      select guid, text, first_crawl_id as "firstCrawl", changed_crawl_id as "changedCrawl",
             last_changed_at as "lastChangedAt"
      from documents where source_id = ${source.id} order by guid`;
    expect(rows.map((r) => [r.guid, r.text, r.firstCrawl, r.changedCrawl])).toEqual([
      ['a', 'one', 'c1', 'c1'],
      ['b', 'TWO', 'c1', 'c2'],
    ]);
    // An unchanged row is not rewritten at all.
    expect(rows[0]?.lastChangedAt.getTime()).toBe(before?.lastChangedAt.getTime());
  });

  test('a feed repeating a guid stores one document', async () => {
    const { source } = await addSource(db.sql, { url: 'https://example.org/feed-repeat' });
    const result = await upsertDocuments(db.sql, { sourceId: source.id, crawlId: null }, [
      item('x', 'first'),
      item('x', 'second'),
    ]);
    expect(result).toEqual({ created: 1, updated: 0, unchanged: 0 });
  });
});

describe('duplicates', () => {
  /** One document per new source, all carrying `text`; returns their ids in order of storing. */
  async function storeCopies(label: string, n: number, text: string): Promise<number[]> {
    const ids: number[] = [];
    for (let k = 0; k < n; k++) {
      const { source } = await addSource(db.sql, { url: `https://example.org/${label}-${k}` });
      await upsertDocuments(db.sql, { sourceId: source.id, crawlId: null }, [item(`${label}-${k}`, text)]);
      const [row] = await db.sql<{ id: number }[]>`select id from documents where guid = ${`${label}-${k}`}`;
      ids.push(row?.id as number);
    }
    return ids;
  }

  async function duplicateOf(ids: number[]): Promise<(number | null)[]> {
    const rows = await db.sql<{ id: number; duplicateOf: number | null }[]>`
      select id, duplicate_of as "duplicateOf" from documents where id = any(${db.sql.array(ids)}::bigint[])
      order by id`;
    return rows.map((r) => r.duplicateOf);
  }

  test('marks made at once on several connections never leave a duplicate pointing at a duplicate', async () => {
    // Ten triples a < b < c: b and c share a canonical URL, a and b a text. Marking c (finds b) and marking a
    // (finds b) at the same moment must not leave c -> b -> a.
    const triples: number[][] = [];
    for (let t = 0; t < 10; t++) {
      const ids = await storeCopies(`race${t}`, 3, 'placeholder');
      const [a, b, c] = ids as [number, number, number];
      await db.sql`update documents set text_hash = md5(${`text ${t}`}) where id in (${a}, ${b})`;
      await db.sql`update documents set canonical_url = ${`https://example.org/story/${t}`} where id in (${b}, ${c})`;
      triples.push(ids);
    }
    await Promise.all(
      triples.flatMap(([a, , c]) => [
        markDuplicatesOf(db.sql, [c as number]),
        markDuplicatesOf(db.sql, [a as number]),
      ]),
    );
    for (const ids of triples) expect(await duplicateOf(ids)).toEqual([null, ids[0], ids[0]]);
  });

  test('an original later found to be a duplicate hands its duplicates to its own original', async () => {
    const story = `A story first seen on the second feed. ${'More words for the hash. '.repeat(10)}`;
    const [first, second, third] = await storeCopies('chain', 3, 'placeholder');
    const setText = (id: number, text: string) =>
      db.sql`update documents set text_hash = md5(${text}) where id = ${id}`;
    await setText(second as number, story);
    await setText(third as number, story);
    await markDuplicatesOf(db.sql, [third as number]);
    expect(await duplicateOf([second as number, third as number])).toEqual([null, second]);
    // The first feed's document turns out to carry the same story: the second becomes its duplicate, and the
    // third, a duplicate of the second, now points at the first.
    await setText(first as number, story);
    await markDuplicatesOf(db.sql, [first as number]);
    expect(await duplicateOf([first as number, second as number, third as number])).toEqual([
      null,
      first,
      first,
    ]);
  });
});

describe('sources', () => {
  test('adding the same URL twice returns the existing source', async () => {
    const first = await addSource(db.sql, { url: 'https://example.org/feed-twice', name: 'one' });
    const second = await addSource(db.sql, { url: 'https://example.org/feed-twice', name: 'two' });
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.source.id).toBe(first.source.id);
  });

  test('failures back off, honour Retry-After, and pause the source after repeated errors', async () => {
    const { source } = await addSource(db.sql, {
      url: 'https://example.org/feed-failing',
      pollIntervalS: 600,
    });
    await markSourceFailed(db.sql, source.id, { code: 'http_503', message: 'unavailable' });
    let row = await getSource(db.sql, source.id);
    expect(row).toMatchObject({
      errorCount: 1,
      lastErrorCode: 'http_503',
      lastError: 'unavailable',
      pausedAt: null,
    });
    const firstDelay = (row?.nextFetchAt.getTime() ?? 0) - Date.now();
    expect(firstDelay).toBeGreaterThan(600 * 1000); // later than the plain poll interval

    await markSourceFailed(db.sql, source.id, {
      code: 'http_429',
      message: 'slow down',
      retryAfterMs: 3 * 3600_000,
    });
    row = await getSource(db.sql, source.id);
    expect((row?.nextFetchAt.getTime() ?? 0) - Date.now()).toBeGreaterThan(3 * 3600_000 - 60_000);

    for (let i = 2; i < PAUSE_AFTER_ERRORS; i++) {
      await markSourceFailed(db.sql, source.id, { code: 'http_503', message: 'unavailable' });
    }
    row = await getSource(db.sql, source.id);
    expect(row?.errorCount).toBe(PAUSE_AFTER_ERRORS);
    expect(row?.pausedAt).not.toBeNull();
    expect((await dueSources(db.sql, { force: true })).map((s) => s.id)).not.toContain(source.id);

    expect(await resumeSource(db.sql, source.id)).toBe(true);
    await markSourceOk(db.sql, source.id, { etag: '"v1"', lastModified: null });
    row = await getSource(db.sql, source.id);
    expect(row).toMatchObject({ errorCount: 0, lastErrorCode: null, pausedAt: null, etag: '"v1"' });
  });

  test('validators are kept when a 304 marks the source healthy', async () => {
    const { source } = await addSource(db.sql, { url: 'https://example.org/feed-304' });
    await markSourceOk(db.sql, source.id, { etag: '"abc"', lastModified: 'Tue, 02 Oct 2018 16:00:00 GMT' });
    await markSourceOk(db.sql, source.id, {});
    expect(await getSource(db.sql, source.id)).toMatchObject({
      etag: '"abc"',
      lastModified: 'Tue, 02 Oct 2018 16:00:00 GMT',
    });
  });
});

describe('sources: every column', () => {
  test('a source is read back as it was added, by every query that returns sources', async () => {
    const columns: NewSource = {
      url: 'https://example.org/feed-columns',
      kind: 'html',
      name: 'Columns',
      tags: ['a', 'b'],
      selectors: { item: 'article' },
      articleMode: 'never',
      pollIntervalS: 900,
      allowHosts: ['10.0.0.7'],
    };
    const { source, created } = await addSource(db.sql, columns);
    expect(created).toBe(true);
    expect(source).toMatchObject({ ...columns, errorCount: 0, pausedAt: null });
    expect(source.nextFetchAt).toBeInstanceOf(Date);
    expect(await getSource(db.sql, source.id)).toEqual(source);
    expect((await addSource(db.sql, { url: source.url })).source).toEqual(source);
    expect((await dueSources(db.sql, { force: true, ids: [source.id] }))[0]).toEqual(source);
    expect((await listSources(db.sql)).find((s) => s.id === source.id)).toEqual({ ...source, documents: 0 });
    const plain = await addSource(db.sql, { url: 'https://example.org/feed-plain' });
    expect(plain.source).toMatchObject({ kind: 'feed', tags: [], selectors: null, allowHosts: [] });
    expect(await setSourceAllowHosts(db.sql, plain.source.id, ['127.0.0.1'])).toBe(true);
    expect((await getSource(db.sql, plain.source.id))?.allowHosts).toEqual(['127.0.0.1']);
    expect(await removeSource(db.sql, String(source.id))).toEqual(source);
    expect(await getSource(db.sql, source.id)).toBeNull();
  });
});

describe('crawl summary', () => {
  test('lists every scheduled source, one with no fetch recorded as not fetched', async () => {
    const a = (await addSource(db.sql, { url: 'https://example.org/summary-a', name: 'A' })).source;
    const b = (await addSource(db.sql, { url: 'https://example.org/summary-b', name: 'B' })).source;
    const gone = (await addSource(db.sql, { url: 'https://example.org/summary-gone' })).source;
    await recordFetch(db.sql, {
      sourceId: a.id,
      crawlId: 'csummary1',
      url: a.url,
      durationMs: 5,
      status: 404,
      notModified: false,
      bytes: null,
      contentType: null,
      etag: null,
      lastModified: null,
      body: null,
      errorCode: 'http_404',
      error: 'not found',
    });
    await removeSource(db.sql, String(gone.id));
    const summary = await crawlSummary(db.sql, 'csummary1', [a, b, gone]);
    expect(summary.sources).toEqual([
      expect.objectContaining({
        sourceId: a.id,
        name: 'A',
        ok: false,
        errorCode: 'http_404',
        error: 'not found',
      }),
      expect.objectContaining({ sourceId: b.id, name: 'B', ok: false, errorCode: NOT_FETCHED }),
      expect.objectContaining({
        sourceId: gone.id,
        url: gone.url,
        ok: false,
        errorCode: NOT_FETCHED,
        error: expect.stringContaining('removed'),
      }),
    ]);
  });
});

describe('extractions', () => {
  test('a name a release introduced is stored as an entity of its own, and again without conflict', async () => {
    const rules = loadRuleSet();
    await registerRuleSet(db.sql, {
      version: rules.version,
      name: 'default',
      files: rules.files,
      entities: rules.entities,
    });
    const { source } = await addSource(db.sql, { url: 'https://example.org/feed-new-names' });
    await upsertDocuments(db.sql, { sourceId: source.id, crawlId: 'c1' }, [
      item('nn', 'Introducing Quillmark Studio, notebooks for PyTorch teams.'),
    ]);
    const [doc] = await db.sql<{ id: number; contentHash: string }[]>`
      select id, content_hash as "contentHash" from documents where guid = 'nn'`;
    if (!doc) throw new Error('document not stored');
    const result = tag('Introducing Quillmark Studio, notebooks for PyTorch teams.', rules);
    expect(result.entities.map((e) => e.id)).toEqual(['quillmark-studio', 'pytorch']);
    for (let round = 0; round < 2; round++) {
      const newNames = new Set(result.entities.filter((e) => !isListed(rules, e.id)).map((e) => e.id));
      expect([...newNames]).toEqual(['quillmark-studio']);
      const written = await replaceExtractions(db.sql, rules.version, [
        { ...doc, newNames, fields: [{ field: 'text', result }] },
      ]);
      expect(written).toEqual([doc.id]);
    }
    const entities = await db.sql<{ id: string; name: string; kind: string }[]>`
      select id, name, kind from entities where id in ('quillmark-studio', 'pytorch') order by id`;
    expect(entities).toEqual([
      { id: 'pytorch', name: 'PyTorch', kind: 'framework' },
      { id: 'quillmark-studio', name: 'Quillmark Studio', kind: 'product' },
    ]);
    const announcements = await db.sql<{ type: string; subject: string }[]>`
      select type, subject from announcements where document_id = ${doc.id}`;
    expect(announcements).toEqual([{ type: 'release', subject: 'quillmark-studio' }]);
    const mentions = await db.sql<{ entityId: string; rule: string }[]>`
      select entity_id as "entityId", rule from mentions where document_id = ${doc.id} order by starts[1]`;
    expect(mentions).toEqual([
      { entityId: 'quillmark-studio', rule: 'new-name' },
      { entityId: 'pytorch', rule: 'entity' },
    ]);
  });

  test('a second rule set writes beside the first; the timeline reads the active one until it is switched', async () => {
    const rules = loadRuleSet();
    const first = await registerRuleSet(db.sql, {
      version: rules.version,
      name: 'default',
      files: rules.files,
      entities: rules.entities,
    });
    // Registering another rule set does not make it active.
    expect(
      await registerRuleSet(db.sql, { version: 'newer0000000', name: 'newer', files: [], entities: [] }),
    ).toBe(first);
    const { source } = await addSource(db.sql, { url: 'https://example.org/feed-two-rule-sets' });
    const text = 'Facebook released PyTorch 1.0, and AWS announced support for it in Amazon SageMaker.';
    await upsertDocuments(db.sql, { sourceId: source.id, crawlId: 'c1' }, [item('two', text)]);
    const [doc] = await db.sql<{ id: number; contentHash: string }[]>`
      select id, content_hash as "contentHash" from documents where guid = 'two'`;
    if (!doc) throw new Error('document not stored');
    const result = tag(text, rules);
    const newNames = new Set(result.entities.filter((e) => !isListed(rules, e.id)).map((e) => e.id));
    await replaceExtractions(db.sql, rules.version, [
      { ...doc, newNames, fields: [{ field: 'text', result }] },
    ]);
    // The newer rule set finds nothing but releases.
    const newer = { ...result, announcements: result.announcements.filter((a) => a.type === 'release') };
    expect(newer.announcements.length).toBeGreaterThan(0);
    expect(newer.announcements.length).toBeLessThan(result.announcements.length);
    await replaceExtractions(db.sql, 'newer0000000', [
      { ...doc, newNames, fields: [{ field: 'text', result: newer }] },
    ]);
    const read = async () =>
      (
        await db.sql<{ type: string; ruleSet: string }[]>`
        select type, rule_set as "ruleSet" from timeline where document_id = ${doc.id} and current order by type`
      ).map((r) => `${r.type}@${r.ruleSet}`);
    const both = await db.sql`select rule_set from announcements where document_id = ${doc.id}`;
    expect(new Set(both.map((r) => r.rule_set))).toEqual(new Set([rules.version, 'newer0000000']));
    expect(await read()).toEqual(result.announcements.map((a) => `${a.type}@${rules.version}`).sort());
    expect(await activateRuleSet(db.sql, 'newer0000000')).toBeGreaterThanOrEqual(1);
    expect(await activeRuleSet(db.sql)).toBe('newer0000000');
    expect(await read()).toEqual(newer.announcements.map((a) => `${a.type}@newer0000000`).sort());
    // A later extraction by the old rule set (a worker not yet restarted) does not take the document back.
    await replaceExtractions(db.sql, rules.version, [
      { ...doc, newNames, fields: [{ field: 'text', result }] },
    ]);
    expect(await read()).toEqual(newer.announcements.map((a) => `${a.type}@newer0000000`).sort());
    await activateRuleSet(db.sql, rules.version);
  });
});
