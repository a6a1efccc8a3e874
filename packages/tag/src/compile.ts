import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PermanentError } from '@frameline/core';
import { Automaton } from './automaton.js';
import { listPatterns } from './list-names.js';
import { orgShape } from './org-names.js';
import { joinSpecs, readRules } from './parse-rules.js';
import { partyPatterns } from './party-names.js';
import { compileReading, alt as readingAlt } from './reading.js';
import { squash } from './repo-ids.js';
import type { CompiledRule, CueInfo, EntityInfo, RuleSet, SurfaceUse, SurfaceUses } from './rule-set.js';
import type { Located, Pos, RuleError, RuleFile, RulesSpec } from './spec.js';
import { CASE_FOLD, foldWith, PUNCT_FOLD } from './unicode.js';

/** A surface form must contain something to match: a letter, digit or symbol (🤗 counts). */
const MATCHABLE = /[\p{L}\p{N}\p{S}]/u;

/** A rule set's tables, or the problems that keep it from being built. */
export interface Built {
  errors: RuleError[];
  ruleSet: Omit<RuleSet, 'version' | 'source' | 'files'> | null;
}

/**
 * Validate cross-references and build the matchers; every problem is returned with its position. `files` name
 * the rule set's files for messages that point from one place to another.
 */
export function build(spec: RulesSpec, files: readonly RuleFile[]): Built {
  const errors: RuleError[] = [];
  const err = (at: Pos, message: string) =>
    errors.push({ part: at.part, line: at.line, column: at.column, message });
  // "line 12" in the same file, "entities-vendors.yaml line 12" in another file of the set.
  const where = (from: Pos, to: Pos | undefined) =>
    to === undefined || to.part === from.part
      ? `line ${to?.line}`
      : `${basename(files[to.part]?.file ?? '')} line ${to.line}`;

  const index = new Map<string, number>();
  spec.entities.forEach((e, i) => {
    const seen = index.get(e.id);
    if (seen !== undefined)
      err(e.pos, `duplicate id "${e.id}" (first used on ${where(e.pos, spec.entities[seen]?.pos)})`);
    else index.set(e.id, i);
  });
  const parents = spec.entities.map((e) => {
    if (!e.parent) return -1;
    const p = index.get(e.parent.value);
    if (p === undefined) err(e.parent.pos, `parent "${e.parent.value}" is not the id of any entity`);
    return p ?? -1;
  });
  const ancestors = spec.entities.map((e, i) => {
    const chain: number[] = [];
    for (let p = parents[i] as number; p >= 0; p = parents[p] as number) {
      if (p === i || chain.includes(p)) {
        err(e.parent?.pos ?? e.pos, `parent of "${e.id}" leads back to itself`);
        break;
      }
      chain.push(p);
    }
    return chain;
  });

  // Surface forms: one pattern per distinct case-folded form; clashes between entities are errors.
  const patterns: string[] = [];
  const surfaces: SurfaceUse[][] = [];
  const patternOf = new Map<string, number>();
  const firstWriter = new Map<string, { id: string; pos: Pos; exact: string | null }[]>();
  const addSurface = (form: Located, use: SurfaceUse) => {
    if (!MATCHABLE.test(form.value)) {
      err(form.pos, `"${form.value}" has no letter or digit to match`);
      return;
    }
    const key = foldWith(CASE_FOLD, form.value);
    const id = spec.entities[use.entity]?.id ?? '';
    if (!use.block && use.newName === 0) {
      const writers = firstWriter.get(key) ?? [];
      for (const w of writers) {
        if (w.id === id) continue;
        if (w.exact === null || use.exact === null || w.exact === use.exact) {
          err(form.pos, `"${form.value}" is already a name of "${w.id}" (${where(form.pos, w.pos)})`);
          return;
        }
      }
      writers.push({ id, pos: form.pos, exact: use.exact });
      firstWriter.set(key, writers);
    }
    let p = patternOf.get(key);
    if (p === undefined) {
      p = patterns.length;
      patternOf.set(key, p);
      patterns.push(form.value);
      surfaces.push([]);
    }
    (surfaces[p] as SurfaceUse[]).push(use);
  };
  // Every use has all fields: one object shape (`flatUses` turns them into the arrays `findMentions` reads).
  const use = (
    entity: number,
    exact: string | null,
    ambiguous = false,
    block = false,
    newName: 0 | 1 | 2 | 3 | 4 = 0,
  ) => ({ entity, exact, ambiguous, block, newName }) satisfies SurfaceUse;
  spec.entities.forEach((e, entity) => {
    const cased = new Set([...e.exact, ...e.ambiguous].map((l) => l.value));
    if (!cased.has(e.name)) addSurface({ value: e.name, pos: e.pos }, use(entity, null));
    for (const a of e.aliases) addSurface(a, use(entity, null));
    for (const a of e.exact) addSurface(a, use(entity, foldWith(PUNCT_FOLD, a.value)));
    for (const a of e.ambiguous) addSurface(a, use(entity, foldWith(PUNCT_FOLD, a.value), true));
    for (const a of e.not) addSurface(a, use(entity, null, false, true));
  });
  // Phrases around names the rules do not know ("Introducing ...", "... is now available") are found by the
  // same scan as the names.
  for (const a of spec.newNames.openers) addSurface(a, use(-1, null, false, false, 1));
  for (const a of spec.newNames.followers) addSurface(a, use(-1, null, false, false, 2));
  // Head words of organisations' names ("Institute") are found by the same scan too (see `org-names.ts`).
  for (const a of spec.newNames.orgShapeWords) addSurface(a, use(-1, null, false, false, 3));
  // ... and so are nouns that define a name ("the FastRTC library"; see `defined-names.ts`).
  for (const d of spec.newNames.definingNouns) addSurface(d.word, use(-1, null, false, false, 4));
  const words = (list: Located[]) => new Set(list.map((w) => w.value.toLowerCase()));

  // Cue phrases: triggers, plan and negation words, and context words.
  const cuePatterns: string[] = [];
  const cueOf = new Map<string, number>();
  const cues: { rules: number[]; plan: boolean; negation: boolean; confirms: number[] }[] = [];
  const cue = (form: Located) => {
    if (!MATCHABLE.test(form.value)) {
      err(form.pos, `"${form.value}" has no letter or digit to match`);
      return null;
    }
    const key = foldWith(CASE_FOLD, form.value);
    let c = cueOf.get(key);
    if (c === undefined) {
      c = cuePatterns.length;
      cueOf.set(key, c);
      cuePatterns.push(form.value);
      cues.push({ rules: [], plan: false, negation: false, confirms: [] });
    }
    return cues[c] ?? null;
  };
  const contextEntities = spec.entities.map((e, entity) => {
    const ids: number[] = [];
    for (const c of e.context) {
      const target = index.get(c.value);
      if (target !== undefined) ids.push(target);
      else cue(c)?.confirms.push(entity);
    }
    return ids;
  });
  for (const w of spec.planWords) {
    const c = cue(w);
    if (c) c.plan = true;
  }
  for (const w of spec.negationWords) {
    const c = cue(w);
    if (c) c.negation = true;
  }
  const ruleNames = new Map<string, number>();
  const rules: CompiledRule[] = spec.rules.map((r, i) => {
    const seen = ruleNames.get(r.name);
    if (seen !== undefined)
      err(r.pos, `duplicate rule name "${r.name}" (first used on ${where(r.pos, spec.rules[seen]?.pos)})`);
    else ruleNames.set(r.name, i);
    for (const t of r.triggers) {
      const c = cue(t);
      if (c && !c.rules.includes(i)) c.rules.push(i);
    }
    return {
      name: r.name,
      type: r.type,
      subject: new Set(r.subject),
      subjectSide: r.subjectSide,
      objects: new Set(r.objects),
      objectsSide: r.objectsSide,
      needsObjects: r.needsObjects,
      needsVersion: r.needsVersion,
      freshSubject: r.freshSubject,
      overlaps: r.overlaps,
      bare: r.bare,
      whenPlanned: r.whenPlanned,
    };
  });
  if (spec.entities.length === 0) err({ part: 0, line: 1, column: 1 }, 'the rule set has no entities');
  if (errors.length > 0) return { errors, ruleSet: null };

  // Context words ("model", "ai") are frequent; they get their own automaton, run only when needed.
  const mainCues = cues.flatMap((c, i) => (c.rules.length > 0 || c.plan || c.negation ? [i] : []));
  const reading = compileReading(spec.reading);
  // Words that end a maker's product name: headline words, and one-word triggers other than the words that
  // give a name its kind ("Acme Partners" is news, "Acme Summit" an event).
  const kindWords = new Set(
    [
      ...spec.newNames.programWords,
      ...spec.newNames.eventWords,
      ...spec.newNames.vendorWords,
      ...spec.newNames.libraryWords,
    ].map((w) => w.value.toLowerCase()),
  );
  const nameStops = new Set(reading.titleWords);
  // One-word triggers of the partnership rules, which make the names beside them parties (party-names.ts).
  const partyTriggers = new Set(
    spec.rules
      .filter((r) => r.type === 'partnership')
      .flatMap((r) => r.triggers.map((t) => t.value.toLowerCase()))
      .filter((t) => !/\s/u.test(t)),
  );
  for (const i of mainCues) {
    const form = (cuePatterns[i] as string).toLowerCase();
    if ((cues[i]?.rules.length ?? 0) > 0 && !/\s/u.test(form) && !kindWords.has(form)) nameStops.add(form);
  }
  const contextCues = cues.flatMap((c, i) => (c.confirms.length > 0 ? [i] : []));
  const entities: EntityInfo[] = spec.entities.map((e, i) => ({
    id: e.id,
    name: e.name,
    kind: e.kind,
    parent: (parents[i] as number) >= 0 ? (spec.entities[parents[i] as number]?.id ?? null) : null,
  }));
  return {
    errors,
    ruleSet: {
      entities,
      ruleNames: rules.map((r) => r.name),
      tables: {
        entityMatcher: new Automaton(patterns),
        surfaces,
        uses: flatUses(surfaces),
        cueMatcher: new Automaton(mainCues.map((i) => cuePatterns[i] as string)),
        cueIds: Int32Array.from(mainCues),
        contextMatcher: new Automaton(contextCues.map((i) => cuePatterns[i] as string)),
        contextIds: Int32Array.from(contextCues),
        cues: cues satisfies CueInfo[],
        ancestors,
        contextEntities,
        rules,
        bareRules: rules.flatMap((r, i) => (r.bare ? [i] : [])),
        nameStops,
        list: listPatterns(readingAlt(spec.reading.list_joins)),
        party: partyPatterns(
          partyTriggers,
          new Set(spec.reading.party_joins.map((w) => w.value.toLowerCase())),
          readingAlt(spec.reading.party_joins),
          readingAlt(spec.reading.party_words),
        ),
        entityIndex: index,
        squashedIndex: new Map([...index].map(([id, e]) => [squash(id), e] as const)),
        newNames: {
          notNames: words(spec.newNames.notNames),
          featureWords: words(spec.newNames.featureWords),
          programWords: words(spec.newNames.programWords),
          eventWords: words(spec.newNames.eventWords),
          vendorWords: words(spec.newNames.vendorWords),
          libraryWords: words(spec.newNames.libraryWords),
          researchWords: [...words(spec.newNames.researchWords)],
          variantWords: words(spec.newNames.variantWords),
          orgShapeWords: new Set(spec.newNames.orgShapeWords.map((w) => w.value)),
          orgShape: orgShape(new Set(spec.newNames.orgShapeWords.map((w) => w.value))),
          definingNouns: new Map(
            spec.newNames.definingNouns.map((d) => [d.word.value.toLowerCase(), d.kind]),
          ),
        },
        reading,
      },
    },
  };
}

/** The uses of the entity patterns as parallel arrays (see `SurfaceUses`). */
function flatUses(surfaces: readonly (readonly SurfaceUse[])[]): SurfaceUses {
  const all = surfaces.flat();
  const first = new Int32Array(surfaces.length + 1);
  surfaces.forEach((list, p) => {
    first[p + 1] = (first[p] as number) + list.length;
  });
  return {
    first,
    entity: Int32Array.from(all, (u) => u.entity),
    exact: all.map((u) => u.exact),
    ambiguous: Uint8Array.from(all, (u) => (u.ambiguous ? 1 : 0)),
    block: Uint8Array.from(all, (u) => (u.block ? 1 : 0)),
    newName: Uint8Array.from(all, (u) => u.newName),
  };
}

/** Every file of a rule set read and joined; problems carry the index of their file. */
export function readSpec(files: readonly RuleFile[]): {
  spec: RulesSpec;
  errors: RuleError[];
  complete: boolean;
} {
  const reads = files.map((f, part) => readRules(f.text, part));
  return {
    spec: joinSpecs(reads.map((r) => r.spec)),
    errors: reads.flatMap((r) => r.errors),
    complete: reads.every((r) => r.complete),
  };
}

/** Structure errors and cross-reference errors together, so one check reports everything it can. */
export function readAndBuild(files: readonly RuleFile[]): Built & { spec: RulesSpec } {
  const read = readSpec(files);
  if (!read.complete) return { errors: read.errors, ruleSet: null, spec: read.spec };
  const built = build(read.spec, files);
  const errors = [...read.errors, ...built.errors];
  return { errors, ruleSet: errors.length > 0 ? null : built.ruleSet, spec: read.spec };
}

/** One problem of a rule set, with the file it is in. */
export interface RuleProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** Problems in file order, then by position; each names its file. */
export function problemsOf(errors: readonly RuleError[], files: readonly RuleFile[]): RuleProblem[] {
  return [...errors]
    .sort((a, b) => a.part - b.part || a.line - b.line || a.column - b.column)
    .map((e) => ({ file: files[e.part]?.file ?? '', line: e.line, column: e.column, message: e.message }));
}

/** The error a rule set that does not compile throws: every problem as `file:line:column: message`. */
export function invalidRules(source: string, problems: readonly RuleProblem[]): PermanentError {
  const lines = problems.map((e) => `${e.file}:${e.line}:${e.column}: ${e.message}`);
  return new PermanentError('invalid_rules', `invalid rules ${source}:\n  ${lines.join('\n  ')}`);
}

/** Validate a rules file; each error names its file and its 1-based line and column. */
export function checkRules(yamlText: string, fileName: string): { ok: boolean; errors: RuleProblem[] } {
  const files = [{ file: fileName, text: yamlText }];
  const errors = problemsOf(readAndBuild(files).errors, files);
  return { ok: errors.length === 0, errors };
}

let codeVersion: string | undefined;

/** The file a build writes beside the compiled tagger: the code version of the sources it was compiled from. */
export const CODE_VERSION_FILE = 'code-version.txt';

/**
 * The tagger's code version: a hash of its own source files (this folder, tests excepted) and of the HTML
 * renderer it reads pages with (`@frameline/parse`'s html-text), so that any change to how text is matched
 * changes the version of every rule set, with nobody having to remember to bump it. Compiled (`dist/`), the
 * tagger reads the version its build computed from those sources, so both give the same versions.
 */
export function taggerCodeVersion(): string {
  if (codeVersion === undefined) {
    const dir = dirname(fileURLToPath(import.meta.url));
    const built = join(dir, CODE_VERSION_FILE);
    if (existsSync(built)) codeVersion = readFileSync(built, 'utf8').trim();
    else {
      const hash = createHash('sha256');
      const renderer = fileURLToPath(new URL('../../parse/src/html-text.ts', import.meta.url));
      const files = readdirSync(dir)
        .sort()
        .filter((name) => name.endsWith('.ts') && !/\.test\.|\.d\.ts$/.test(name))
        .map((name) => join(dir, name));
      for (const file of [...files, renderer])
        hash.update(basename(file)).update('\u0000').update(readFileSync(file)).update('\u0000');
      codeVersion = hash.digest('hex').slice(0, 12);
    }
  }
  return codeVersion;
}

/**
 * A rule set's version: 12 hex digits of the SHA-256 of the tagger's code version and the YAML text (of each
 * file of the set, in order), so a stored extraction says exactly what produced it (the rules and the code
 * that applied them).
 */
export function ruleSetVersion(rules: string | readonly RuleFile[]): string {
  const hash = createHash('sha256').update(taggerCodeVersion());
  // Each text after its length, so that no two lists of texts hash alike.
  for (const text of typeof rules === 'string' ? [rules] : rules.map((f) => f.text))
    hash.update(`\u0000${Buffer.byteLength(text, 'utf8')}\u0000`).update(text, 'utf8');
  return hash.digest('hex').slice(0, 12);
}

/**
 * Compile a rules file. Throws `PermanentError('invalid_rules')` whose message lists every problem as
 * `file:line:column: message`.
 */
export function compileRules(yamlText: string, fileName: string): RuleSet {
  const files = [{ file: fileName, text: yamlText }];
  const built = readAndBuild(files);
  if (built.ruleSet === null) throw invalidRules(fileName, problemsOf(built.errors, files));
  return { version: ruleSetVersion(yamlText), source: fileName, ...built.ruleSet, files };
}

/** Whether the rule set lists an entity id (else the tagger found it as a new name, see `new-names.ts`). */
export function isListed(ruleSet: RuleSet, id: string): boolean {
  return ruleSet.tables.entityIndex.has(id);
}
