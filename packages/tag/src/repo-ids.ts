import type { RawMention } from './entities.js';
import type { EntityInfo, EntityList } from './rule-set.js';

/**
 * Hugging Face repository ids written out: `google/gemma-3n-E4B-it`, `Qwen/Qwen3-1.7B`,
 * `meta-llama/Llama-3.3-70B-Instruct`. Each is a model entity named by the id as written (id: the id in
 * lowercase words, `google-gemma-3n-e4b-it`), with the model family as parent when the name starts with one.
 *
 * The shape alone is too loose (file paths, GitHub repositories), so an id counts only when its name has a
 * digit (a size, a version) and its owner or the first word of its name is a known entity ("google",
 * "CohereLabs" for cohere-labs, "Llama" for llama); never inside a URL or path (a slash, dot, colon or @
 * right before it, a slash after it).
 */
/** [A-Za-z0-9_.-] by code unit (a regex test per character is slow on texts full of URLs). */
function idChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x5f ||
    c === 0x2e ||
    c === 0x2d
  );
}
const BEFORE_ID = /[\p{L}\p{N}_./:@-]/u;
const AFTER_ID = /[\p{L}\p{N}_/]/u;

/** `owner/name` candidates around each slash of the text (a hand scan: a regex with look-behind is slow). */
function* candidates(text: string): Generator<{ start: number; owner: string; name: string }> {
  for (let slash = text.indexOf('/'); slash >= 0; slash = text.indexOf('/', slash + 1)) {
    // "://" opens a URL: skip to its end in one step.
    if (text.charCodeAt(slash + 1) === 0x2f) {
      const end = text.slice(slash).search(/[\s<>"]/);
      if (end < 0) break;
      slash += end;
      continue;
    }
    let s = slash;
    while (s > 0 && slash - s < 39 && idChar(text.charCodeAt(s - 1))) s--;
    let e = slash + 1;
    while (e < text.length && e - slash <= 96 && idChar(text.charCodeAt(e))) e++;
    if (s === slash || e === slash + 1) continue;
    if (s > 0 && BEFORE_ID.test(text[s - 1] as string)) continue;
    if (e < text.length && AFTER_ID.test(text[e] as string)) continue;
    const owner = text.slice(s, slash);
    const name = text.slice(slash + 1, e);
    if (!/^[A-Za-z0-9]/.test(owner) || !/^[A-Za-z0-9]/.test(name)) continue;
    yield { start: s, owner, name };
  }
}

/** A real text names a few; a hostile one is not scanned past this many. */
const MAX_IDS = 256;

/** An id or name with everything but letters and digits dropped, lowercased ("CohereLabs" → coherelabs). */
export const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Mentions of repository ids (numbered after `entities`), replacing the known names written inside them. */
export function addRepoIds(
  text: string,
  mentions: RawMention[],
  entities: EntityList,
  byId: ReadonlyMap<string, number>,
  squashed: ReadonlyMap<string, number>,
): { mentions: RawMention[]; added: EntityInfo[] } {
  if (!text.includes('/')) return { mentions, added: [] };
  const found: RawMention[] = [];
  const added: EntityInfo[] = [];
  const local = new Map<string, number>();
  for (const m of candidates(text)) {
    if (found.length >= MAX_IDS) break;
    const owner = m.owner;
    let name = m.name;
    // A sentence's full stop is not part of the id.
    while (/[.-]$/.test(name)) name = name.slice(0, -1);
    if (!/\d/.test(name) || !/\p{L}/u.test(name)) continue;
    const family = byId.get(name.split(/[-_.\d]/)[0]?.toLowerCase() ?? '');
    const familyInfo = family === undefined ? undefined : entities.at(family);
    const ownerKnown = squashed.has(squash(owner));
    if (!ownerKnown && familyInfo?.kind !== 'model') continue;
    const written = `${owner}/${name}`;
    const id = written
      .toLowerCase()
      .replace(/[^a-z0-9.]+/g, '-')
      .replace(/\.(?![0-9])|(?<![0-9])\./g, '-');
    let entity = byId.get(id) ?? local.get(id);
    if (entity === undefined) {
      entity = entities.length + added.length;
      local.set(id, entity);
      const parent = familyInfo?.kind === 'model' ? familyInfo.id : null;
      added.push({ id, name: written, kind: 'model', parent, variant: parent !== null });
    }
    const start = m.start;
    found.push({ start, end: start + written.length, entity, ambiguous: false });
  }
  if (found.length === 0) return { mentions, added };
  const out = [...found, ...mentions.filter((k) => !found.some((f) => k.start < f.end && f.start < k.end))];
  out.sort((a, b) => a.start - b.start);
  return { mentions: out, added };
}
