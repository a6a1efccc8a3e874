import type { RawMention } from './entities.js';
import { type FoundNames, NewEntities, titleCaseLine } from './found-names.js';
import { CONTINUES, idOfName, kindOfLast } from './new-names.js';
import type { CompiledTables, EntityList, NewNameWords } from './rule-set.js';

/**
 * Products named after their maker: a known organisation's name followed by capitalised words the rules do
 * not know ("Acme Enterprise Hub", "Acme X200", "Acme Labs") names a thing of that organisation's. The whole is
 * an entity of its own whose parent is the organisation; its kind is the one its last word gives (a programme,
 * an event, an organisation, a library), else product.
 *
 * In running text only (not in a line written in title case): a run that goes on into more capitalised words (a title-case headline, a person's
 * name and title) names nothing here, nor does one starting with a word that is never a name
 * (`not_new_names`: "AI", "CEO", "Team"), one made of words headlines capitalise (`title_words`) or of
 * triggers ("Acme Partners"), a plural acronym ("GPUs"), one going on past a small word ("Acme Extension for
 * Rocket"), or one that runs into a known name ("Acme Rocket" with Rocket listed is Rocket).
 */

// One capitalised word, or a model number ("X200", "EC2", "H100"), hyphenated parts capitalised or numbers
// ("Edge-TPU", "DL-1"; "Hub-based" only qualifies what follows).
const WORD = /\p{Lu}[\p{L}\p{N}+#]*(?:-[\p{Lu}\p{N}][\p{L}\p{N}]*)*/uy;
const PLURAL_ACRONYM = /^\p{Lu}{2,}s$/u;
const MAX_WORDS = 3;
/** The end of the product words written after a maker's name ending at `end`, or -1 when there are none. */
function ownedEnd(
  text: string,
  end: number,
  nextKnown: number,
  words: NewNameWords,
  stops: ReadonlySet<string>,
): number {
  let pos = end;
  let n = 0;
  while (n < MAX_WORDS + 1) {
    const gap = text.charCodeAt(pos);
    if ((gap !== 0x20 && gap !== 0xa0) || pos + 1 === nextKnown) break;
    WORD.lastIndex = pos + 1;
    const m = WORD.exec(text);
    if (m === null) break;
    const word = m[0];
    // ("Acme P": a lone letter is an initial or a cut word.)
    if (word.length < 2) break;
    // ("Hub-based": a hyphenated lowercase word after it qualifies what follows.)
    if (text.charCodeAt(pos + 1 + word.length) === 0x2d) return -1;
    const lower = word.toLowerCase();
    if (stops.has(lower) || PLURAL_ACRONYM.test(word) || (n === 0 && words.notNames.has(lower))) break;
    // A fourth capitalised word: a headline or a longer name this cannot read.
    if (n === MAX_WORDS) return -1;
    pos = pos + 1 + word.length;
    n++;
  }
  if (n === 0) return -1;
  // What follows must not be another capitalised word ("Acme Hub Adds Support": a title-case headline).
  // Nor a name going on past a small word ("Acme Extension for Rocket").
  const after = text.slice(pos, pos + 12);
  if (/^[ \u00a0]+\p{Lu}/u.test(after) || CONTINUES.test(after)) return -1;
  return titleCaseLine(text, end) ? -1 : pos;
}

/**
 * Replace organisation mentions written with a product's name after them by mentions of new entities
 * (numbered after `entities`), each with the organisation as its parent.
 */
export function addOwnedNames(
  text: string,
  mentions: RawMention[],
  entities: EntityList,
  tables: CompiledTables,
): FoundNames {
  const { entityIndex: byId, newNames: words, nameStops: stops } = tables;
  let out: RawMention[] | null = null;
  // (Made at the first owned name: most texts have none.)
  let made: NewEntities | null = null;
  for (let i = 0; i < mentions.length; i++) {
    const m = mentions[i] as RawMention;
    const maker = entities.at(m.entity);
    const next = mentions[i + 1];
    const end =
      maker.kind === 'vendor' && maker.variant !== true
        ? ownedEnd(text, m.end, next?.start ?? -1, words, stops)
        : -1;
    if (end < 0) {
      out?.push(m);
      continue;
    }
    const name = text.slice(m.start, end).replace(/[\s\u00a0]+/gu, ' ');
    const last = name.slice(name.lastIndexOf(' ') + 1).toLowerCase();
    made ??= new NewEntities(entities, byId);
    const entity = made.indexOf(idOfName(name), () => ({
      id: idOfName(name),
      name,
      kind: kindOfLast(last, words),
      parent: maker.id,
      variant: true,
    }));
    out ??= mentions.slice(0, i);
    out.push({ start: m.start, end, entity, ambiguous: m.ambiguous });
  }
  return { mentions: out ?? mentions, added: made?.added ?? [] };
}
