import type { AnnouncementType, EntityKind, ReleaseStage } from '@frameline/core';
import type { CueHit } from './entities.js';
import type { Reading } from './reading.js';

// Reading checks around a trigger and a mention: which words belong to a name, and when a trigger word is
// not the announcement it usually is.

/** White space as `String.prototype.trim` takes it. */
export function isSpace(c: number): boolean {
  return (
    c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || (c > 0xff && /\s/.test(String.fromCharCode(c)))
  );
}

// (The three below scan outwards from a sentence: slicing the rest of a long text for each of its sentences is
// quadratic.)

/** Whether the text holds only white space before `at`. */
export function blankBefore(text: string, at: number): boolean {
  for (let i = at - 1; i >= 0; i--) if (!isSpace(text.charCodeAt(i))) return false;
  return true;
}

/** Whether the text holds only white space from `at` to its end (or, with `toLineBreak`, to a line break). */
export function blankAfter(text: string, at: number, toLineBreak = false): boolean {
  for (let i = at; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (toLineBreak && c === 0x0a) return true;
    if (!isSpace(c)) return false;
  }
  return true;
}

/** The start of the line holding `at`, or `floor` when the line starts before it. */
export function lineStartFrom(text: string, at: number, floor: number): number {
  for (let i = at; i > floor; i--) if (text.charCodeAt(i - 1) === 0x0a) return i;
  return floor;
}

/** A confirmed mention inside the sentence being read. */
export interface SentenceMention {
  start: number;
  end: number;
  entity: number;
}

/** What one sentence offers the announcement rules. */
export interface SentenceView {
  text: string;
  start: number;
  end: number;
  mentions: SentenceMention[];
  /** Cue hits in the sentence that do not overlap a mention, ordered by start. */
  cues: CueHit[];
  /**
   * The document's own subject (entity index; the project whose release notes these are), or -1: the subject
   * of a line that names none ("Added support for CUDA 12.4", "Python 3.8 support is dropped").
   */
  implicit: number;
  /** The release stage the sentence names ("beta", "generally available"), once read; see `sentenceStage`. */
  stage?: ReleaseStage | null;
}

/**
 * Whether a mention is the start of a longer proper name the rules do not know ("Rocket Nexus",
 * "Nimbus Build", "Rocket Shared Cloud"): then a release or deprecation is about that other thing. A version
 * right after the name ("Rocket 3.8 Max") keeps it the family's.
 */
export function partOfLongerName(
  view: SentenceView,
  m: SentenceMention,
  kind: EntityKind,
  type: AnnouncementType,
  r: Reading,
  libraryWords: ReadonlySet<string>,
): boolean {
  // "PyTorch-based", "Cordova-Erweiterung": a name hyphenated onto a word only qualifies that word; a
  // model family's hyphenated capitalised word is a variant ("GPT-Orion").
  if (view.text.charCodeAt(m.end) === 0x2d && /^-\p{L}/u.test(view.text.slice(m.end, m.end + 2))) {
    return type === 'release' && (kind !== 'model' || /^-\p{Ll}/u.test(view.text.slice(m.end, m.end + 2)));
  }
  // A model family's capitalised word is a variant of the family ("Claude Opus").
  if (kind === 'model') return false;
  const next = /^[ \u00a0]([\p{Lu}][\p{L}\p{N}+#.'’-]*|[\p{L}]*[+#]+)/u.exec(
    view.text.slice(m.end, Math.min(view.end, m.end + 40)),
  );
  if (next === null) return /^[+#]/.test(view.text.slice(m.end, m.end + 1));
  const word = (next[1] as string).replace(/['’]s$/, '');
  if (r.titleWords.has(word.toLowerCase())) return false;
  // One new capitalised word names a new thing ("Rocket Nexus", "Nimbus Build"); a run of them names a
  // feature of the product ("Rocket Dedicated Read Nodes", "Nimbus+ Terraform Provider"), whose release
  // is the product's.
  // A client library in a language is a library of its own ("Rocket C# Client").
  const rest = view.text.slice(m.end + next[0].length, view.end);
  const after = /^[ \u00a0]([\p{Lu}][\p{L}\p{N}+#.'’-]*)/u.exec(rest);
  if (after === null || r.titleWords.has((after[1] as string).toLowerCase())) return true;
  const words =
    /^(?:[ \u00a0]([\p{Lu}][\p{L}\p{N}+#.'’-]*))+/u
      .exec(rest)?.[0]
      .trim()
      .split(/[ \u00a0]/u) ?? [];
  return words.some((w) => libraryWords.has(w.toLowerCase()));
}

/**
 * "X is now available in Battle Mode": availability in a named place is that place's support, not a release
 * of X; when the place is not a known entity (else a support rule took the trigger) it makes nothing.
 */
export function availableElsewhere(view: SentenceView, hit: CueHit, r: Reading): boolean {
  if (!r.availability.test(view.text.slice(hit.start, hit.end))) return false;
  return r.placeAfter.test(view.text.slice(hit.end, hit.end + 24));
}

/**
 * "This release brings ... for .NET developers": "release" after a determiner is a noun whose subject was
 * named before (often in the title), not a verb whose object follows; "the release of X" still is X's.
 */
export function releaseAsNoun(view: SentenceView, hit: CueHit, r: Reading): boolean {
  if (!r.releaseNoun.test(view.text.slice(hit.start, hit.end))) return false;
  // "the release notes", "our release cadence": a noun qualifying another is no release at all.
  if (r.releaseCompound.test(view.text.slice(hit.end, hit.end + 16))) return true;
  if (r.complementAfter.test(view.text.slice(hit.end, hit.end + 12))) return false;
  return r.nounDeterminer.test(view.text.slice(Math.max(view.start, hit.start - 24), hit.start));
}

/**
 * "partner to launch fellowship funding", "using X to launch async tasks": an infinitive release verb whose
 * object is a common noun releases that thing, not a name before it.
 */
export function releasesCommonThing(view: SentenceView, hit: CueHit, r: Reading): boolean {
  return (
    r.infinitiveBefore.test(view.text.slice(Math.max(view.start, hit.start - 8), hit.start)) &&
    r.commonObject.test(view.text.slice(hit.end, Math.min(view.end, hit.end + 16)))
  );
}

/**
 * "Kaggle is launching an integration with X", "releases native support for Y": what the release trigger
 * brings is support, which the support rules read; it is not a new thing.
 */
export function releasesSupport(view: SentenceView, hit: CueHit, r: Reading): boolean {
  return r.supportAfter.test(view.text.slice(hit.end, Math.min(view.end, hit.end + 48)));
}

/**
 * "X joins the PyTorch Foundation as a member", "joins forces with", "joins A, B and C": joining a body, a cause
 * or a group of peers is not being acquired; only "X joins Y" between two companies is ("Acme joins Nimbus").
 */
export function joinNotMerger(view: SentenceView, hit: CueHit, r: Reading): boolean {
  if (!r.join.test(view.text.slice(hit.start, hit.end))) return false;
  if (r.notMerger.test(view.text.slice(hit.end, Math.min(view.end, hit.end + 80)))) return true;
  // Joining a list ("joins AWS, Azure and Google Cloud as supported platforms") is joining peers: a company
  // is acquired by one buyer.
  const first = view.mentions.find((m) => m.start >= hit.end);
  return first !== undefined && listAround(view, first, () => true, r).length > 1;
}

/**
 * "Llama, released last year, powers our app", "Since its launch in 2023, Claude has grown": a trigger that
 * dates a thing in the past is background, not news of the item.
 */
export function backgroundTrigger(view: SentenceView, hit: CueHit, r: Reading): boolean {
  // (What follows the trigger is read only after a space, which `pastAfter` and `complementAfter` start with.)
  const spaceAfter = isSpaceOrNbsp(view.text.charCodeAt(hit.end));
  if (
    spaceAfter &&
    hit.end < view.end &&
    r.pastAfter.test(view.text.slice(hit.end, Math.min(view.end, hit.end + 40)))
  )
    return true;
  const before = view.text.slice(Math.max(view.start, hit.start - 24), hit.start);
  if (r.pastWord.test(before) && r.pastBefore.test(before)) return true;
  // "accelerated by the launch of ChatGPT", "with the release of GPT-4": the event as a noun, a cause or a
  // reference point of something else.
  return (
    spaceAfter &&
    r.complementAfter.test(view.text.slice(hit.end, hit.end + 12)) &&
    r.nominalBefore.test(before)
  );
}

function isSpaceOrNbsp(c: number): boolean {
  return c === 0x20 || c === 0xa0;
}

// A reference-list entry or a citation ("[30] Smith, et al. ...", "Smith et al. (2023) show ..."): a
// paper cited, not news the text breaks.
const REFERENCE_ENTRY = /^[\s\p{P}]*\[\d{1,3}\]/u;
/** Longest reference-list entry looked back over for its "[n]". */
const REFERENCE_LENGTH = 600;

/** Whether a sentence is a citation or part of a reference-list entry (its line opening with "[n]"). */
export function citation(view: SentenceView, r: Reading): boolean {
  if (r.cited.test(view.text.slice(view.start, view.end))) return true;
  const lineStart = lineStartFrom(view.text, view.start, Math.max(0, view.start - REFERENCE_LENGTH));
  return REFERENCE_ENTRY.test(view.text.slice(lineStart, Math.min(view.end, lineStart + 16)));
}

/**
 * "A paper discussed in passing": research whose subject is not an organisation (a model the study is
 * about) counts only in a title or in a sentence that presents the work as the text's own or as new.
 */
export function researchInPassing(view: SentenceView, r: Reading): boolean {
  // A title is the text's own work by definition ("Probing Honesty in a Pre-Release Model").
  if (blankBefore(view.text, view.start) && blankAfter(view.text, view.end)) return false;
  return !r.ownWork.test(view.text.slice(view.start, view.end));
}

/**
 * "We are releasing the initial results of the X leaderboard", "publishing a new paper": what is released is a
 * research output (results, a paper, a dataset), which is research, not the release of a product.
 */
export function releasesResearch(view: SentenceView, hit: CueHit, r: Reading): boolean {
  return r.researchOutput.test(view.text.slice(hit.end, Math.min(view.end, hit.end + 60)));
}

/**
 * "raising concerns about ...", "raised the bar": a form of "raise" is funding only with money or a round in
 * the words after it ("raises $88M", "raised a Series B").
 */
export function raiseWithoutMoney(view: SentenceView, hit: CueHit, r: Reading): boolean {
  if (!r.raise.test(view.text.slice(hit.start, hit.end))) return false;
  return !r.money.test(view.text.slice(hit.end, Math.min(view.end, hit.end + 48)));
}

/**
 * "recognized by AWS Partners in Ruritania", "the Acme Partner Network": a capitalised "Partner(s)"
 * right after a name is part of a programme's name unless a preposition of a partnership follows
 * ("NVIDIA Partners With Acme").
 */
export function partnerAsName(view: SentenceView, hit: CueHit, r: Reading): boolean {
  if (!r.partnerWords.has(view.text.slice(hit.start, hit.end))) return false;
  if (!view.mentions.some((m) => /^[ \u00a0]$/u.test(view.text.slice(m.end, hit.start)))) return false;
  return !r.partnershipAfter.test(view.text.slice(hit.end, hit.end + 12));
}

/**
 * "Introducing Model 3.5, remote agents in Rocket, plus a new Work mode in Nimbus": after a release trigger,
 * an unnamed feature "in" a named product (its clause naming nothing else) is a release of that product.
 */
export function featureHosts(view: SentenceView, hit: CueHit, r: Reading): SentenceMention[] {
  const out: SentenceMention[] = [];
  let from = hit.end;
  for (const m of view.mentions) {
    if (m.start < hit.end) continue;
    const between = view.text.slice(from, m.start);
    const cut = Math.max(between.lastIndexOf(','), between.lastIndexOf(';'), between.search(r.additionJoin));
    const clause = cut >= 0 ? between.slice(cut + 1) : between;
    if (r.hostedBefore.test(clause)) {
      from = m.end;
      continue;
    }
    if (r.featureIn.test(clause)) out.push(m);
    from = m.end;
  }
  return out;
}

/** The seed and its neighbours joined to it by list punctuation ("A, B and C"). */
export function listAround(
  view: SentenceView,
  seed: SentenceMention,
  ok: (m: SentenceMention) => boolean,
  r: Reading,
) {
  // "AWS (SageMaker), Microsoft (Azure, VS Code) and Google Cloud (TPUs)": names in brackets belong to the
  // member before them, not to the list.
  const ms = insideBrackets(view, seed)
    ? view.mentions
    : view.mentions.filter((m) => !insideBrackets(view, m));
  const i = ms.indexOf(seed);
  let lo = i;
  let hi = i;
  while (lo > 0) {
    const prev = ms[lo - 1] as SentenceMention;
    if (!ok(prev) || !r.listGap.test(gapAt(view, prev, ms[lo] as SentenceMention))) break;
    lo--;
  }
  while (hi < ms.length - 1) {
    const next = ms[hi + 1] as SentenceMention;
    if (!ok(next) || !r.listGap.test(gapAt(view, ms[hi] as SentenceMention, next))) break;
    hi++;
  }
  // Commas alone do not make a list ("Gemini 2.5, MCP Gains Ground" is two headlines): one of the joins
  // must be a conjunction ("A, B and C", "A & B").
  let joined = false;
  for (let k = lo; k < hi; k++) {
    const gap = gapAt(view, ms[k] as SentenceMention, ms[k + 1] as SentenceMention);
    if (r.listJoined.test(gap.replace(/^[ \u00a0-]?v?\d+(?:\.\d+)*[a-z]?/u, ''))) joined = true;
  }
  return joined ? ms.slice(lo, hi + 1) : [seed];
}

/** The text between two mentions, asides in brackets left out. (Module level: no closure per list.) */
function gapAt(view: SentenceView, a: SentenceMention, b: SentenceMention): string {
  return view.text.slice(a.end, b.start).replace(/[ \u00a0]*\([^()]*\)/gu, '');
}

/** Whether a mention sits inside round brackets opened in its sentence. */
export function insideBrackets(view: SentenceView, m: SentenceMention): boolean {
  let depth = 0;
  for (let k = view.start; k < m.start; k++) {
    const c = view.text.charCodeAt(k);
    if (c === 0x28) depth++;
    else if (c === 0x29 && depth > 0) depth--;
  }
  return depth > 0;
}

/** The mentions with one per entity, first kept. */
export function dedupe(ms: SentenceMention[]): SentenceMention[] {
  const out: SentenceMention[] = [];
  for (const m of ms) if (!out.some((o) => o.entity === m.entity)) out.push(m);
  return out;
}
