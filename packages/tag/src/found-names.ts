import type { EntityKind } from '@frameline/core';
import type { RawMention } from './entities.js';
import type { EntityInfo, EntityList } from './rule-set.js';
import { isWordAt, isWordBefore } from './unicode.js';

/**
 * The entities one pass over a text finds that the rule set does not list, numbered after the text's entities
 * so far: an id found again is the same entity, and an id the rule set lists is that entity.
 */
export class NewEntities {
  readonly added: EntityInfo[] = [];
  private readonly local = new Map<string, number>();

  constructor(
    private readonly entities: EntityList,
    private readonly byId: ReadonlyMap<string, number>,
  ) {}

  /** The index of the entity with this id, made by `make` when there is none yet. */
  indexOf(id: string, make: () => EntityInfo): number {
    let entity = this.byId.get(id) ?? this.local.get(id);
    if (entity === undefined) {
      entity = this.entities.length + this.added.length;
      this.local.set(id, entity);
      this.added.push(make());
    }
    return entity;
  }
}

/** What a pass over a text's names gives: the mentions with its own among them, and its new entities. */
export interface FoundNames {
  mentions: RawMention[];
  added: EntityInfo[];
}

/** A name a pass found at [start, end), with the id and kind it gives. */
export interface FoundName {
  start: number;
  end: number;
  id: string;
  kind: EntityKind;
}

/**
 * The names found, as entities, with every place the text writes each of them as a mention (whole words, the
 * first `maxScanned` written forms only: a hostile text may write thousands). Known names keep their places: a
 * found name is a mention only where it overlaps none.
 */
export function addFoundNames(
  text: string,
  found: readonly FoundName[],
  mentions: RawMention[],
  entities: EntityList,
  byId: ReadonlyMap<string, number>,
  maxScanned: number,
): FoundNames {
  if (found.length === 0) return { mentions, added: [] };
  const made = new NewEntities(entities, byId);
  const extra: RawMention[] = [];
  const scanned = new Set<string>();
  for (const f of found) {
    if (f.id === '') continue;
    const written = text.slice(f.start, f.end);
    const name = written.replace(/[\s\u00a0]+/gu, ' ');
    const entity = made.indexOf(f.id, () => ({ id: f.id, name, kind: f.kind, parent: null }));
    if (scanned.has(written) || scanned.size >= maxScanned) continue;
    scanned.add(written);
    for (let at = text.indexOf(written); at >= 0; at = text.indexOf(written, at + written.length)) {
      if (isWordBefore(text, at) || isWordAt(text, at + written.length)) continue;
      extra.push({ start: at, end: at + written.length, entity, ambiguous: false });
    }
  }
  const kept = extra.filter((x) => !mentions.some((k) => k.start < x.end && x.start < k.end));
  if (kept.length === 0) return { mentions, added: made.added };
  return { mentions: [...mentions, ...kept].sort((a, b) => a.start - b.start), added: made.added };
}
