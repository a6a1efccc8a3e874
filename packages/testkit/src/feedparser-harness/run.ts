import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toError } from '@frameline/core';
import { decodeBody, parseFeedSync } from '@frameline/parse';
import { corporaDir } from '../corpora.js';
import { type PyNode, parsePy } from './py-expr.js';
import { holds, notApplicableReason, type OurResult } from './translate.js';

/** One line of feedparser's EXPECTATIONS-index.jsonl. */
export interface IndexEntry {
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

/** The Content-Type a feedparser test file was served with (its `Header:` lines, else the test server's). */
export function servedContentType(entry: IndexEntry): string | null {
  return header(entry.headers, 'content-type') ?? (entry.http ? 'application/xml' : null);
}

/** What our parser yields for one feedparser test file, served with its `Header:` lines. */
export function runOurs(entry: IndexEntry, bytes: Uint8Array): OurResult {
  const contentType = servedContentType(entry);
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

/** A case with its translated expression, or the reason it does not apply, decided before anything runs. */
export interface PlannedCase {
  entry: IndexEntry;
  /** The file's bytes, for applicable cases. */
  bytes: Uint8Array | null;
  tree: PyNode | null;
  reason: string | null;
}

/** Reads feedparser's wellformed, illformed and encoding cases and decides, from each expression, if it applies. */
export function planFeedparserSuite(): PlannedCase[] {
  const root = join(corporaDir(), 'feedparser');
  const lines = readFileSync(join(root, 'EXPECTATIONS-index.jsonl'), 'utf8').split('\n').filter(Boolean);
  const entries = lines
    .map((l) => JSON.parse(l) as IndexEntry)
    .filter((e) => (SUITES as readonly string[]).includes(e.suite));
  return entries.map((entry): PlannedCase => {
    const none = { entry, bytes: null, tree: null };
    if (entry.group === 'wellformed/sanitize')
      return { ...none, reason: 'HTML sanitisation (we keep the raw HTML)' };
    let tree: PyNode;
    try {
      // The index's extractor sometimes ran past the comment's end; the expression stops there.
      tree = parsePy(entry.expect.split('\n-->')[0] ?? entry.expect);
    } catch (err) {
      return { ...none, reason: `untranslatable expression (${toError(err).message.slice(0, 40)})` };
    }
    const reason = notApplicableReason(tree);
    if (reason) return { ...none, reason };
    return { entry, bytes: readFileSync(join(root, entry.path)), tree, reason: null };
  });
}

/** The result row of a case that does not apply. */
export function notApplicableCase(planned: PlannedCase): CaseResult {
  const { entry } = planned;
  return {
    path: entry.path,
    group: entry.group,
    expect: entry.expect,
    status: 'n/a',
    reason: planned.reason ?? 'not applicable',
  };
}

/** Evaluates one applicable case against a parser's result (an evaluation error counts as a failure). */
export function judgeCase(planned: PlannedCase, result: OurResult): CaseResult {
  const { entry, tree } = planned;
  const base = { path: entry.path, group: entry.group, expect: entry.expect };
  if (!tree) return notApplicableCase(planned);
  let pass: boolean;
  try {
    pass = holds(tree, result);
  } catch (err) {
    pass = false;
    result.error ??= toError(err);
  }
  return {
    ...base,
    status: pass ? 'pass' : 'fail',
    ...(pass
      ? {}
      : { detail: result.error ? result.error.message : JSON.stringify(result.feed).slice(0, 400) }),
  };
}

/** Counts passes, reasons for not applying and failing groups over a run's cases. */
export function summarise(cases: CaseResult[]): SuiteSummary {
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

/** Runs feedparser's wellformed, illformed and encoding cases through our parser and the Expect translator. */
export function runFeedparserSuite(planned: PlannedCase[] = planFeedparserSuite()): SuiteSummary {
  return summarise(
    planned.map((p) => (p.tree && p.bytes ? judgeCase(p, runOurs(p.entry, p.bytes)) : notApplicableCase(p))),
  );
}
