import { ANNOUNCEMENT_TYPES, type AnnouncementType, ENTITY_KINDS, type EntityKind } from '@frameline/core';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type YAMLMap } from 'yaml';
import { emptyReading, READING_KEYS } from './reading.js';
import {
  type EntitySpec,
  type Located,
  type NewNamesSpec,
  type Pos,
  type RuleError,
  type RuleSpec,
  type RulesSpec,
  SIDES,
  type Side,
} from './spec.js';

const ENTITY_KEYS = ['id', 'name', 'kind', 'aliases', 'exact', 'ambiguous', 'context', 'not', 'parent'];
const RULE_KEYS = [
  'name',
  'type',
  'triggers',
  'subject',
  'subject_side',
  'objects',
  'objects_side',
  'needs_objects',
  'needs_version',
  'fresh_subject',
  'overlaps',
  'bare',
  'when_planned',
];
const NEW_NAME_KEYS = {
  new_name_openers: 'openers',
  new_name_followers: 'followers',
  not_new_names: 'notNames',
  new_name_feature_words: 'featureWords',
  new_name_program_words: 'programWords',
  new_name_event_words: 'eventWords',
  new_name_vendor_words: 'vendorWords',
  new_name_library_words: 'libraryWords',
  not_new_name_parts: 'researchWords',
  variant_words: 'variantWords',
  org_shape_words: 'orgShapeWords',
} as const;
const TOP_KEYS = [
  'entities',
  'announcements',
  'plan_words',
  'negation_words',
  'reading',
  'defining_nouns',
  ...Object.keys(NEW_NAME_KEYS),
];
const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Reads one YAML document into a RulesSpec, collecting every problem with its line and column. */
class Reader {
  readonly errors: RuleError[] = [];

  constructor(
    private readonly lines: LineCounter,
    /** Which file of the rule set this is (see `Pos`). */
    private readonly part: number,
  ) {}

  /** Where the file starts (for problems of the whole file). */
  get top(): Pos {
    return { part: this.part, line: 1, column: 1 };
  }

  pos(node: Node | null | undefined, fallback?: Pos): Pos {
    const offset = node?.range?.[0];
    if (offset === undefined) return fallback ?? this.top;
    const p = this.lines.linePos(offset);
    return { part: this.part, line: p.line, column: p.col };
  }

  error(at: Pos, message: string): void {
    this.errors.push({ part: at.part, line: at.line, column: at.column, message });
  }

  /** A non-empty single-line string scalar, or null (with an error). */
  string(node: unknown, what: string, at: Pos): Located | null {
    if (!isScalar(node) || node.value === null || typeof node.value === 'object') {
      this.error(isScalar(node) ? this.pos(node, at) : at, `${what} must be a text value`);
      return null;
    }
    const value = String(node.value);
    const where = this.pos(node, at);
    if (value.trim() === '') {
      this.error(where, `${what} is empty`);
      return null;
    }
    if (value !== value.trim()) this.error(where, `${what} "${value}" has spaces at its start or end`);
    if (/[\r\n]/.test(value)) this.error(where, `${what} must be on one line`);
    return { value, pos: where };
  }

  list(node: unknown, what: string, at: Pos): Located[] {
    if (node === undefined) return [];
    if (!isSeq(node)) {
      this.error(this.pos(node as Node, at), `${what} must be a list, e.g. [one, two]`);
      return [];
    }
    const out: Located[] = [];
    for (const item of node.items) {
      const s = this.string(item, `an entry of ${what}`, this.pos(node, at));
      if (s) out.push(s);
    }
    return out;
  }

  /**
   * A map of word lists by key (`reading:`, `defining_nouns:`): every allowed key with its list (empty when
   * left out), in `allowed` order. `shape` says what the map must be, for the error when it is not a map.
   */
  listsByKey<K extends string>(
    node: unknown,
    name: string,
    allowed: readonly K[],
    shape: string,
    at: Pos,
  ): [K, Located[]][] {
    if (node === undefined) return [];
    if (!isMap(node)) {
      this.error(this.pos(node as Node, at), `\`${name}:\` must be ${shape}`);
      return [];
    }
    this.keys(node, allowed, `\`${name}:\``);
    return allowed.map((key) => [key, this.list(node.get(key, true), `${name}: ${key}`, this.pos(node, at))]);
  }

  kinds(node: unknown, what: string, at: Pos, required: boolean): EntityKind[] {
    const items = this.list(node, what, at);
    if (required && items.length === 0 && node === undefined) this.error(at, `${what} is missing`);
    const out: EntityKind[] = [];
    for (const item of items) {
      if ((ENTITY_KINDS as readonly string[]).includes(item.value)) out.push(item.value as EntityKind);
      else
        this.error(item.pos, `unknown kind "${item.value}" in ${what} (kinds: ${ENTITY_KINDS.join(', ')})`);
    }
    return out;
  }

  bool(node: unknown, what: string, at: Pos): boolean {
    if (node === undefined) return false;
    if (isScalar(node) && typeof node.value === 'boolean') return node.value;
    this.error(this.pos(node as Node, at), `${what} must be true or false`);
    return false;
  }

  keys(map: YAMLMap, allowed: readonly string[], what: string): void {
    for (const pair of map.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!allowed.includes(key)) {
        this.error(
          this.pos(pair.key as Node),
          `unknown field "${key}" in ${what} (allowed: ${allowed.join(', ')})`,
        );
      }
    }
  }

  entity(node: unknown): EntitySpec | null {
    if (!isMap(node)) {
      this.error(this.pos(node as Node), 'each entity must be a set of fields (id, name, kind, ...)');
      return null;
    }
    const at = this.pos(node);
    this.keys(node, ENTITY_KEYS, 'an entity');
    const id = this.string(node.get('id', true), 'id', at);
    if (!id) this.error(at, 'entity has no id');
    else if (!ID.test(id.value))
      this.error(id.pos, `id "${id.value}" must be lowercase words joined by hyphens`);
    const name = this.string(node.get('name', true), 'name', at);
    const kind = this.string(node.get('kind', true), 'kind', at);
    if (kind && !(ENTITY_KINDS as readonly string[]).includes(kind.value)) {
      this.error(kind.pos, `unknown kind "${kind.value}" (kinds: ${ENTITY_KINDS.join(', ')})`);
    }
    const parentNode = node.get('parent', true);
    const parent = parentNode === undefined ? null : this.string(parentNode, 'parent', at);
    const spec: EntitySpec = {
      id: id?.value ?? '',
      name: name?.value ?? '',
      kind: (kind?.value ?? 'product') as EntityKind,
      aliases: this.list(node.get('aliases', true), 'aliases', at),
      exact: this.list(node.get('exact', true), 'exact', at),
      ambiguous: this.list(node.get('ambiguous', true), 'ambiguous', at),
      context: this.list(node.get('context', true), 'context', at),
      not: this.list(node.get('not', true), 'not', at),
      parent,
      pos: at,
    };
    if (spec.ambiguous.length > 0 && spec.context.length === 0) {
      this.error(at, `entity "${spec.id}" has ambiguous names but no context words to confirm them`);
    }
    if (spec.context.length > 0 && spec.ambiguous.length === 0) {
      this.error(
        spec.context[0]?.pos ?? at,
        `context has no effect without ambiguous names (entity "${spec.id}")`,
      );
    }
    return id && name && kind ? spec : null;
  }

  side(node: unknown, what: string, at: Pos): Side {
    if (node === undefined) return 'any';
    const s = this.string(node, what, at);
    if (s && (SIDES as readonly string[]).includes(s.value)) return s.value as Side;
    if (s) this.error(s.pos, `${what} must be one of ${SIDES.join(', ')}`);
    return 'any';
  }

  type(node: unknown, what: string, at: Pos): AnnouncementType | null {
    const s = this.string(node, what, at);
    if (s && (ANNOUNCEMENT_TYPES as readonly string[]).includes(s.value)) return s.value as AnnouncementType;
    if (s)
      this.error(s.pos, `unknown announcement type "${s.value}" (types: ${ANNOUNCEMENT_TYPES.join(', ')})`);
    return null;
  }

  rule(node: unknown): RuleSpec | null {
    if (!isMap(node)) {
      this.error(this.pos(node as Node), 'each announcement rule must be a set of fields (name, type, ...)');
      return null;
    }
    const at = this.pos(node);
    this.keys(node, RULE_KEYS, 'an announcement rule');
    const name = this.string(node.get('name', true), 'name', at);
    if (!name) this.error(at, 'announcement rule has no name');
    const type = node.get('type', true) === undefined ? null : this.type(node.get('type', true), 'type', at);
    if (node.get('type', true) === undefined) this.error(at, 'announcement rule has no type');
    const triggers = this.list(node.get('triggers', true), 'triggers', at);
    const bare = this.bool(node.get('bare', true), 'bare', at);
    if (triggers.length === 0 && !bare) this.error(at, 'announcement rule has no triggers');
    const planned = node.get('when_planned', true);
    const spec: RuleSpec = {
      name: name?.value ?? '',
      type: type ?? 'release',
      triggers,
      subject: this.kinds(node.get('subject', true), 'subject', at, true),
      subjectSide: this.side(node.get('subject_side', true), 'subject_side', at),
      objects: this.kinds(node.get('objects', true), 'objects', at, false),
      objectsSide: this.side(node.get('objects_side', true), 'objects_side', at),
      needsObjects: this.bool(node.get('needs_objects', true), 'needs_objects', at),
      needsVersion: this.bool(node.get('needs_version', true), 'needs_version', at),
      freshSubject: this.bool(node.get('fresh_subject', true), 'fresh_subject', at),
      overlaps: this.bool(node.get('overlaps', true), 'overlaps', at),
      bare: this.bool(node.get('bare', true), 'bare', at),
      whenPlanned: planned === undefined ? null : this.type(planned, 'when_planned', at),
      pos: at,
    };
    if (spec.needsObjects && spec.objects.length === 0)
      this.error(at, 'needs_objects is set but objects is empty');
    return name && type && (triggers.length > 0 || bare) && spec.subject.length > 0 ? spec : null;
  }
}

/**
 * Parse and validate the structure of one rules file (file `part` of its rule set). Cross-references (parents,
 * context ids, clashing names) are checked on the whole rule set by `compile.ts`.
 */
export function readRules(
  yamlText: string,
  part = 0,
): { spec: RulesSpec; errors: RuleError[]; complete: boolean } {
  const lines = new LineCounter();
  const reader = new Reader(lines, part);
  const spec = emptySpec();
  const doc = parseDocument(yamlText, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  for (const e of [...doc.errors, ...doc.warnings]) {
    const p = e.linePos?.[0] ?? lines.linePos(e.pos[0]);
    reader.error({ part, line: p.line, column: p.col }, e.message.split('\n')[0] ?? e.message);
  }
  if (doc.errors.length > 0) return { spec, errors: reader.errors, complete: false };
  const root = doc.contents;
  if (!isMap(root)) {
    reader.error(
      reader.pos(root as Node | null),
      'a rules file must be a set of fields: `entities:`, `announcements:` and word lists',
    );
    return { spec, errors: reader.errors, complete: false };
  }
  reader.keys(root, TOP_KEYS, 'the file');
  const top = reader.top;
  // Each file of a rule set may leave out any list (a file of word lists has no entities); the whole set
  // must have entities (checked when it is compiled).
  const entities = root.get('entities', true);
  if (entities !== undefined && !isSeq(entities))
    reader.error(reader.pos(entities as Node, top), '`entities:` must be a list');
  if (isSeq(entities)) for (const item of entities.items) spec.entities.push(...nonNull(reader.entity(item)));
  const rules = root.get('announcements', true);
  if (rules !== undefined && !isSeq(rules))
    reader.error(reader.pos(rules as Node, top), '`announcements:` must be a list');
  if (isSeq(rules)) for (const item of rules.items) spec.rules.push(...nonNull(reader.rule(item)));
  spec.planWords = reader.list(root.get('plan_words', true), 'plan_words', top);
  spec.negationWords = reader.list(root.get('negation_words', true), 'negation_words', top);
  for (const [key, field] of Object.entries(NEW_NAME_KEYS)) {
    spec.newNames[field] = reader.list(root.get(key, true), key, top);
  }
  const defining = root.get('defining_nouns', true);
  for (const [kind, words] of reader.listsByKey(
    defining,
    'defining_nouns',
    ENTITY_KINDS,
    'a set of lists by kind',
    top,
  ))
    for (const word of words) spec.newNames.definingNouns.push({ kind, word });
  const reading = root.get('reading', true);
  for (const [key, words] of reader.listsByKey(reading, 'reading', READING_KEYS, 'a set of word lists', top))
    spec.reading[key] = words;
  return { spec, errors: reader.errors, complete: true };
}

/** The rule set made of several files: each list is theirs joined, in file order. */
export function joinSpecs(specs: readonly RulesSpec[]): RulesSpec {
  if (specs.length === 1) return specs[0] as RulesSpec;
  const out = emptySpec();
  for (const s of specs) {
    out.entities.push(...s.entities);
    out.rules.push(...s.rules);
    out.planWords.push(...s.planWords);
    out.negationWords.push(...s.negationWords);
    for (const field of Object.values(NEW_NAME_KEYS)) out.newNames[field].push(...s.newNames[field]);
    out.newNames.definingNouns.push(...s.newNames.definingNouns);
    for (const key of READING_KEYS) out.reading[key].push(...s.reading[key]);
  }
  return out;
}

function emptySpec(): RulesSpec {
  return {
    entities: [],
    rules: [],
    planWords: [],
    negationWords: [],
    newNames: emptyNewNames(),
    reading: emptyReading(),
  };
}

function emptyNewNames(): NewNamesSpec {
  return {
    openers: [],
    followers: [],
    notNames: [],
    featureWords: [],
    programWords: [],
    eventWords: [],
    vendorWords: [],
    libraryWords: [],
    researchWords: [],
    variantWords: [],
    orgShapeWords: [],
    definingNouns: [],
  };
}

function nonNull<T>(x: T | null): T[] {
  return x === null ? [] : [x];
}
