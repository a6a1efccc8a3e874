import type { CrawlResult } from '@frameline/pipeline';
import type { FixtureServer } from '@frameline/testkit';
import type postgres from 'postgres';
import { expect } from 'vitest';
import { fixture } from './fixtures.js';

/** The fixture feeds every crawl test serves: two good feeds, a malformed one and a missing one. */
export function fixtureRoutes() {
  return {
    '/alpha.xml': { body: fixture('alpha.xml') },
    '/beta.atom': { body: fixture('beta.atom'), contentType: 'application/atom+xml' },
    '/broken.xml': { body: fixture('broken.xml') },
  };
}

export const FIXTURE_PATHS = ['/alpha.xml', '/beta.atom', '/broken.xml', '/missing.xml'] as const;

/** What the first crawl of the fixture feeds must report. */
export function expectFirstCrawl(result: CrawlResult, server: FixtureServer): void {
  const bySource = new Map(result.sources.map((s) => [s.url, s]));
  expect(bySource.get(server.url('/alpha.xml'))).toMatchObject({ ok: true, items: 3 });
  expect(bySource.get(server.url('/beta.atom'))).toMatchObject({ ok: true, items: 2 });
  expect(bySource.get(server.url('/broken.xml'))).toMatchObject({ ok: false, errorCode: 'unparsable_feed' });
  expect(bySource.get(server.url('/missing.xml'))).toMatchObject({
    ok: false,
    errorCode: 'http_404',
    status: 404,
  });
  expect(bySource.get(server.url('/missing.xml'))?.error).toContain(server.url('/missing.xml'));
  expect(result.documents).toEqual({ new: 5, updated: 0, unchanged: 0 });
  expect(result.announcements).toBeGreaterThanOrEqual(5);
  expect(bySource.get(server.url('/broken.xml'))?.error).toMatch(/HTML page/);
}

/** What the database must hold after crawling the fixture feeds (whatever the mode). */
export async function expectStoredFixtures(sql: postgres.Sql): Promise<void> {
  const docs = await sql<{ guid: string; title: string; publishedAt: Date | null; extracted: boolean }[]>`
    select guid, title, published_at as "publishedAt", exists (select 1 from extractions e
                  where e.document_id = documents.id and e.content_hash = documents.content_hash) as extracted
    from documents order by guid`;
  expect(docs.map((d) => d.guid)).toEqual([
    'alpha-1',
    'alpha-2',
    'alpha-3',
    'urn:frameline:test:beta:1',
    'urn:frameline:test:beta:2',
  ]);
  expect(docs.every((d) => d.extracted)).toBe(true);
  // A missing date stays missing: it is never replaced by "now".
  expect(docs.find((d) => d.guid === 'urn:frameline:test:beta:2')?.publishedAt).toBeNull();
  expect(docs.find((d) => d.guid === 'alpha-1')?.publishedAt?.toISOString()).toBe('2018-10-02T16:00:00.000Z');

  const mentions = await sql<
    {
      guid: string;
      field: string;
      start: number;
      end: number;
      text: string;
      title: string;
    }[]
  >`
    select d.guid, m.field, o.start, o.end, d.text, d.title
    from mentions m join documents d on d.id = m.document_id join entities e on e.id = m.entity_id
         cross join unnest(m.starts, m.ends) as o(start, "end")
    where m.entity_id = 'pytorch' or e.parent = 'pytorch' order by d.guid, m.field, o.start`;
  expect(new Set(mentions.map((m) => m.guid))).toEqual(new Set(['alpha-1', 'alpha-2', 'alpha-3']));
  for (const m of mentions) {
    // Offsets index the stored field exactly: each occurrence is a form of PyTorch's name.
    expect((m.field === 'title' ? m.title : m.text).slice(m.start, m.end)).toMatch(/^pytorch/i);
  }

  const anns = await sql<
    {
      guid: string;
      type: string;
      subject: string;
      objects: string[];
      version: string | null;
      stage: string | null;
      evidence: string;
    }[]
  >`
    select d.guid, a.type, a.subject, a.objects, a.version, a.stage, a.evidence
    from announcements a join documents d on d.id = a.document_id order by d.guid, a.evidence_start, a.subject`;
  expect(anns).toContainEqual(
    expect.objectContaining({
      guid: 'alpha-1',
      type: 'release',
      // a version is an entity of its own, with its family as parent
      subject: 'pytorch-1.0',
      version: '1.0',
      stage: 'beta',
    }),
  );
  expect(anns).toContainEqual(
    expect.objectContaining({
      guid: 'alpha-2',
      type: 'support',
      subject: 'aws',
      objects: expect.arrayContaining(['pytorch']),
    }),
  );
  const jax = anns.filter((a) => a.guid === 'urn:frameline:test:beta:1' && a.type === 'support');
  expect(jax.map((a) => a.subject).sort()).toEqual(['amd', 'graphcore', 'intel']);
  for (const a of jax) expect(a.objects).toEqual(['jax']);
  expect(anns.filter((a) => a.guid === 'alpha-3')).toEqual([]);
  // No duplicate rows anywhere.
  const [dups] = await sql<{ n: number }[]>`
    select count(*)::int as n from (select document_id, field, o.start, entity_id
      from mentions cross join unnest(starts) as o(start) group by 1, 2, 3, 4 having count(*) > 1) x`;
  expect(dups?.n).toBe(0);
}

/** Counts that must not change when the same feeds are crawled again. */
export async function snapshotCounts(sql: postgres.Sql) {
  const [row] = await sql<{ documents: number; mentions: number; announcements: number }[]>`
    select (select count(*)::int from documents) as documents, (select sum(cardinality(starts))::int from mentions) as mentions,
           (select count(*)::int from announcements) as announcements`;
  return row;
}

/** Change alpha-1's body: the next crawl must update that document, not add one. */
export function changeAlpha(server: FixtureServer): void {
  server.route('/alpha.xml', {
    body: fixture('alpha.xml').replace(
      'Facebook released PyTorch 1.0 beta at the first PyTorch Developer Conference.',
      'Facebook released PyTorch 1.0 beta at the first PyTorch Developer Conference. NVIDIA announced support for PyTorch 1.0 in its containers.',
    ),
  });
}
