import type { AnnouncementType, EntityKind } from '@frameline/core';
import type { ReadingSpec } from './reading.js';

/** Where a slot sits relative to the trigger phrase of an announcement rule. */
export const SIDES = ['before', 'after', 'any', 'right-before', 'right-after'] as const;
export type Side = (typeof SIDES)[number];

/**
 * A source position in a rule set: the file it is in (an index into the set's files, see `RuleFile`) and its
 * 1-based line and column there.
 */
export interface Pos {
  part: number;
  line: number;
  column: number;
}

/** A string read from the rules file, with where it was written. */
export interface Located {
  value: string;
  pos: Pos;
}

/** One entity as written in the rules file. */
export interface EntitySpec {
  id: string;
  name: string;
  kind: EntityKind;
  aliases: Located[];
  exact: Located[];
  ambiguous: Located[];
  context: Located[];
  not: Located[];
  parent: Located | null;
  pos: Pos;
}

/** One announcement rule as written in the rules file. */
export interface RuleSpec {
  name: string;
  type: AnnouncementType;
  triggers: Located[];
  subject: EntityKind[];
  subjectSide: Side;
  objects: EntityKind[];
  objectsSide: Side;
  needsObjects: boolean;
  needsVersion: boolean;
  freshSubject: boolean;
  overlaps: boolean;
  bare: boolean;
  whenPlanned: AnnouncementType | null;
  pos: Pos;
}

/** A whole rule set (all its files, joined), validated. */
export interface RulesSpec {
  entities: EntitySpec[];
  rules: RuleSpec[];
  planWords: Located[];
  negationWords: Located[];
  newNames: NewNamesSpec;
  /** The words announcement rules read around their triggers (`reading:`; see reading.ts). */
  reading: ReadingSpec;
}

/**
 * How names the rules do not know are found where a release introduces them ("Introducing Muse Spark 1.1"):
 * the `new_name_*` lists of the rules file.
 */
export interface NewNamesSpec {
  /** Phrases right before a new name ("introducing", "say hello to"). */
  openers: Located[];
  /** Phrases right after a new name that opens a line ("is now available", "is here"). */
  followers: Located[];
  /** Capitalised words that are never a new name, nor start one ("New", "Winners"). */
  notNames: Located[];
  /** Last words that make a name a feature of something else, not a product ("Support", "Mode"). */
  featureWords: Located[];
  /** Last words that make a new name a programme ("Program", "Fellowship"). */
  programWords: Located[];
  /** Last words that make a new name an event ("Summit", "Hackathon"). */
  eventWords: Located[];
  /** Last words that make a known name and the words after it a library ("Weaviate C# Client"). */
  libraryWords: Located[];
  /** Last words that make a new name an organisation ("Institute", "Labs"). */
  vendorWords: Located[];
  /** Parts of words that make a name a research output, never a new name ("bench", "dataset"). */
  researchWords: Located[];
  /** Words that name a variant of a model family after its name or version ("mini", "Haiku", "Instruct"). */
  variantWords: Located[];
  /** Last words that make a run of capitalised words an organisation wherever it is written ("Institute"). */
  orgShapeWords: Located[];
  /**
   * Nouns that define the name written with them, by the kind they give it (`defining_nouns`): "the FastRTC
   * library", "Quasar, a deep learning framework".
   */
  definingNouns: { kind: EntityKind; word: Located }[];
}

/** One problem found in a rule set, where it is (`part` as in `Pos`). */
export interface RuleError extends Pos {
  message: string;
}

/** One file of a rule set as read: its path (as given, for messages) and its text. */
export interface RuleFile {
  readonly file: string;
  readonly text: string;
}
