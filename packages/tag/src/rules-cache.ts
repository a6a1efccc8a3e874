import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RulesSpec } from './spec.js';

/**
 * The parsed rule sets cache: reading the bundled rules' YAML takes most of a start-up (the matchers are built
 * in a fraction of that), so the parsed spec is kept as JSON under FRAMELINE_HOME, one file per rule-set
 * version (`cache/rules-<version>.json`). The version hashes the tagger's code and every rules text, so an
 * entry can only ever be read back by the same code for the same rules, and nothing is invalidated by hand.
 *
 * A cache never changes results and never fails a load: a file that is missing, unreadable, cut short or
 * altered is a miss (its first line holds the SHA-256 of the rest), and a home that cannot be written is
 * simply not cached in.
 */
const FORMAT = 1;
/** Entries kept: a few rule sets in use, and the code versions of a few recent upgrades. */
const KEEP = 8;
/** A temporary file older than this was left by a writer that died. */
const STALE_TEMP_MS = 10 * 60_000;
const ENTRY = /^rules-[0-9a-f]+\.json$/;
const TEMP = /^\.rules-.*\.tmp$/;

function cacheDir(home: string): string {
  return join(home, 'cache');
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The spec cached for this rule-set version, or null (missing, unreadable or not intact). */
export function readCachedSpec(home: string, version: string): RulesSpec | null {
  let data: string;
  try {
    data = readFileSync(join(cacheDir(home), `rules-${version}.json`), 'utf8');
  } catch {
    return null; // (no entry yet, or unreadable: a miss either way)
  }
  const newline = data.indexOf('\n');
  if (newline < 0) return null;
  try {
    const head = JSON.parse(data.slice(0, newline)) as {
      format?: unknown;
      version?: unknown;
      sha256?: unknown;
    };
    const body = data.slice(newline + 1);
    if (head.format !== FORMAT || head.version !== version || head.sha256 !== sha256(body)) return null;
    const spec = JSON.parse(body) as RulesSpec;
    return isSpec(spec) ? spec : null;
  } catch {
    return null; // (a first line that is not JSON: not an entry this code wrote)
  }
}

function isSpec(spec: RulesSpec | null): spec is RulesSpec {
  return (
    typeof spec === 'object' &&
    spec !== null &&
    Array.isArray(spec.entities) &&
    Array.isArray(spec.rules) &&
    Array.isArray(spec.planWords) &&
    Array.isArray(spec.negationWords) &&
    typeof spec.newNames === 'object' &&
    spec.newNames !== null &&
    Object.values(spec.newNames).every(Array.isArray) &&
    typeof spec.reading === 'object' &&
    spec.reading !== null &&
    Object.values(spec.reading).every(Array.isArray)
  );
}

/**
 * Store the spec of a valid rule set under its version. Written to a temporary file and renamed into place,
 * so that processes starting together never read half an entry (they may all write it: the same bytes).
 * Without fsync a crash can still leave an entry cut short; its digest makes it a miss.
 */
export function writeCachedSpec(home: string, version: string, spec: RulesSpec): void {
  const dir = cacheDir(home);
  const body = JSON.stringify(spec);
  const head = JSON.stringify({ format: FORMAT, version, sha256: sha256(body) });
  const temp = join(dir, `.rules-${version}-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(temp, `${head}\n${body}`);
    renameSync(temp, join(dir, `rules-${version}.json`));
  } catch {
    // A home that cannot be written is not cached in.
    removeQuietly(temp);
    return;
  }
  prune(dir, version);
}

/** Drop all but the newest entries (by time written) and temporary files writers left behind. */
function prune(dir: string, keep: string): void {
  try {
    const now = Date.now();
    const entries: { name: string; mtime: number }[] = [];
    for (const name of readdirSync(dir)) {
      if (ENTRY.test(name) && name !== `rules-${keep}.json`)
        entries.push({ name, mtime: statSync(join(dir, name)).mtimeMs });
      else if (TEMP.test(name) && now - statSync(join(dir, name)).mtimeMs > STALE_TEMP_MS)
        removeQuietly(join(dir, name));
    }
    entries.sort((a, b) => b.mtime - a.mtime);
    // (Another process may be reading an entry removed here: it keeps its open file, or finds none and
    // parses the YAML.)
    for (const e of entries.slice(KEEP - 1)) removeQuietly(join(dir, e.name));
  } catch {
    // Pruning is housekeeping: an entry another process removed first, or a folder gone, is no matter.
  }
}

function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // (Its folder is gone or cannot be written: there is nothing to clean up there.)
  }
}
