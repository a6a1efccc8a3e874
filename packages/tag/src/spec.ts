import type { AnnouncementType, EntityKind } from '@frameline/core';

/** Where a slot sits relative to the trigger phrase of an announcement rule. */
export const SIDES = ['before', 'after', 'any', 'right-before', 'right-after'] as const;
export type Side = (typeof SIDES)[number];

/** A source position (1-based line and column) in the rules file. */
export interface Pos {
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

/** The whole rules file, validated. */
export interface RulesSpec {
  entities: EntitySpec[];
  rules: RuleSpec[];
  planWords: Located[];
  negationWords: Located[];
}

/** One problem found in a rules file. */
export interface RuleError {
  line: number;
  column: number;
  message: string;
}
