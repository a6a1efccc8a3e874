import { describe, expect, test } from 'vitest';
import { jobIdFor } from './queues.js';

describe('jobIdFor', () => {
  const ids = [
    jobIdFor('fetch', { sourceId: 12, slot: '1538496000000', crawlId: 'cabc' }),
    jobIdFor('parse', { fetchId: 7, sourceId: 12, crawlId: null }),
    jobIdFor('extract', {
      documents: [{ id: 3, contentHash: 'f'.repeat(32) }],
      ruleSet: 'abc123def456',
      crawlId: null,
    }),
  ];

  test('is deterministic: the same work gets the same id', () => {
    expect(jobIdFor('parse', { fetchId: 7, sourceId: 12, crawlId: 'other' })).toBe(ids[1]);
  });

  test('is valid for BullMQ: no colon, never all digits', () => {
    for (const id of ids) {
      expect(id).not.toContain(':');
      expect(id).not.toMatch(/^\d+$/);
    }
  });

  test('an extract job is new when a document, its content or the rule set changes', () => {
    const documents = [
      { id: 3, contentHash: 'a'.repeat(32) },
      { id: 4, contentHash: 'c'.repeat(32) },
    ];
    const base = { documents, ruleSet: 'r1', crawlId: null };
    const id = jobIdFor('extract', base);
    expect(jobIdFor('extract', { ...base, crawlId: 'c1' })).toBe(id);
    expect(jobIdFor('extract', { ...base, documents: [documents[0] as (typeof documents)[0]] })).not.toBe(id);
    const changed = [{ id: 3, contentHash: 'b'.repeat(32) }, documents[1] as (typeof documents)[0]];
    expect(jobIdFor('extract', { ...base, documents: changed })).not.toBe(id);
    expect(jobIdFor('extract', { ...base, ruleSet: 'r2' })).not.toBe(id);
  });
});
