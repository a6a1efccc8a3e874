/**
 * Name-based gold sets (GUIDELINES-NAMES.md): records that name entities as the text writes them, so the
 * annotator needs no rules file. Reading and checking the records, and scoring a rule set against them by
 * matching names (GUIDELINES-NAMES.md, "Scoring").
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import {
  ANNOUNCEMENT_TYPES,
  type AnnouncementType,
  ENTITY_KINDS,
  type EntityKind,
  type ExtractResult,
} from '@frameline/core';
import { type RuleSet, tagDocument } from '@frameline/tag';
import { loadSource } from './documents.js';
import { type Claim, matchClaims, normaliseVersion, type Prf, prf } from './lib.js';

export interface NamedEntity {
  name: string;
  kind: EntityKind;
  also: string[];
}

export interface NamedAnnouncement {
  type: AnnouncementType;
  subject: string;
  objects: string[];
  version: string | null;
  note: string;
}

export interface NamedItem {
  ref: string;
  title: string;
  maxChars: number | null;
  entities: NamedEntity[];
  announcements: NamedAnnouncement[];
  /** Where the record is: `<file>:<line>`. */
  at: string;
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/**
 * Read and check a name-based gold file: shape, kinds and types, announcement arguments among the item's
 * names, short notes, each ref once. Throws listing every problem with its line.
 */
export function readNamed(path: string): NamedItem[] {
  const file = basename(path);
  const problems: string[] = [];
  const items: NamedItem[] = [];
  const refs = new Set<string>();
  for (const [i, raw] of readFileSync(path, 'utf8').split('\n').entries()) {
    if (raw.trim() === '') continue;
    const at = `${file}:${i + 1}`;
    const fail = (why: string) => problems.push(`${at}: ${why}`);
    let r: Record<string, unknown>;
    try {
      r = JSON.parse(raw) as Record<string, unknown>;
    } catch (thrown) {
      fail(`not valid JSON (${(thrown as Error).message})`);
      continue;
    }
    if (typeof r.ref !== 'string' || typeof r.title !== 'string') {
      fail('"ref" and "title" must be strings');
      continue;
    }
    if (refs.has(r.ref)) fail(`${r.ref} is annotated twice`);
    refs.add(r.ref);
    if (r.maxChars !== null && (typeof r.maxChars !== 'number' || r.maxChars <= 0))
      fail('"maxChars" must be null or a positive number');
    if (!Array.isArray(r.entities) || !Array.isArray(r.announcements)) {
      fail('"entities" and "announcements" must be arrays');
      continue;
    }
    const entities: NamedEntity[] = [];
    for (const e of r.entities as Record<string, unknown>[]) {
      if (typeof e.name !== 'string' || e.name.trim() === '') fail('an entity has no "name"');
      else if (!ENTITY_KINDS.includes(e.kind as EntityKind))
        fail(`entity "${e.name}": kind "${String(e.kind)}" is not one of ${ENTITY_KINDS.join(', ')}`);
      else if (e.also !== undefined && !isStrings(e.also)) fail(`entity "${e.name}": "also" must be strings`);
      else entities.push({ name: e.name, kind: e.kind as EntityKind, also: (e.also as string[]) ?? [] });
    }
    const names = new Set(entities.map((e) => e.name));
    if (names.size !== entities.length) fail('an entity name is listed twice');
    const announcements: NamedAnnouncement[] = [];
    for (const [k, a] of (r.announcements as Record<string, unknown>[]).entries()) {
      const where = `announcement ${k + 1}`;
      if (!ANNOUNCEMENT_TYPES.includes(a.type as AnnouncementType)) {
        fail(`${where}: type "${String(a.type)}" is not one of ${ANNOUNCEMENT_TYPES.join(', ')}`);
        continue;
      }
      if (typeof a.subject !== 'string' || !isStrings(a.objects)) {
        fail(`${where}: needs "subject" (a name) and "objects" (names)`);
        continue;
      }
      for (const n of [a.subject, ...a.objects])
        if (!names.has(n)) fail(`${where}: "${n}" is not the name of one of the item's entities`);
      if (a.objects.includes(a.subject)) fail(`${where}: the subject is among the objects`);
      if (a.version !== null && (typeof a.version !== 'string' || a.version === ''))
        fail(`${where}: "version" must be null or a non-empty string`);
      if (typeof a.note !== 'string' || a.note.split(/\s+/).filter(Boolean).length > 15)
        fail(`${where}: "note" must be a string of at most 15 words`);
      announcements.push({
        type: a.type as AnnouncementType,
        subject: a.subject,
        objects: a.objects,
        version: (a.version as string | null) ?? null,
        note: String(a.note),
      });
    }
    items.push({
      ref: r.ref,
      title: r.title,
      maxChars: r.maxChars as number | null,
      entities,
      announcements,
      at,
    });
  }
  if (problems.length > 0) throw new Error(`${path}:\n  ${problems.join('\n  ')}`);
  return items;
}

/** A named item with the title and text the tagger sees (text cut at `maxChars`). */
export interface LoadedNamed extends NamedItem {
  text: string;
}

/** Load every item's texts; throws listing refs that do not resolve or whose title drifted. */
export async function loadNamed(items: NamedItem[]): Promise<LoadedNamed[]> {
  const problems: string[] = [];
  const out: LoadedNamed[] = [];
  for (const item of items) {
    try {
      const source = await loadSource(item.ref);
      if (source.title.replace(/\s+/g, ' ').trim() !== item.title.replace(/\s+/g, ' ').trim())
        problems.push(`${item.at}: title drifted: stored "${item.title}", text has "${source.title}"`);
      else
        out.push({
          ...item,
          text: item.maxChars === null ? source.text : source.text.slice(0, item.maxChars),
        });
    } catch (thrown) {
      problems.push(`${item.at}: ${(thrown as Error).message}`);
    }
  }
  if (problems.length > 0) throw new Error(`gold references do not resolve:\n  ${problems.join('\n  ')}`);
  return out;
}

/** Names compare after case, quotes, dashes, spaces, a possessive and a leading "the" are folded. */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/'s$/, '')
    .replace(/[\u2010-\u2015\u2212_-]/g, ' ')
    .replace(/^the\s+/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Maximum one-to-one matching of a bipartite graph given as adjacency lists; `pairs[left] = right or -1`. */
export function maxMatching(edges: number[][], rights: number): number[] {
  const ofRight = new Array<number>(rights).fill(-1);
  const augment = (l: number, seen: Set<number>): boolean => {
    for (const r of edges[l] ?? []) {
      if (seen.has(r)) continue;
      seen.add(r);
      const holder = ofRight[r] as number;
      if (holder === -1 || augment(holder, seen)) {
        ofRight[r] = l;
        return true;
      }
    }
    return false;
  };
  for (let l = 0; l < edges.length; l++) augment(l, new Set());
  const pairs = new Array<number>(edges.length).fill(-1);
  ofRight.forEach((l, r) => {
    if (l >= 0) pairs[l] = r;
  });
  return pairs;
}

export interface NamedErrors {
  item: LoadedNamed;
  entityFp: string[];
  entityFn: string[];
  announcementFp: Claim[];
  announcementFn: Claim[];
}

export interface NamedScore {
  items: number;
  entities: Prf;
  announcements: Prf;
  releases: Prf;
  byType: Map<AnnouncementType, Prf>;
  errors: NamedErrors[];
}

/** Score a rule set on name-based items (GUIDELINES-NAMES.md, "Scoring"). */
export function scoreNamed(items: LoadedNamed[], ruleSet: RuleSet): NamedScore {
  const ent = { tp: 0, fp: 0, fn: 0 };
  const ann = { tp: 0, fp: 0, fn: 0 };
  const types = new Map<AnnouncementType, { tp: number; fp: number; fn: number }>();
  const bump = (t: AnnouncementType, f: 'tp' | 'fp' | 'fn') => {
    const c = types.get(t) ?? { tp: 0, fp: 0, fn: 0 };
    c[f]++;
    types.set(t, c);
  };
  const errors: NamedErrors[] = [];
  for (const item of items) {
    const tagged = tagDocument(item.title, item.text, ruleSet);
    const results: ['title' | 'text', ExtractResult][] = [
      ['title', tagged.title],
      ['text', tagged.text],
    ];
    // Predicted entities by id, with every name they go by in this item.
    const predicted = new Map<string, Set<string>>();
    for (const [, r] of results)
      for (const e of r.entities) {
        const names = predicted.get(e.id) ?? new Set([normaliseName(e.name)]);
        for (const m of e.mentions) names.add(normaliseName(m.text));
        predicted.set(e.id, names);
      }
    const ids = [...predicted.keys()];
    const edges = item.entities.map((g) => {
      const wanted = [g.name, ...g.also].map(normaliseName);
      return ids.flatMap((id, j) => (wanted.some((w) => predicted.get(id)?.has(w)) ? [j] : []));
    });
    const pairs = maxMatching(edges, ids.length);
    const idOf = new Map<string, string>();
    item.entities.forEach((g, k) => {
      const j = pairs[k] as number;
      idOf.set(g.name, j >= 0 ? (ids[j] as string) : `unmatched:${g.name}`);
    });
    const matchedIds = new Set(pairs.filter((j) => j >= 0).map((j) => ids[j]));
    const entityFn = item.entities.filter((_, k) => pairs[k] === -1).map((g) => g.name);
    const entityFp = ids.filter((id) => !matchedIds.has(id));
    ent.tp += matchedIds.size;
    ent.fp += entityFp.length;
    ent.fn += entityFn.length;

    const seen = new Set<string>();
    const claims: Claim[] = [];
    for (const [field, r] of results)
      for (const a of r.announcements) {
        const key = JSON.stringify([a.type, a.subject, [...a.objects].sort(), normaliseVersion(a.version)]);
        if (seen.has(key)) continue;
        seen.add(key);
        claims.push({ ...a, field, evidence: a.evidence.text });
      }
    const gold: Claim[] = item.announcements.map((a) => ({
      type: a.type,
      subject: idOf.get(a.subject) as string,
      objects: a.objects.map((o) => idOf.get(o) as string),
      version: a.version,
      evidence: a.note,
    }));
    const claimPairs = matchClaims(gold, claims);
    const used = new Set(claimPairs.filter((p) => p >= 0));
    for (const [k, g] of gold.entries()) bump(g.type, claimPairs[k] === -1 ? 'fn' : 'tp');
    const announcementFp = claims.filter((_, p) => !used.has(p));
    for (const p of announcementFp) bump(p.type, 'fp');
    const announcementFn = gold.filter((_, k) => claimPairs[k] === -1);
    ann.tp += used.size;
    ann.fp += announcementFp.length;
    ann.fn += announcementFn.length;
    if (entityFp.length + entityFn.length + announcementFp.length + announcementFn.length > 0)
      errors.push({ item, entityFp, entityFn, announcementFp, announcementFn });
  }
  const release = types.get('release') ?? { tp: 0, fp: 0, fn: 0 };
  return {
    items: items.length,
    entities: prf(ent.tp, ent.fp, ent.fn),
    announcements: prf(ann.tp, ann.fp, ann.fn),
    releases: prf(release.tp, release.fp, release.fn),
    byType: new Map([...types].map(([t, c]) => [t, prf(c.tp, c.fp, c.fn)] as const)),
    errors,
  };
}
