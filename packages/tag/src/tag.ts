import type { ExtractedAnnouncement, ExtractedEntity, ExtractResult, Span } from '@frameline/core';
// (The HTML renderer alone: the parse package's entry loads its feed parsers too.)
import { htmlToMappedText } from '@frameline/parse/html-text';
import { announceSentence } from './announce.js';
import { confirm, sentenceAt, sentencesWithMentions } from './confirm.js';
import { addDefinedNames } from './defined-names.js';
import { type CueHit, findCues, findMentions, type RawMention } from './entities.js';
import type { FoundNames } from './found-names.js';
import { addListNames } from './list-names.js';
import { mergeRepeats } from './merge.js';
import { dropNested } from './names.js';
import { addNewNames } from './new-names.js';
import { addOrgNames } from './org-names.js';
import { addOwnedNames } from './owned-names.js';
import { addPartyNames } from './party-names.js';
import { addRepoIds } from './repo-ids.js';
import {
  type CompiledTables,
  type EntityInfo,
  type EntityList,
  type RuleSet,
  TextEntities,
} from './rule-set.js';
import { splitSentences } from './sentences.js';
import type { SentenceMention } from './trigger-checks.js';
import { addVariants } from './variants.js';

const NONE: readonly number[] = [];

/**
 * Give the entities a text added from index `from` on (variants, repository ids, the document's subject)
 * their ancestors (a variant's family and the family's own) for the announcement rules.
 */
function giveAncestors(entities: TextEntities, tables: CompiledTables, from: number): void {
  for (let k = from; k < entities.length; k++) {
    const a = entities.at(k);
    if (a.parent === null) continue;
    const family = entities.indexOf(a.parent);
    if (family < 0) continue;
    const up = tables.ancestors[family] ?? entities.at(family).ancestors ?? NONE;
    // (An object literal: a spread per added entity costs more than the rest of this pass.)
    const ancestors = [family, ...up];
    entities.set(
      k,
      a.variant === true
        ? { id: a.id, name: a.name, kind: a.kind, parent: a.parent, variant: true, ancestors }
        : { id: a.id, name: a.name, kind: a.kind, parent: a.parent, ancestors },
    );
  }
}

/** Whether the whitespace-delimited token holding `at` is a URL ("https://...", "www...."). */
function inUrl(text: string, at: number): boolean {
  let s = at;
  while (s > 0 && at - s < 300) {
    const c = text.charCodeAt(s - 1);
    if (c === 0x20 || c === 0x0a || c === 0x09 || c === 0xa0 || c === 0x3c || c === 0x22 || c === 0x28) break;
    s--;
  }
  const token = text.slice(s, at);
  return token.includes('://') || token.startsWith('www.');
}

/**
 * Whether a mention is part of a dotted code identifier ("jax.numpy.unstack", "torch.cuda"): written in
 * lowercase, with a word and a dot before it or a dot and a lowercase word after it.
 */
function inIdentifier(text: string, m: RawMention): boolean {
  const before =
    m.start >= 2 && text.charCodeAt(m.start - 1) === 0x2e && /[a-z0-9_]/.test(text.charAt(m.start - 2));
  const after = text.charCodeAt(m.end) === 0x2e && /[a-z_]/.test(text.charAt(m.end + 1));
  if (!before && !after) return false;
  for (let i = m.start; i < m.end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) return false;
  }
  return true;
}

/**
 * Names inside a URL written in the text ("https://huggingface.co/meta-llama/...") or inside a dotted code
 * identifier ("jax.numpy.unstack") are not mentions.
 */
function outsideUrls(text: string, raw: RawMention[]): RawMention[] {
  // (Each mention looks back over its own token only: a text's few mentions cost less than a search of it.)
  let some = false;
  for (const m of raw) if (inUrl(text, m.start) || inIdentifier(text, m)) some = true;
  return some ? raw.filter((m) => !inUrl(text, m.start) && !inIdentifier(text, m)) : raw;
}

/** The mentions a pass over names gives, its new entities added to the text's. */
function taken(entities: TextEntities, found: FoundNames): RawMention[] {
  entities.add(found.added);
  return found.mentions;
}

/** What a caller knows about the text beyond its words. */
export interface TagContext {
  /**
   * The document's own subject, or null for none: the release its title announces ("JAX 0.4.30"), so that a
   * line naming no subject ("Added support for CUDA 12.4") is about it. Left out, a text whose first line is
   * a release heading takes that release's subject.
   */
  subject?: EntityInfo | null;
}

/** The sentences holding mentions (found from the mentions' lines), each read for announcements. */
function announceAround(
  text: string,
  sentences: number[],
  mentions: RawMention[],
  tables: CompiledTables,
  entities: EntityList,
): ExtractedAnnouncement[] {
  const announcements: ExtractedAnnouncement[] = [];
  let k = 0;
  while (k < mentions.length) {
    const s = sentenceAt(sentences, (mentions[k] as RawMention).start);
    const inSentence: SentenceMention[] = [];
    const end = s >= 0 ? (sentences[2 * s + 1] as number) : (mentions[k] as RawMention).end;
    while (k < mentions.length && (mentions[k] as RawMention).start < end) {
      const m = mentions[k] as RawMention;
      inSentence.push({ start: m.start, end: m.end, entity: m.entity });
      k++;
    }
    if (s < 0) continue;
    announcements.push(
      ...readSentence(text, sentences[2 * s] as number, end, inSentence, tables, entities, -1),
    );
  }
  return announcements;
}

/** With a document subject, every sentence is read: a line naming no entity may still announce about it. */
function announceAll(
  text: string,
  mentions: RawMention[],
  tables: CompiledTables,
  entities: EntityList,
  implicit: number,
): ExtractedAnnouncement[] {
  const announcements: ExtractedAnnouncement[] = [];
  const sentences = splitSentences(text, 0, text.length);
  let k = 0;
  for (let s = 0; s < sentences.length; s += 2) {
    const start = sentences[s] as number;
    const end = sentences[s + 1] as number;
    while (k < mentions.length && (mentions[k] as RawMention).start < start) k++;
    const inSentence: SentenceMention[] = [];
    while (k < mentions.length && (mentions[k] as RawMention).start < end) {
      const m = mentions[k] as RawMention;
      inSentence.push({ start: m.start, end: m.end, entity: m.entity });
      k++;
    }
    // Without a name, a line can only end something of the document's ("Python 3.9 support is dropped").
    if (inSentence.length === 0 && !tables.reading.ending.test(text.slice(start, end))) continue;
    announcements.push(...readSentence(text, start, end, inSentence, tables, entities, implicit));
  }
  return announcements;
}

/** The cue hits that overlap none of the sentence's mentions (a loop: no closure per sentence). */
function outsideMentions(cues: CueHit[], mentions: readonly SentenceMention[]): CueHit[] {
  let out: CueHit[] | null = null;
  for (let k = 0; k < cues.length; k++) {
    const c = cues[k] as CueHit;
    let overlaps = false;
    for (const m of mentions) {
      if (c.start < m.end && m.start < c.end) {
        overlaps = true;
        break;
      }
    }
    if (overlaps) out ??= cues.slice(0, k);
    else out?.push(c);
  }
  return out ?? cues;
}

function readSentence(
  text: string,
  start: number,
  end: number,
  mentions: SentenceMention[],
  tables: CompiledTables,
  entities: EntityList,
  implicit: number,
): ExtractedAnnouncement[] {
  const cues = outsideMentions(findCues(text, tables, start, end), mentions);
  return announceSentence({ text, start, end, mentions, cues, implicit, stage: undefined }, tables, entities);
}

/** The subject of the release a text's first line announces, when that line is a heading of its own. */
function headingSubject(text: string, ruleSet: RuleSet): EntityInfo | null {
  // (indexOf, not a loop over the first 200 code units: it reads them several times faster, which counts for
  // the many short texts.)
  const newline = text.indexOf('\n');
  if (newline <= 0 || newline > 200) return null;
  // A release heading carries its version ("JAX 0.4.30"); other first lines are not tagged twice.
  let digit = false;
  for (let i = 0; i < newline && !digit; i++)
    digit = text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39;
  if (!digit) return null;
  const head = tag(text.slice(0, newline), ruleSet, { subject: null });
  return subjectOf(head, ruleSet);
}

/** The subject of the first release in a tagged text (a title), as entity information, or null. */
export function subjectOf(result: ExtractResult, ruleSet: RuleSet): EntityInfo | null {
  const release = result.announcements.find((a) => a.type === 'release');
  const e = release && result.entities.find((x) => x.id === release.subject);
  if (!e) return null;
  const listed = ruleSet.tables.entityIndex.get(e.id);
  if (listed !== undefined) return ruleSet.entities[listed] as EntityInfo;
  return { id: e.id, name: e.name, kind: e.kind, parent: e.parent ?? null, variant: e.parent !== undefined };
}

/**
 * Tag a plain text: every entity mention and every announcement, with UTF-16 offsets into `text`
 * (`text.slice(start, end) === span.text`). Entities are ordered by first mention, announcements by the
 * start of their evidence sentence.
 */
export function tag(text: string, ruleSet: RuleSet, context: TagContext = {}): ExtractResult {
  const { tables } = ruleSet;
  const entities = new TextEntities(ruleSet.entities, tables.entityIndex);
  // The document's own subject: given by the caller (the release its title announces), or, for a text whose
  // first line is a release heading ("JAX 0.4.30 (June 2024)"), that release's subject.
  const subject = context.subject === undefined ? headingSubject(text, ruleSet) : context.subject;
  // Phrases around new names and organisations' head words, filled by the entity scan (see `findMentions`).
  const newNameHits: number[] = [];
  let raw = findMentions(text, tables, newNameHits);
  // Head words of organisations' names ("Institute"), found by the same scan.
  const orgHeads: number[] = [];
  // ... and nouns that define the name before them ("the FastRTC library"), as [start, end] pairs.
  const defining: number[] = [];
  for (let h = 0; h < newNameHits.length; h += 3) {
    const code = newNameHits[h + 2];
    if (code === 3) orgHeads.push(newNameHits[h] as number);
    else if (code === 4) defining.push(newNameHits[h] as number, newNameHits[h + 1] as number);
  }
  // Names the rules do not know, introduced by a release ("Introducing Model Vault").
  if (newNameHits.length > orgHeads.length * 3 + (defining.length / 2) * 3) {
    const found = addNewNames(text, newNameHits, raw, entities, tables.entityIndex, tables.newNames);
    raw = found.mentions;
    entities.add(found.added);
  }
  // Names a text defines ("the FastRTC library", "Quasar, a deep learning framework").
  if (defining.length > 0) {
    raw = taken(entities, addDefinedNames(text, defining, raw, entities, tables));
  }
  // Parties of a partnership nobody listed ("Acme and Quillstone partner"), members of lists of known names
  // nobody listed ("TorchFoo, TorchVision and TorchText").
  if (raw.length > 0) {
    raw = taken(entities, addListNames(text, raw, entities, tables));
    raw = taken(entities, addPartyNames(text, raw, entities, tables));
  }
  // (Names found by their shape need no known name in the text: a repository id, "Vector Institute".)
  if (raw.length === 0 && subject === null && !text.includes('/') && orgHeads.length === 0)
    return { ruleSet: ruleSet.version, entities: [], announcements: [] };
  raw = outsideUrls(text, raw);
  const sentences = sentencesWithMentions(text, raw);
  // (No closures here: under tsx every named closure costs a defineProperty per call.)
  let mentions = dropNested(text, confirm(text, raw, sentences, tables), entities);
  // Versions and variants of known families ("Llama 3.3 70B") are entities of their own; each pass numbers
  // its entities after the previous ones', which learn their ancestors once, at the end.
  const firstFound = entities.length;
  const variants = addVariants(text, mentions, entities, tables.entityIndex, tables.newNames);
  mentions = variants.mentions;
  entities.add(variants.added);
  // Products named after their maker ("Acme Enterprise Hub"), the maker as their parent.
  mentions = taken(entities, addOwnedNames(text, mentions, entities, tables));
  const orgs = addOrgNames(text, orgHeads, mentions, entities, tables.entityIndex, tables.newNames);
  mentions = orgs.mentions;
  entities.add(orgs.added);
  // (After variants: the ids replace the variant mentions written inside them.)
  const repoIds = addRepoIds(text, mentions, entities, tables.entityIndex, tables.squashedIndex);
  mentions = repoIds.mentions;
  entities.add(repoIds.added);
  let implicit = -1;
  if (subject !== null) {
    implicit = entities.indexOf(subject.id);
    if (implicit < 0) {
      implicit = entities.length;
      entities.add([subject]);
    }
  }
  giveAncestors(entities, tables, firstFound);

  const byEntity = new Map<number, Span[]>();
  // The entities in order of first mention. (Iterated instead of the map's entries: no entry array each.)
  const mentioned: number[] = [];
  for (const m of mentions) {
    let spans = byEntity.get(m.entity);
    if (spans === undefined) {
      spans = [];
      byEntity.set(m.entity, spans);
      mentioned.push(m.entity);
    }
    spans.push({ start: m.start, end: m.end, text: text.slice(m.start, m.end) });
  }
  const extracted: ExtractedEntity[] = [];
  for (const e of mentioned) {
    const spans = byEntity.get(e) as Span[];
    const info = entities.at(e);
    extracted.push(
      info.variant === true && info.parent !== null
        ? { id: info.id, name: info.name, kind: info.kind, parent: info.parent, mentions: spans }
        : { id: info.id, name: info.name, kind: info.kind, mentions: spans },
    );
  }

  const announcements =
    implicit < 0
      ? announceAround(text, sentences, mentions, tables, entities)
      : announceAll(text, mentions, tables, entities, implicit);
  return {
    ruleSet: ruleSet.version,
    entities: extracted,
    announcements: mergeRepeats(ofVersions(announcements, extracted)),
  };
}

/**
 * "The 1.3 release of PyTorch", with "PyTorch 1.3" named in the text: a release or deprecation of a family with
 * a version is that version's, when the text has the version as an entity of its own (`pytorch-1.3`).
 */
function ofVersions(
  announcements: ExtractedAnnouncement[],
  extracted: ExtractedEntity[],
): ExtractedAnnouncement[] {
  for (const a of announcements) {
    if (a.version === null || (a.type !== 'release' && a.type !== 'deprecation')) continue;
    const id = `${a.subject}-${a.version.toLowerCase().replace(/^v(?=\d)/, '')}`;
    if (extracted.some((e) => e.id === id && e.parent === a.subject)) a.subject = id;
  }
  return announcements;
}

/**
 * Tag an HTML fragment or page. Offsets index the original `html` string (a span covers the markup its
 * visible text came from); `span.text` is the visible text of the span, entities decoded.
 */
export function tagHtml(html: string, ruleSet: RuleSet): ExtractResult {
  const mapped = htmlToMappedText(html);
  const result = tag(mapped.text, ruleSet);
  const remap = (span: Span): Span => ({
    start: mapped.starts[span.start] as number,
    end: mapped.ends[span.end - 1] as number,
    text: span.text,
  });
  return {
    ruleSet: result.ruleSet,
    entities: result.entities.map((e) => ({ ...e, mentions: e.mentions.map(remap) })),
    announcements: result.announcements.map((a) => ({ ...a, evidence: remap(a.evidence) })),
  };
}
