import type { EntityKind } from '@frameline/core';
import type { RawMention } from './entities.js';
import type { EntityInfo, EntityList, NewNameWords } from './rule-set.js';

/**
 * Versions and variants of a known family: "Llama 3.3 70B", "GPT-4.1 mini", "Claude Haiku 3.5",
 * "DeepSeek-V3.1", "Mixtral 8x22B", "PyTorch 2.0", "CUDA 12.4", "NeurIPS 2024". The family's mention is
 * extended over the tokens written right after it, and the whole is an entity of its own (a variant) whose
 * parent is the family: id = the family's id and the tokens (`llama-3.3-70b`), name as written.
 *
 * Tokens, each after a space or hyphen: a version (`3`, `3.5`, `4o`, `3n`, `V3.1`, `v5e`); for models also a
 * size (`70B`, `8x22B`, `E4B`, `A3B`) and a variant word of the rules' `variant_words` ("mini", "Haiku",
 * "Instruct"; a lowercase one only after a version or size, so "Llama models" stays the family); for events a
 * year. Software and products take one version; a family name written with a version in one alias ("GPT-4")
 * is a variant too.
 */

const VERSION = /[vV]?\d{1,4}(?:\.\d{1,4}){0,3}[a-z]{0,2}(?![\p{L}\p{N}_]|[.,]\d)/uy;
const SIZE = /(?:(?:\d{1,3}x)?\d{1,4}(?:\.\d{1,2})?[BMKT]|[EA]\d{1,3}(?:\.\d)?B)(?![\p{L}\p{N}_])/uy;
// A model generation written as a capital and a number: "Kimi K2-0905", "DeepSeek R1", "Gemini M2".
const GENERATION = /\p{Lu}\d{1,3}(?:[.\u2010\u2011-]\d{1,4}){0,2}(?![\p{L}\p{N}_])/uy;
const WORD = /\p{L}[\p{L}\p{N}]*(?![\p{L}\p{N}_])/uy;
const YEAR = /(?:19|20)\d\d(?![\p{L}\p{N}_])/uy;
// The rest of a version whose start is in the family's matched name: "GPT-4" + ".1", "DeepSeek-V3" + ".1".
const MORE_VERSION = /(?:\.\d{1,4}){1,3}[a-z]{0,2}(?![\p{L}\p{N}_]|[.,]\d)/uy;
// A number followed by one of these is a quantity, not a version: "PyTorch 2 years ago", "Gemma 3 times".
const UNIT_AFTER =
  /^[ \u00a0]?(?:%|x\b|×|times\b|years?\b|months?\b|weeks?\b|days?\b|hours?\b|minutes?\b|seconds?\b|ms\b|[GMT]i?B\b|GPUs?\b|percent\b|billion\b|million\b|thousand\b|points?\b|tokens?\b|people\b|users\b|of\b)/iu;
const versioned = (kind: EntityKind): boolean =>
  kind === 'model' || kind === 'framework' || kind === 'library' || kind === 'product';

type Token = 'version' | 'size' | 'word' | 'year';
const NO_TOKEN: [null, number] = [null, -1];

function tokenAt(re: RegExp, text: string, at: number, limit: number): number {
  re.lastIndex = at;
  const m = re.exec(text);
  return m !== null && m.index === at && at + m[0].length <= limit ? at + m[0].length : -1;
}

/** The token starting at `at` that may extend a family of `kind` after the tokens `seen`, and its end. */
function tokenAfter(
  text: string,
  at: number,
  limit: number,
  kind: EntityKind,
  seen: readonly Token[],
  { hyphen, words }: { hyphen: boolean; words: NewNameWords },
): [Token | null, number] {
  if (kind === 'event') {
    const next = seen.length === 0 && !hyphen ? tokenAt(YEAR, text, at, limit) : -1;
    return next > 0 ? ['year', next] : [null, -1];
  }
  // Every token starts with a letter or a digit; a lowercase word is a variant word only after a number
  // (and no size, version or generation starts lowercase but a "v").
  const c = text.charCodeAt(at);
  const digit = c >= 0x30 && c <= 0x39;
  const lower = c >= 0x61 && c <= 0x7a;
  if (!digit && !lower && !(c >= 0x41 && c <= 0x5a) && c < 0xc0) return NO_TOKEN;
  if (kind !== 'model') {
    if (!digit && c !== 0x76 && c !== 0x56) return NO_TOKEN;
    const next = seen.length === 0 ? tokenAt(VERSION, text, at, limit) : -1;
    return next > 0 ? ['version', next] : [null, -1];
  }
  const afterNumber = seen.includes('version') || seen.includes('size') || hyphen;
  if (lower && c !== 0x76 && !afterNumber) return NO_TOKEN;
  const size = tokenAt(SIZE, text, at, limit);
  if (size > 0) return ['size', size];
  const version = tokenAt(VERSION, text, at, limit);
  if (version > 0) return ['version', version];
  const generation = tokenAt(GENERATION, text, at, limit);
  if (generation > 0) return ['version', generation];
  const next = tokenAt(WORD, text, at, limit);
  if (next < 0) return [null, -1];
  const word = text.slice(at, next);
  const capital = word[0] !== (word[0] as string).toLowerCase();
  return words.variantWords.has(word.toLowerCase()) && (capital || afterNumber) ? ['word', next] : [null, -1];
}

const CAPITALISED = /\p{Lu}\p{Ll}+(?![\p{L}\p{N}_])/uy;

/** The end of "Word 4" written from `at` (a capitalised word, a space, a version that is no quantity), or -1. */
function namedVersion(text: string, at: number, limit: number): number {
  const word = tokenAt(CAPITALISED, text, at, limit);
  if (word < 0 || text.charCodeAt(word) !== 0x20) return -1;
  const version = tokenAt(VERSION, text, word + 1, limit);
  if (version < 0) return -1;
  const number = text.slice(word + 1, version);
  if (/^(?:19|20)\d\d$/.test(number) || UNIT_AFTER.test(text.slice(version, version + 12))) return -1;
  return version;
}

/** The end of the variant tokens written after a family name ending at `end`, or `end` when there are none. */
function extend(text: string, end: number, kind: EntityKind, words: NewNameWords): number {
  const limit = Math.min(text.length, end + 48);
  let pos = end;
  const seen: Token[] = [];
  const last = text.charCodeAt(end - 1);
  if (kind !== 'event' && last >= 0x30 && last <= 0x39) {
    seen.push('version');
    const more = tokenAt(MORE_VERSION, text, end, limit);
    if (more > 0) pos = more;
  }
  while (seen.length < 4 && pos < limit) {
    const sep = text.charCodeAt(pos);
    if (sep !== 0x20 && sep !== 0xa0 && sep !== 0x2d && sep !== 0x2010 && sep !== 0x2011) break;
    const at = pos + 1;
    const [token, next] = tokenAfter(text, at, limit, kind, seen, {
      hyphen: sep !== 0x20 && sep !== 0xa0,
      words,
    });
    if (token === null) {
      // A capitalised word nobody listed names a variant when a version follows it ("Llama Guard 4",
      // "Claude Fable 5"), not otherwise ("Llama Team", "Claude Code").
      const named = seen.length === 0 ? namedVersion(text, at, limit) : -1;
      if (named > 0) pos = named;
      break;
    }
    if (token === 'version') {
      const number = text.slice(at, next).replace(/^[vV]/, '');
      const prefixed = number.length !== next - at;
      // A bare year or a quantity is not a version ("TensorFlow 2019", "PyTorch 2 years ago").
      if (!prefixed && (/^(?:19|20)\d\d$/.test(number) || UNIT_AFTER.test(text.slice(next, next + 12))))
        break;
    }
    seen.push(token);
    pos = next;
  }
  return pos;
}

// Slugs by the name written (a text repeats its names, a feed its families): a bounded cache of a pure function.
const slugs = new Map<string, string>();

function slug(s: string): string {
  let out = slugs.get(s);
  if (out === undefined) {
    if (slugs.size >= 4096) slugs.clear();
    out = slugOf(s);
    slugs.set(s, out);
  }
  return out;
}

const slugOf = (s: string): string =>
  s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/\.(?![0-9])|(?<![0-9])\./g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '');

/**
 * Replace family mentions written with a version or variant by mentions of variant entities (numbered after
 * `entities`), dropping any mention the longer span now covers.
 */
export function addVariants(
  text: string,
  mentions: RawMention[],
  entities: EntityList,
  byId: ReadonlyMap<string, number>,
  words: NewNameWords,
): { mentions: RawMention[]; added: EntityInfo[] } {
  let out: RawMention[] | null = null;
  const added: EntityInfo[] = [];
  let local: Map<string, number> | null = null;
  let coveredTo = -1;
  for (let i = 0; i < mentions.length; i++) {
    const m = mentions[i] as RawMention;
    if (m.start < coveredTo) {
      out ??= mentions.slice(0, i);
      continue;
    }
    const family = entities.at(m.entity);
    if (!versioned(family.kind) && family.kind !== 'event') {
      out?.push(m);
      continue;
    }
    // A trademark sign may stand between the name and its version ("PyTorch® 2.0").
    const mark = text.charCodeAt(m.end);
    const from = mark === 0xae || mark === 0x2122 ? m.end + 1 : m.end;
    let end = extend(text, from, family.kind, words);
    if (end === from) end = m.end;
    const surface = text.slice(m.start, m.end);
    // "GPT-4" written as one of the family's names: a variant already, unless the family's own name has
    // digits ("Caffe2", "NVIDIA V100" written "Tesla V100").
    const versionedName =
      end === m.end && versioned(family.kind) && /\d/.test(surface) && !/\d/.test(family.name);
    if (end === m.end && !versionedName) {
      out?.push(m);
      continue;
    }
    // "Meta Llama 3" and "Llama 3" are one variant: a surface that is the family's name (with its owner's
    // before it) gives way to the family's id.
    const familySlug = slug(surface);
    const core = familySlug === family.id || familySlug.endsWith(`-${family.id}`) ? family.id : surface;
    // A "v" before a version of software is no part of it ("JAX v0.9.0" is jax-0.9.0); a model's may be its
    // name ("DeepSeek-V3").
    const written = slug(core + text.slice(m.end, end));
    const id = family.kind === 'model' ? written : written.replace(/-v(?=\d)/g, '-');
    local ??= new Map<string, number>();
    let entity = byId.get(id) ?? local.get(id);
    if (entity === undefined) {
      entity = entities.length + added.length;
      local.set(id, entity);
      const name = text.slice(m.start, end).replace(/[\s\u00a0]+/gu, ' ');
      added.push({ id, name, kind: family.kind, parent: family.id, variant: true });
    }
    out ??= mentions.slice(0, i);
    out.push({ start: m.start, end, entity, ambiguous: m.ambiguous });
    coveredTo = end;
  }
  return { mentions: out ?? mentions, added };
}
