import type { AnnouncementType, EntityKind } from '@frameline/core';
import type { Automaton } from './automaton.js';
import type { ListWords } from './list-names.js';
import type { PartyWords } from './party-names.js';
import type { Reading } from './reading.js';
import type { RuleFile, Side } from './spec.js';

/** One entity of a compiled rule set. */
export interface EntityInfo {
  readonly id: string;
  readonly name: string;
  readonly kind: EntityKind;
  /** The id of the entity it belongs to (`parent:` in the rules file), or null. */
  readonly parent: string | null;
  /** A version or variant of its parent found in the text ("Llama 3.3 70B"; see `variants.ts`). */
  readonly variant?: boolean;
  /**
   * For an entity a text adds (a variant, a repository id, a new name; indices past the rule set's): the
   * indices of its ancestors, nearest first (listed entities' are in `CompiledTables.ancestors`).
   */
  readonly ancestors?: readonly number[];
}

/** Entities by index, as the passes of `tag()` read them. */
export interface EntityList {
  readonly length: number;
  at(index: number): EntityInfo;
}

/**
 * The entities one text may mention: the rule set's, then those found in this text only (variants,
 * repository ids, new names), numbered after them. (Not a copy of the rule set's thousands per text.)
 */
export class TextEntities implements EntityList {
  private readonly found: EntityInfo[] = [];

  /** `listed` and `index`: the rule set's entities and its index of them by id. */
  constructor(
    private readonly listed: readonly EntityInfo[],
    private readonly index: ReadonlyMap<string, number>,
  ) {}

  get length(): number {
    return this.listed.length + this.found.length;
  }

  at(index: number): EntityInfo {
    return (
      index < this.listed.length ? this.listed[index] : this.found[index - this.listed.length]
    ) as EntityInfo;
  }

  /** Append entities found in the text; each takes the next index. */
  add(added: readonly EntityInfo[]): void {
    for (const e of added) this.found.push(e);
  }

  /** Replace an entity found in the text (to give it its ancestors). */
  set(index: number, info: EntityInfo): void {
    this.found[index - this.listed.length] = info;
  }

  /** Index of the entity with this id, or -1. */
  indexOf(id: string): number {
    const i = this.index.get(id);
    if (i !== undefined) return i;
    const k = this.found.findIndex((e) => e.id === id);
    return k < 0 ? -1 : this.listed.length + k;
  }
}

/** How one surface form (after case folding) is used by an entity. */
export interface SurfaceUse {
  /** Index into `entities`. */
  readonly entity: number;
  /** For case-sensitive forms: the form as written (punctuation-folded); null matches any case. */
  readonly exact: string | null;
  /** Counts only with confirming context. */
  readonly ambiguous: boolean;
  /** A `not:` phrase: the entity's own names inside it are not mentions. */
  readonly block: boolean;
  /**
   * 1: a phrase before a new name ("introducing"), 2: one after it ("is now available"), 3: the head word of
   * an organisation's name ("Institute"); `entity` is -1.
   */
  readonly newName: 0 | 1 | 2 | 3 | 4;
}

/**
 * `CompiledTables.surfaces` as parallel arrays, for the entity pass: the uses of pattern p are the indices
 * `first[p]` to `first[p + 1]`, in the same order. (A hit reads a few typed-array entries instead of an array
 * and an object per use scattered over the heap.)
 */
export interface SurfaceUses {
  readonly first: Int32Array;
  readonly entity: Int32Array;
  readonly exact: readonly (string | null)[];
  /** 1 when ambiguous. */
  readonly ambiguous: Uint8Array;
  /** 1 for a `not:` phrase. */
  readonly block: Uint8Array;
  readonly newName: Uint8Array;
}

/** Word lists for names the rules do not know (see `new-names.ts`), lowercased. */
export interface NewNameWords {
  readonly notNames: ReadonlySet<string>;
  readonly featureWords: ReadonlySet<string>;
  readonly programWords: ReadonlySet<string>;
  readonly eventWords: ReadonlySet<string>;
  readonly vendorWords: ReadonlySet<string>;
  readonly libraryWords: ReadonlySet<string>;
  /** Parts of words that make a name a research output ("bench"): never a new name. */
  readonly researchWords: readonly string[];
  /** Variant words of model families, lowercased (see `variants.ts`). */
  readonly variantWords: ReadonlySet<string>;
  /** Head words of organisation names, as written (see `org-names.ts`). */
  readonly orgShapeWords: ReadonlySet<string>;
  /** Those head words compiled into the shape of an organisation's name (see `org-names.ts`). */
  readonly orgShape: RegExp | null;
  /** Defining nouns (lowercase) and the kind each gives the name written with it ("library" → library). */
  readonly definingNouns: ReadonlyMap<string, EntityKind>;
}

/** What a cue phrase (trigger, plan word, negation, context word) is used for. */
export interface CueInfo {
  /** Indices of the announcement rules it triggers. */
  readonly rules: number[];
  readonly plan: boolean;
  readonly negation: boolean;
  /** Indices of entities whose ambiguous names it confirms. */
  readonly confirms: number[];
}

/** A compiled announcement rule. */
export interface CompiledRule {
  readonly name: string;
  readonly type: AnnouncementType;
  readonly subject: ReadonlySet<EntityKind>;
  readonly subjectSide: Side;
  readonly objects: ReadonlySet<EntityKind>;
  readonly objectsSide: Side;
  readonly needsObjects: boolean;
  readonly needsVersion: boolean;
  /** The subject must not be part of an announcement found earlier in the same sentence. */
  readonly freshSubject: boolean;
  /**
   * Its triggers may overlap one that already made an announcement: a stage change or a feature release is
   * news about the thing itself even when the same words made a platform's support ("... generally available
   * on AWS", "Le Chat now integrates with ...").
   */
  readonly overlaps: boolean;
  /** Fires, without a trigger, on a sentence that is only a name and its version ("GPT-4", "Weaviate 1.38"). */
  readonly bare: boolean;
  readonly whenPlanned: AnnouncementType | null;
}

/** The matchers and tables built once per rule set. */
export interface CompiledTables {
  readonly entityMatcher: Automaton;
  /** Uses of each entity surface pattern (indexed like the entity matcher's patterns). */
  readonly surfaces: readonly (readonly SurfaceUse[])[];
  /** The same uses as flat arrays (what `findMentions` reads). */
  readonly uses: SurfaceUses;
  /** Trigger, plan and negation phrases; run on every sentence that names an entity. */
  readonly cueMatcher: Automaton;
  /** Global cue index of each `cueMatcher` pattern. */
  readonly cueIds: Int32Array;
  /** Context phrases; run only around ambiguous names. */
  readonly contextMatcher: Automaton;
  /** Global cue index of each `contextMatcher` pattern. */
  readonly contextIds: Int32Array;
  readonly cues: readonly CueInfo[];
  /** For each entity: indices of its ancestors via `parent`, nearest first. */
  readonly ancestors: readonly (readonly number[])[];
  /** For each entity: indices of entities whose mention confirms its ambiguous names. */
  readonly contextEntities: readonly (readonly number[])[];
  readonly rules: readonly CompiledRule[];
  /** Indices of the rules without cue phrases (`bare`: a name and its version standing alone). */
  readonly bareRules: readonly number[];
  readonly newNames: NewNameWords;
  /**
   * Words that end a maker's product name (lowercase): the headline words of `title_words` and the
   * announcement rules' one-word triggers ("Acme Partners", "Acme Launches").
   */
  readonly nameStops: ReadonlySet<string>;
  /** Between the members of a list of names (list-names.ts). */
  readonly list: ListWords;
  /** What makes a capitalised name beside a known one a partnership's party (party-names.ts). */
  readonly party: PartyWords;
  /** The signs announcement rules read around their triggers (the rule set's `reading:` lists). */
  readonly reading: Reading;
  /** Index of each entity id. */
  readonly entityIndex: ReadonlyMap<string, number>;
  /** Entity index by id with everything but letters and digits dropped ("coherelabs" for cohere-labs). */
  readonly squashedIndex: ReadonlyMap<string, number>;
}

/** A compiled, versioned rule set: build once with `loadRuleSet` or `compileRules`, then `tag` many texts. */
export interface RuleSet {
  /** 12 hex digits of the SHA-256 of the tagger's code and the rules' YAML texts (see `ruleSetVersion`). */
  readonly version: string;
  /** The file or folder it was read from (as given). */
  readonly source: string;
  /** The rules' texts it was built from, in order (stored with the rule set, so any worker can rebuild it). */
  readonly files: readonly RuleFile[];
  readonly entities: readonly EntityInfo[];
  /** Names of the announcement rules, in the order they are tried. */
  readonly ruleNames: readonly string[];
  /** Internal matchers; not part of the stable API. */
  readonly tables: CompiledTables;
}
