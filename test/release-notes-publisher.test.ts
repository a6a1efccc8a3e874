import { type JobMap, PROCESSORS, type QueueName, type StageContext, stageBase } from '@frameline/pipeline';
import { addSource } from '@frameline/store';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { recordFetchedBody } from './helpers/fetched.js';
import { type InProcess, inProcessRuntime } from './helpers/runtime.js';

/**
 * A release feed's entries are titled with a bare version ("v0.5"): the software is named by who publishes
 * them (the repository in the feed's address, the feed's own title), so the entry is that software's release
 * and its lines' subject. The same entries from a feed whose address and title name no software give neither.
 */
let env: InProcess;

beforeAll(async () => {
  env = await inProcessRuntime('release-notes-publisher');
});
afterAll(async () => {
  await env?.close();
});

// Written for this test.
const releases = (feedTitle: string) => `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>${feedTitle}</title>
  <id>urn:test:releases</id>
  <updated>2019-02-01T00:00:00Z</updated>
  <entry>
    <title>v0.5</title>
    <id>urn:test:releases:0.5</id>
    <updated>2019-02-01T00:00:00Z</updated>
    <content type="html">&lt;ul&gt;&lt;li&gt;Frontend support: Caffe2, ONNX&lt;/li&gt;&lt;li&gt;Faster builds&lt;/li&gt;&lt;/ul&gt;</content>
  </entry>
</feed>`;

async function announcementsOf(
  url: string,
  feedTitle = 'Release notes',
): Promise<[string, string, string[], string | null][]> {
  const { rt } = env;
  const { source } = await addSource(rt.store.sql, { url, articleMode: 'never' });
  const fetchId = await recordFetchedBody(rt.store.sql, source, {
    body: releases(feedTitle),
    contentType: 'application/atom+xml',
  });
  const enqueue = async <Q extends QueueName>(_queue: Q, _payload: JobMap[Q]) => undefined;
  const ctx: StageContext = { ...stageBase(rt), enqueue };
  await PROCESSORS.parse({ fetchId, sourceId: source.id, crawlId: null }, ctx, {
    jobId: `parse-${source.id}`,
    number: 1,
    isLast: true,
  });
  const rows = await rt.store.sql<
    { type: string; subject: string; objects: string[]; version: string | null }[]
  >`
    select a.type, a.subject, a.objects, a.version from announcements a
    join documents d on d.id = a.document_id
    where d.source_id = ${source.id} order by a.field desc, a.evidence_start, a.subject, a.objects`;
  return rows.map((r) => [r.type, r.subject, r.objects, r.version]);
}

test('a bare version heading is a release of the software its feed address names, the subject of its lines', async () => {
  expect(await announcementsOf('https://github.com/apache/tvm/releases.atom')).toEqual([
    ['release', 'tvm', [], '0.5'],
    ['support', 'tvm', ['caffe2'], null],
    ['support', 'tvm', ['onnx'], null],
  ]);
  expect(await announcementsOf('https://example.org/changes/feed.atom')).toEqual([]);
});

test("a bare version heading is a release of the software its feed's own title names", async () => {
  expect(await announcementsOf('https://example.net/news/feed.atom', 'Apache TVM releases')).toEqual([
    ['release', 'tvm', [], '0.5'],
    ['support', 'tvm', ['caffe2'], null],
    ['support', 'tvm', ['onnx'], null],
  ]);
  const [source] = await env.rt.store.sql<{ feedTitle: string | null }[]>`
    select feed_title as "feedTitle" from sources where url = 'https://example.net/news/feed.atom'`;
  expect(source?.feedTitle).toBe('Apache TVM releases');
});
