/**
 * The tagger's gold sets: the development set `items.jsonl` and the held-out set `heldout.jsonl` (same
 * format, same guidelines, items nobody tunes the rules on). Reading the references, loading the texts they
 * point at from `<repoRoot>/../shared/corpora`, validating the annotations and scoring a rule set against
 * them. The definitions implemented here are the ones written in GUIDELINES.md; change both together.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ANNOUNCEMENT_TYPES,
  type AnnouncementType,
  ENTITY_KINDS,
  type EntityKind,
  type ExtractedAnnouncement,
  type ExtractedEntity,
  type ExtractResult,
} from '@frameline/core';
import { htmlToText, parseFeed } from '@frameline/parse';
import { type RuleSet, tagDocument } from '@frameline/tag';
import { corporaDir } from '@frameline/testkit';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const GOLD_ITEMS_PATH = fileURLToPath(new URL('./items.jsonl', import.meta.url));
export const HELDOUT_ITEMS_PATH = fileURLToPath(new URL('./heldout.jsonl', import.meta.url));
export const HELDOUT2_ITEMS_PATH = fileURLToPath(new URL('./heldout2.jsonl', import.meta.url));

/**
 * The gold sets by name: `dev` is tuned against; `heldout` measures how the tagger does on texts nobody
 * tuned it on, so look at its totals, not at its items, while writing rules.
 */
export const GOLD_SETS = {
  dev: { path: GOLD_ITEMS_PATH, label: 'development' },
  heldout: { path: HELDOUT_ITEMS_PATH, label: 'held-out' },
  heldout2: { path: HELDOUT2_ITEMS_PATH, label: 'held-out 2' },
} as const;
export type GoldSetName = keyof typeof GOLD_SETS;

/** `corpus#index` of every item some gold set references (sets whose file does not exist yet are skipped). */
export function goldItemKeys(): Set<string> {
  return new Set(
    Object.values(GOLD_SETS)
      .filter(({ path }) => existsSync(path))
      .flatMap(({ path }) => readGold(path).map((g) => `${g.corpus}#${g.index}`)),
  );
}

/**
 * Items that only the second held-out set may use: a fixed quarter of every feed, chosen by a hash of the
 * corpus path and item index. Whoever writes rules may read any other item of the corpora (the tuning
 * pool, `pool.ts`), never these, so the second held-out set stays unseen whatever rules are written later.
 */
export function reservedForHeldout2(corpus: string, index: number): boolean {
  let h = 2166136261;
  for (const c of `${corpus}#${index}`) h = Math.imul(h ^ (c.codePointAt(0) as number), 16777619);
  return (h >>> 0) % 4 === 0;
}

/** One announcement as annotated by hand. `subject` and `objects` are entity ids. */
export interface GoldAnnouncement {
  type: AnnouncementType;
  subject: string;
  objects: string[];
  version: string | null;
  /** A short quote of the trigger phrase (at most 15 words), for the reader; not scored. */
  note: string;
}

/** An entity the item mentions that the default rules file does not have, under a proposed id. */
export interface MissingEntity {
  id: string;
  name: string;
  kind: EntityKind;
}

/** One gold record: a reference to a feed item and its annotations. */
export interface GoldItem {
  /** Feed file path relative to `shared/corpora`. */
  corpus: string;
  /** Position of the item in `parseFeed(file).items`. */
  index: number;
  /** The item's title, to detect drift of the corpus or the parser. */
  title: string;
  /** When set, only the first `maxChars` UTF-16 units of the item's text are annotated and tagged. */
  maxChars: number | null;
  entities: string[];
  announcements: GoldAnnouncement[];
  missingEntities: MissingEntity[];
  /** Set by `readGold`: the 1-based line of the record in the file. */
  line: number;
  /** Set by `readGold`: the name of the file the record comes from (`items.jsonl`, `heldout.jsonl`). */
  file: string;
}

/** A gold record with the title and text the tagger sees. */
export interface LoadedItem extends GoldItem {
  text: string;
}

/** `<repoRoot>/../shared`; throws with a clear message when its corpora are missing. */
export function sharedDir(): string {
  return dirname(corporaDir().replace(/\/$/, ''));
}

const VERSION_OR_NULL = (v: unknown): v is string | null => v === null || (typeof v === 'string' && v !== '');
const isStringArray = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((s) => typeof s === 'string');

/** Read and shape-check a gold file (default `items.jsonl`); throws naming the line of the first malformed record. */
export function readGold(path: string = GOLD_ITEMS_PATH): GoldItem[] {
  const file = basename(path);
  const items: GoldItem[] = [];
  for (const [i, raw] of readFileSync(path, 'utf8').split('\n').entries()) {
    const line = i + 1;
    if (raw.trim() === '') continue;
    function fail(why: string): never {
      throw new Error(`${path}:${line}: ${why}`);
    }
    let r: Record<string, unknown>;
    try {
      r = JSON.parse(raw) as Record<string, unknown>;
    } catch (thrown) {
      fail(`not valid JSON (${(thrown as Error).message})`);
    }
    if (typeof r.corpus !== 'string') fail('"corpus" must be a string');
    if (typeof r.index !== 'number' || !Number.isInteger(r.index) || r.index < 0)
      fail('"index" must be an integer ≥ 0');
    if (typeof r.title !== 'string') fail('"title" must be a string');
    if (r.maxChars !== null && (typeof r.maxChars !== 'number' || r.maxChars <= 0))
      fail('"maxChars" must be null or a positive number');
    if (!isStringArray(r.entities)) fail('"entities" must be an array of ids');
    if (!Array.isArray(r.announcements)) fail('"announcements" must be an array');
    if (!Array.isArray(r.missingEntities)) fail('"missingEntities" must be an array');
    const announcements = (r.announcements as Record<string, unknown>[]).map((a, k) => {
      const at = `announcement ${k + 1}`;
      if (!ANNOUNCEMENT_TYPES.includes(a.type as AnnouncementType))
        fail(`${at}: type "${String(a.type)}" is not one of ${ANNOUNCEMENT_TYPES.join(', ')}`);
      if (typeof a.subject !== 'string') fail(`${at}: "subject" must be an entity id`);
      if (!isStringArray(a.objects)) fail(`${at}: "objects" must be an array of entity ids`);
      if (!VERSION_OR_NULL(a.version)) fail(`${at}: "version" must be null or a non-empty string`);
      if (typeof a.note !== 'string') fail(`${at}: "note" must be a string`);
      return {
        type: a.type as AnnouncementType,
        subject: a.subject as string,
        objects: a.objects as string[],
        version: a.version as string | null,
        note: a.note as string,
      };
    });
    const missingEntities = (r.missingEntities as Record<string, unknown>[]).map((m, k) => {
      const at = `missingEntities ${k + 1}`;
      if (typeof m.id !== 'string' || typeof m.name !== 'string') fail(`${at}: needs "id" and "name"`);
      if (!ENTITY_KINDS.includes(m.kind as EntityKind))
        fail(`${at}: kind "${String(m.kind)}" is not one of ${ENTITY_KINDS.join(', ')}`);
      return { id: m.id as string, name: m.name as string, kind: m.kind as EntityKind };
    });
    items.push({
      corpus: r.corpus as string,
      index: r.index as number,
      title: r.title as string,
      maxChars: r.maxChars as number | null,
      entities: r.entities as string[],
      announcements,
      missingEntities,
      line,
      file,
    });
  }
  return items;
}

const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

/**
 * Load the title and text of every referenced item (text = `htmlToText(content ?? summary ?? '')`, cut to
 * `maxChars`). Throws listing every reference that no longer resolves or whose title changed.
 */
export async function loadGoldTexts(items: GoldItem[]): Promise<LoadedItem[]> {
  const corpora = join(sharedDir(), 'corpora');
  const feeds = new Map<string, Awaited<ReturnType<typeof parseFeed>>>();
  const problems: string[] = [];
  const loaded: LoadedItem[] = [];
  for (const item of items) {
    const where = `${item.file}:${item.line} (${item.corpus} #${item.index})`;
    let feed = feeds.get(item.corpus);
    if (feed === undefined) {
      const path = join(corpora, item.corpus);
      if (!existsSync(path)) {
        problems.push(`${where}: file ${path} does not exist`);
        continue;
      }
      feed = await parseFeed(new Uint8Array(readFileSync(path)));
      feeds.set(item.corpus, feed);
    }
    const found = feed.items[item.index];
    if (found === undefined) {
      problems.push(`${where}: the feed has only ${feed.items.length} items`);
      continue;
    }
    if (squash(found.title ?? '') !== squash(item.title)) {
      problems.push(`${where}: title drifted: stored "${item.title}", feed has "${found.title ?? ''}"`);
      continue;
    }
    const full = htmlToText(found.content ?? found.summary ?? '');
    const text = item.maxChars === null ? full : full.slice(0, item.maxChars);
    loaded.push({ ...item, title: found.title ?? '', text });
  }
  if (problems.length > 0) throw new Error(`gold set references do not resolve:\n  ${problems.join('\n  ')}`);
  return loaded;
}

/**
 * Problems in the annotations themselves: ids that are neither in the rule set nor declared missing,
 * missing entities declared inconsistently, announcement arguments that are not among the item's
 * entities, duplicates, over-long notes. Empty when the gold set is consistent. Pass several sets at once
 * to check them against each other too: an item in two sets, a missing entity declared differently.
 */
export function validateGold(items: GoldItem[], ruleSet: RuleSet): string[] {
  const known = new Set(ruleSet.entities.map((e) => e.id));
  const problems: string[] = [];
  const seen = new Set<string>();
  const missingById = new Map<string, MissingEntity>();
  for (const item of items) {
    const at = `${item.file}:${item.line}`;
    const key = `${item.corpus}#${item.index}`;
    if (seen.has(key)) problems.push(`${at}: ${key} is referenced twice`);
    seen.add(key);
    const declared = new Set(item.missingEntities.map((m) => m.id));
    for (const m of item.missingEntities) {
      if (!item.entities.includes(m.id))
        problems.push(`${at}: missing entity "${m.id}" is not in "entities"`);
      const other = missingById.get(m.id);
      if (other && (other.kind !== m.kind || other.name !== m.name))
        problems.push(`${at}: missing entity "${m.id}" is declared differently elsewhere`);
      missingById.set(m.id, m);
    }
    if (new Set(item.entities).size !== item.entities.length) problems.push(`${at}: duplicate entity ids`);
    for (const id of item.entities) {
      if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id)) problems.push(`${at}: "${id}" is not a kebab-case id`);
      if (!known.has(id) && !declared.has(id))
        problems.push(`${at}: entity "${id}" is neither in the rule set nor in missingEntities`);
    }
    for (const a of item.announcements) {
      for (const id of [a.subject, ...a.objects]) {
        if (!item.entities.includes(id))
          problems.push(`${at}: announcement ${a.type} uses "${id}", which is not among the item's entities`);
      }
      if (a.objects.includes(a.subject)) problems.push(`${at}: ${a.type} has its subject among its objects`);
      if (a.note.split(/\s+/).filter(Boolean).length > 15) problems.push(`${at}: note longer than 15 words`);
    }
  }
  return problems;
}

/**
 * Ids declared missing that the rule set now has (the tagger gained them since annotation). Not an error:
 * the ids stay valid; `score.ts` lists them so the annotator can check the rule set means the same thing.
 */
export function nowKnown(items: GoldItem[], ruleSet: RuleSet): string[] {
  const known = new Set(ruleSet.entities.map((e) => e.id));
  return [...new Set(items.flatMap((i) => i.missingEntities.map((m) => m.id)).filter((id) => known.has(id)))];
}

/** A predicted or gold announcement reduced to what is scored. */
export interface Claim {
  type: AnnouncementType;
  subject: string;
  objects: string[];
  version: string | null;
  /** For predictions: the rule that produced it and the field it came from. */
  rule?: string;
  field?: 'title' | 'text';
  evidence?: string;
}

/** Versions compare after lower-casing, dropping a leading "v" or "version " and folding dashes. */
export function normaliseVersion(v: string | null): string | null {
  if (v === null) return null;
  return v
    .trim()
    .toLowerCase()
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/^(?:version\s+|v(?=\d))/, '');
}

/** Whether a prediction can stand for a gold announcement (GUIDELINES.md, "Scoring"). */
export function canMatch(gold: Claim, predicted: Claim): boolean {
  if (gold.type !== predicted.type) return false;
  if (gold.version !== null && normaliseVersion(gold.version) !== normaliseVersion(predicted.version))
    return false;
  if (predicted.subject === gold.subject) return true;
  const involved = new Set([predicted.subject, ...predicted.objects]);
  return involved.has(gold.subject) && gold.objects.every((o) => involved.has(o));
}

/**
 * A maximum one-to-one matching between gold and predicted announcements (Kuhn's augmenting paths), so
 * the count does not depend on the order in which announcements are listed. Returns `pairs[g] = p or -1`.
 */
export function matchClaims(gold: Claim[], predicted: Claim[]): number[] {
  const ofPredicted = new Array<number>(predicted.length).fill(-1);
  const edges = gold.map((g) => predicted.flatMap((p, j) => (canMatch(g, p) ? [j] : [])));
  const augment = (g: number, visited: Set<number>): boolean => {
    for (const p of edges[g] ?? []) {
      if (visited.has(p)) continue;
      visited.add(p);
      const holder = ofPredicted[p] as number;
      if (holder === -1 || augment(holder, visited)) {
        ofPredicted[p] = g;
        return true;
      }
    }
    return false;
  };
  for (let g = 0; g < gold.length; g++) augment(g, new Set());
  const pairs = new Array<number>(gold.length).fill(-1);
  ofPredicted.forEach((g, p) => {
    if (g >= 0) pairs[g] = p;
  });
  return pairs;
}

const claimKey = (c: Claim): string =>
  JSON.stringify([c.type, c.subject, [...c.objects].sort(), normaliseVersion(c.version)]);

function toClaim(a: ExtractedAnnouncement, field: 'title' | 'text'): Claim {
  return {
    type: a.type,
    subject: a.subject,
    objects: a.objects,
    version: a.version,
    rule: a.rule,
    field,
    evidence: a.evidence.text,
  };
}

/** Precision, recall and F1 over counts; an empty denominator gives 1 (nothing to get wrong). */
export interface Prf {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

export function prf(tp: number, fp: number, fn: number): Prf {
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { tp, fp, fn, precision, recall, f1 };
}

/** What went wrong on one item. */
export interface ItemErrors {
  item: LoadedItem;
  entityFp: string[];
  entityFn: string[];
  announcementFp: Claim[];
  announcementFn: Claim[];
}

export interface GoldScore {
  items: number;
  entities: Prf;
  announcements: Prf;
  /** Announcement scores per gold type (false positives counted under the predicted type). */
  byType: Map<AnnouncementType, Prf>;
  /** Entity scores per kind (gold kind for false negatives, predicted kind for false positives). */
  byKind: Map<EntityKind, Prf>;
  errors: ItemErrors[];
}

/** A tagger result with every variant entity ("Llama 3.1", parent `llama`) replaced by its family. */
export function asFamilies(result: ExtractResult): ExtractResult {
  const family = new Map(result.entities.flatMap((e) => (e.parent ? [[e.id, e.parent] as const] : [])));
  if (family.size === 0) return result;
  const up = (id: string) => family.get(id) ?? id;
  const merged = new Map<string, ExtractedEntity>();
  for (const e of result.entities) {
    const id = up(e.id);
    const seen = merged.get(id);
    if (seen) seen.mentions.push(...e.mentions);
    else merged.set(id, { id, name: e.name, kind: e.kind, mentions: [...e.mentions] });
  }
  return {
    ...result,
    entities: [...merged.values()],
    announcements: result.announcements.map((a) => ({
      ...a,
      subject: up(a.subject),
      objects: [...new Set(a.objects.map(up))].filter((o) => o !== up(a.subject)),
    })),
  };
}

/**
 * Tag each item's title and text with `ruleSet` and score against the gold annotations: entities over
 * (item, entity id) pairs; announcements by maximum one-to-one matching per item, after merging the
 * title's and the text's predictions and dropping exact duplicates.
 */
export function scoreGold(items: LoadedItem[], ruleSet: RuleSet): GoldScore {
  const kindOf = new Map<string, EntityKind>(ruleSet.entities.map((e) => [e.id, e.kind]));
  for (const item of items) for (const m of item.missingEntities) kindOf.set(m.id, m.kind);
  const ent = { tp: 0, fp: 0, fn: 0 };
  const ann = { tp: 0, fp: 0, fn: 0 };
  const typeCounts = new Map<AnnouncementType, { tp: number; fp: number; fn: number }>();
  const kindCounts = new Map<EntityKind, { tp: number; fp: number; fn: number }>();
  const bump = <K>(m: Map<K, { tp: number; fp: number; fn: number }>, k: K, f: 'tp' | 'fp' | 'fn') => {
    const c = m.get(k) ?? { tp: 0, fp: 0, fn: 0 };
    c[f]++;
    m.set(k, c);
  };
  const errors: ItemErrors[] = [];
  for (const item of items) {
    // These sets follow the guidelines' older rule that a version or variant is its family ("Llama 3.1" is
    // `llama`): the tagger's variant entities are read as their families here.
    const tagged = tagDocument(item.title, item.text, ruleSet);
    const title = asFamilies(tagged.title);
    const text = asFamilies(tagged.text);
    const predictedIds = new Set([...title.entities, ...text.entities].map((e) => e.id));
    const goldIds = new Set(item.entities);
    const entityFp = [...predictedIds].filter((id) => !goldIds.has(id));
    const entityFn = [...goldIds].filter((id) => !predictedIds.has(id));
    for (const id of goldIds) {
      const kind = kindOf.get(id) ?? 'product';
      if (predictedIds.has(id)) bump(kindCounts, kind, 'tp');
      else bump(kindCounts, kind, 'fn');
    }
    for (const id of entityFp) bump(kindCounts, kindOf.get(id) ?? 'product', 'fp');
    ent.tp += goldIds.size - entityFn.length;
    ent.fp += entityFp.length;
    ent.fn += entityFn.length;

    const seen = new Set<string>();
    const predicted: Claim[] = [];
    for (const [field, result] of [
      ['title', title],
      ['text', text],
    ] as const) {
      for (const a of result.announcements) {
        const claim = toClaim(a, field);
        const key = claimKey(claim);
        if (seen.has(key)) continue;
        seen.add(key);
        predicted.push(claim);
      }
    }
    const gold: Claim[] = item.announcements;
    const pairs = matchClaims(gold, predicted);
    const used = new Set(pairs.filter((p) => p >= 0));
    const announcementFn = gold.filter((_, g) => pairs[g] === -1);
    const announcementFp = predicted.filter((_, p) => !used.has(p));
    for (const [k, g] of gold.entries()) bump(typeCounts, g.type, pairs[k] === -1 ? 'fn' : 'tp');
    for (const p of announcementFp) bump(typeCounts, p.type, 'fp');
    ann.tp += used.size;
    ann.fp += announcementFp.length;
    ann.fn += announcementFn.length;
    if (entityFp.length + entityFn.length + announcementFp.length + announcementFn.length > 0)
      errors.push({ item, entityFp, entityFn, announcementFp, announcementFn });
  }
  const toPrf = <K>(m: Map<K, { tp: number; fp: number; fn: number }>) =>
    new Map([...m].map(([k, c]) => [k, prf(c.tp, c.fp, c.fn)] as const));
  return {
    items: items.length,
    entities: prf(ent.tp, ent.fp, ent.fn),
    announcements: prf(ann.tp, ann.fp, ann.fn),
    byType: toPrf(typeCounts),
    byKind: toPrf(kindCounts),
    errors,
  };
}
