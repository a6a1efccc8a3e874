import type { RawMention } from './entities.js';
import type { EntityInfo } from './rule-set.js';

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
const REPO_ID =
  /(?<![\p{L}\p{N}_./:@-])([A-Za-z0-9][\w.-]{0,38})\/([A-Za-z0-9][\w.-]{0,95})(?![\p{L}\p{N}_/])/gu;

/** A real text names a few; a hostile one is not scanned past this many. */
const MAX_IDS = 256;

const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Mentions of repository ids (numbered after `entities`), replacing the known names written inside them. */
export function addRepoIds(
  text: string,
  mentions: RawMention[],
  entities: readonly EntityInfo[],
  byId: ReadonlyMap<string, number>,
): { mentions: RawMention[]; added: EntityInfo[] } {
  if (!text.includes('/')) return { mentions, added: [] };
  const found: RawMention[] = [];
  const added: EntityInfo[] = [];
  const local = new Map<string, number>();
  let squashed: Map<string, number> | null = null;
  for (const m of text.matchAll(REPO_ID)) {
    if (found.length >= MAX_IDS) break;
    const owner = m[1] as string;
    let name = m[2] as string;
    // A sentence's full stop is not part of the id.
    while (/[.-]$/.test(name)) name = name.slice(0, -1);
    if (!/\d/.test(name) || !/\p{L}/u.test(name)) continue;
    squashed ??= new Map([...byId].map(([id, e]) => [squash(id), e] as const));
    const family = byId.get(name.split(/[-_.\d]/)[0]?.toLowerCase() ?? '');
    const familyInfo = family === undefined ? undefined : (entities[family] as EntityInfo);
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
    const start = m.index as number;
    found.push({ start, end: start + written.length, entity, ambiguous: false });
  }
  if (found.length === 0) return { mentions, added };
  const out = [...found, ...mentions.filter((k) => !found.some((f) => k.start < f.end && f.start < k.end))];
  out.sort((a, b) => a.start - b.start);
  return { mentions: out, added };
}
