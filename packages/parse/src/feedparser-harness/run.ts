import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toError } from '@frameline/core';
import { decodeBody } from '../decode.js';
import { parseFeedSync } from '../parse-feed.js';
import { corporaDir } from '../shared-corpora.js';
import { parsePy } from './py-expr.js';
import { holds, notApplicableReason, type OurResult } from './translate.js';

/** One line of feedparser's EXPECTATIONS-index.jsonl. */
interface IndexEntry {
  path: string;
  suite: string;
  group: string;
  description: string;
  expect: string;
  headers: Record<string, string> | null;
  http: boolean;
}

export interface CaseResult {
  path: string;
  group: string;
  expect: string;
  status: 'pass' | 'fail' | 'n/a';
  reason?: string;
  detail?: string;
}

export interface SuiteSummary {
  total: number;
  applicable: number;
  passed: number;
  share: number;
  notApplicable: Record<string, number>;
  failingGroups: Record<string, number>;
  cases: CaseResult[];
}

export const SUITES = ['wellformed', 'illformed', 'encoding'] as const;

/** Where feedparser's own test server served the files; the document URL of `http` cases. */
const TEST_SERVER = 'http://127.0.0.1:8097/';

function header(headers: Record<string, string> | null, name: string): string | null {
  if (!headers) return null;
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return null;
}

/** What our parser yields for one feedparser test file, served with its `Header:` lines. */
export function runOurs(entry: IndexEntry, bytes: Uint8Array): OurResult {
  const contentType = header(entry.headers, 'content-type') ?? (entry.http ? 'application/xml' : null);
  const docUrl = entry.http ? TEST_SERVER + entry.path : null;
  const location = header(entry.headers, 'content-location');
  // feedparser ignores a Content-Location that is not an http(s) URL (e.g. `javascript:`).
  const resolved = location ? URL.parse(location, docUrl ?? undefined) : null;
  const url = resolved && /^https?:$/.test(resolved.protocol) ? resolved.href : docUrl;
  const { encoding } = decodeBody(bytes, contentType);
  try {
    const feed = parseFeedSync(bytes, { contentType, ...(url ? { url } : {}) });
    return { feed, error: null, encoding };
  } catch (err) {
    return { feed: null, error: toError(err), encoding };
  }
}

/** Runs feedparser's wellformed, illformed and encoding cases through our parser and the Expect translator. */
export function runFeedparserSuite(): SuiteSummary {
  const root = join(corporaDir(), 'feedparser');
  const lines = readFileSync(join(root, 'EXPECTATIONS-index.jsonl'), 'utf8').split('\n').filter(Boolean);
  const entries = lines
    .map((l) => JSON.parse(l) as IndexEntry)
    .filter((e) => (SUITES as readonly string[]).includes(e.suite));
  const cases: CaseResult[] = [];
  for (const entry of entries) {
    const base = { path: entry.path, group: entry.group, expect: entry.expect };
    if (entry.group === 'wellformed/sanitize') {
      cases.push({ ...base, status: 'n/a', reason: 'HTML sanitisation (we keep the raw HTML)' });
      continue;
    }
    let tree: ReturnType<typeof parsePy>;
    try {
      // The index's extractor sometimes ran past the comment's end; the expression stops there.
      tree = parsePy(entry.expect.split('\n-->')[0] ?? entry.expect);
    } catch (err) {
      cases.push({
        ...base,
        status: 'n/a',
        reason: `untranslatable expression (${toError(err).message.slice(0, 40)})`,
      });
      continue;
    }
    const reason = notApplicableReason(tree);
    if (reason) {
      cases.push({ ...base, status: 'n/a', reason });
      continue;
    }
    const ours = runOurs(entry, readFileSync(join(root, entry.path)));
    let pass: boolean;
    try {
      pass = holds(tree, ours);
    } catch (err) {
      pass = false;
      ours.error ??= toError(err);
    }
    cases.push({
      ...base,
      status: pass ? 'pass' : 'fail',
      ...(pass ? {} : { detail: ours.error ? ours.error.message : JSON.stringify(ours.feed).slice(0, 400) }),
    });
  }
  const applicable = cases.filter((c) => c.status !== 'n/a');
  const passed = applicable.filter((c) => c.status === 'pass').length;
  const notApplicable: Record<string, number> = {};
  for (const c of cases)
    if (c.status === 'n/a' && c.reason) notApplicable[c.reason] = (notApplicable[c.reason] ?? 0) + 1;
  const failingGroups: Record<string, number> = {};
  for (const c of applicable)
    if (c.status === 'fail') failingGroups[c.group] = (failingGroups[c.group] ?? 0) + 1;
  return {
    total: cases.length,
    applicable: applicable.length,
    passed,
    share: applicable.length === 0 ? 0 : passed / applicable.length,
    notApplicable,
    failingGroups,
    cases,
  };
}
