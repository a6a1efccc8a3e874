import type { RawMention } from './entities.js';
import type { EntityList } from './rule-set.js';

// A capitalised head noun right after a name makes a longer name of an event or programme that the rules do
// not know ("AdWords API Workshops", "Acme Scholarship"): the shorter name nested in it is not a mention.
const EVENT_HEAD =
  /^[ \u00a0](?:Workshops?|Hackathons?|Summit|Conference|Scholarships?|Fellowships?|Bootcamps?|Meetups?|Awards|Challenge|Accelerator)(?![\p{L}\p{N}])/u;
// What joins a model's version to a word of the same hyphenated name: "GPT-5" + ".3-" + "Codex".
const VERSION_JOIN = /^(?:\.\d+)*[a-z]?-$/;

/**
 * Drop mentions that are only part of a longer name the rules do not know: a name followed by an event or
 * programme head noun ("AdWords API Workshops"), and a word hyphenated onto a model's version
 * ("GPT-5.3-Codex" is the GPT model, not the Codex product).
 */
export function dropNested(text: string, mentions: RawMention[], entities: EntityList): RawMention[] {
  let out: RawMention[] | null = null;
  for (let i = 0; i < mentions.length; i++) {
    const m = mentions[i] as RawMention;
    const kind = entities.at(m.entity).kind;
    let drop = false;
    const next = text.charCodeAt(m.end);
    if ((next === 0x20 || next === 0xa0) && kind !== 'event' && kind !== 'program') {
      drop = EVENT_HEAD.test(text.slice(m.end, m.end + 16));
    }
    const prev = i > 0 ? (mentions[i - 1] as RawMention) : null;
    if (!drop && prev !== null && text.charCodeAt(m.start - 1) === 0x2d && m.start - prev.end <= 8) {
      const gap = text.slice(prev.end, m.start);
      drop =
        entities.at(prev.entity).kind === 'model' &&
        VERSION_JOIN.test(gap) &&
        (gap.length > 1 || /\d$/.test(text.slice(prev.start, prev.end)));
    }
    if (drop) out ??= mentions.slice(0, i);
    else out?.push(m);
  }
  return out ?? mentions;
}
