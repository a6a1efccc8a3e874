import type { EntityKind } from '@frameline/core';
import type { RawMention } from './entities.js';
import { idOfName } from './new-names.js';
import type { EntityInfo, EntityList, NewNameWords } from './rule-set.js';
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

/** A name a pass found at [start, end), with the kind it gives (its id is the name's: `idOfName`). */
export interface FoundName {
  start: number;
  end: number;
  kind: EntityKind;
}

/** How far around a name its line is read for title case. */
const LINE_REACH = 160;

/**
 * Whether the line around `at` is written in title case ("Acme Tightens Ties With Rocket"), where a capitalised
 * word says nothing of a name: no word of five letters or more starts in lowercase (title case leaves only
 * short function words lowercase; a sentence has lowercase verbs and nouns).
 */
export function titleCaseLine(text: string, at: number): boolean {
  let start = at;
  while (start > 0 && at - start < LINE_REACH && text.charCodeAt(start - 1) !== 0x0a) start--;
  let end = at;
  while (end < text.length && end - at < LINE_REACH && text.charCodeAt(end) !== 0x0a) end++;
  return !/(?<![\p{L}\p{N}])\p{Ll}\p{L}{4}/u.test(text.slice(start, end));
}

/**
 * Whether the words of a capitalised run may name something nobody listed: the first is no word that is never
 * a name (`not_new_names`: "The", "AI", "Team"), and none is a single letter or a word of `stops` (headline
 * words and one-word triggers).
 */
export function nameWords(written: string, words: NewNameWords, stops: ReadonlySet<string>): boolean {
  const parts = written.split(/[ \u00a0]/u);
  if (words.notNames.has((parts[0] as string).toLowerCase())) return false;
  return parts.every((w) => w.length > 1 && !stops.has(w.toLowerCase()));
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
    const written = text.slice(f.start, f.end);
    const name = written.replace(/[\s\u00a0]+/gu, ' ');
    const id = idOfName(name);
    if (id === '') continue;
    const entity = made.indexOf(id, () => ({ id, name, kind: f.kind, parent: null }));
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
