import type { AnnouncementType, ExtractedAnnouncement, ReleaseStage } from '@frameline/core';
import type { CueHit } from './entities.js';
import type { Reading } from './reading.js';
import type { CompiledRule, CompiledTables, EntityList } from './rule-set.js';
import { ancestorsOf, fill, kindOf, oneList, supportedNotSupporter } from './slots.js';
import {
  availableElsewhere,
  backgroundTrigger,
  blankAfter,
  blankBefore,
  citation,
  featureHosts,
  joinNotMerger,
  partnerAsName,
  raiseWithoutMoney,
  releaseAsNoun,
  releasesCommonThing,
  releasesResearch,
  releasesSupport,
  researchInPassing,
  type SentenceMention,
  type SentenceView,
} from './trigger-checks.js';
import { stageInSentence, versionAfter, versionInSentence } from './versions.js';

// The first version number inside a name's own text: "Llama 3.1", "GPT-4o", "DINOv2", "Qwen2.5",
// "Llama 4 Scout"; never a size ("Mistral 7B", "Mixtral 8x7B").
const VERSION_IN_NAME = /(?:(?<=[ -])v?|(?<=\p{L})v?)(\d+(?:\.\d+)*[a-z]?)(?![\p{L}\p{N}])/u;
const VERSIONED_KINDS = new Set(['framework', 'library', 'model']);
const PLAN_WINDOW = 60;
const NEGATION_WINDOW = 24;

const NO_RULES: readonly number[] = [];

/** Insert a rule index into an ascending list of a few, once. */
function insertRule(order: number[], r: number): void {
  let i = order.length;
  while (i > 0 && (order[i - 1] as number) > r) i--;
  if (i > 0 && order[i - 1] === r) return;
  // (Shifted by hand: `splice` allocates the array of what it removes, once per rule of every sentence.)
  order.push(r);
  for (let k = order.length - 1; k > i; k--) order[k] = order[k - 1] as number;
  order[i] = r;
}

/** The evidence of an announcement: the sentence. (Made for each announcement, not for each sentence read.) */
function evidenceOf(view: SentenceView): { start: number; end: number; text: string } {
  return { start: view.start, end: view.end, text: view.text.slice(view.start, view.end) };
}

/** Announcements found in one sentence, by rule order; one per (type, subject). */
export function announceSentence(view: SentenceView, tables: CompiledTables, entities: EntityList) {
  const out: ExtractedAnnouncement[] = [];
  // Without a cue phrase only a bare rule ("GPT-4" as a whole title) can apply.
  if (view.mentions.length === 0 && view.implicit < 0) return out;
  if (view.cues.length === 0 && (view.mentions.length !== 1 || tables.bareRules.length === 0)) return out;
  // (type, subject) pairs announced so far; made at the first (most sentences read announce nothing).
  let seen: Set<string> | null = null;
  // A trigger span that made announcements is not reused by a later rule ("now available in Rocket IDE" is
  // support, so its "now available" is not also a release).
  const consumed: CueHit[] = [];
  // Entities already objects of an announcement in this sentence (for rules with fresh_subject): "AWS
  // announced PyTorch support" is not also a PyTorch release, but "Acme announces Rocket with Llama
  // support" is still Rocket's release.
  const involved: number[] = [];
  const r = tables.reading;
  // The rules to try, in the rule set's order: those a cue of the sentence triggers (a sentence has a handful
  // of hits, the rule set dozens of rules), and the bare rules for a sentence naming one thing.
  const order: number[] = [];
  // The rules of each hit, looked up once. (Indexed loops: this runs for every sentence with a cue.)
  const hitRules: (readonly number[])[] = [];
  for (let h = 0; h < view.cues.length; h++) {
    const rules = tables.cues[(view.cues[h] as CueHit).cue]?.rules ?? NO_RULES;
    hitRules.push(rules);
    for (let k = 0; k < rules.length; k++) insertRule(order, rules[k] as number);
  }
  if (view.mentions.length === 1) {
    for (let k = 0; k < tables.bareRules.length; k++) insertRule(order, tables.bareRules[k] as number);
  }
  for (const at of order) {
    const rule = tables.rules[at] as CompiledRule;
    if (rule.bare) {
      const a = bareAnnouncement(view, entities, rule, r);
      if (a && !seen?.has(`${a.type}\u0000${a.subject}`)) {
        seen ??= new Set();
        seen.add(`${a.type}\u0000${a.subject}`);
        // (A citation is read only where an announcement would be made: the rare case.)
        if (out.length === 0 && citation(view, r)) return out;
        // (Written out, in the spread's key order: a spread here cost more than the rest of the rule.)
        out.push({
          type: a.type,
          subject: a.subject,
          objects: a.objects,
          version: a.version,
          stage: a.stage,
          rule: a.rule,
          evidence: evidenceOf(view),
        });
      }
      continue;
    }
    for (let h = 0; h < view.cues.length; h++) {
      const hit = view.cues[h] as CueHit;
      if (!(hitRules[h] as readonly number[]).includes(at)) continue;
      if (negated(view, tables, hit)) continue;
      if (!rule.overlaps && consumed.some((c) => c.start < hit.end && hit.start < c.end)) continue;
      // Overlapping is for other words around the same span ("generally available" inside "generally
      // available on"); the very same phrase ("Rocket now offers Llama") made its announcement already.
      if (consumed.some((c) => c.start === hit.start && c.end === hit.end)) continue;
      if (!rule.overlaps && rule.type === 'release' && availableElsewhere(view, hit, r)) continue;
      if (
        rule.type === 'release' &&
        (releaseAsNoun(view, hit, r) ||
          releasesResearch(view, hit, r) ||
          releasesSupport(view, hit, r) ||
          releasesCommonThing(view, hit, r))
      )
        continue;
      if (rule.type === 'acquisition' && joinNotMerger(view, hit, r)) continue;
      if (rule.type === 'partnership' && partnerAsName(view, hit, r)) continue;
      if (rule.type === 'funding' && raiseWithoutMoney(view, hit, r)) continue;
      if (rule.type !== 'roadmap' && backgroundTrigger(view, hit, r)) continue;
      // "CUDA 11 support has been removed" ends support; it is the deprecation rule's.
      if (rule.type === 'support' && r.passiveDrop.test(view.text.slice(hit.end, hit.end + 30))) continue;
      const slot = fill(view, tables, entities, rule, hit, rule.freshSubject ? involved : null);
      if (slot === null) continue;
      if (rule.type === 'support' && supportedNotSupporter(view, entities, slot, hit, r)) continue;
      if (
        rule.type === 'research' &&
        slot.subjects.every((s) => kindOf(entities, s) !== 'vendor') &&
        researchInPassing(view, r)
      )
        continue;
      // "Model X is now generally available in Rocket IDE": a model reaching a stage on someone else's platform is
      // that platform's support, not a release of the model (a product's stage change stays a release).
      if (
        rule.type === 'release' &&
        rule.overlaps &&
        slot.subjects.every((s) => kindOf(entities, s) === 'model') &&
        availableElsewhere(view, hit, r)
      )
        continue;
      const type: AnnouncementType =
        rule.whenPlanned && planned(view, tables, hit) ? rule.whenPlanned : rule.type;
      const made: ExtractedAnnouncement[] = [];
      for (const subject of slot.subjects) {
        const { version, stage } = versionFor(view, entities, rule, subject, slot.subjects.length);
        if (rule.needsVersion && version === null) continue;
        const id = entities.at(subject.entity).id;
        const key = `${type}\u0000${id}`;
        if (seen?.has(key)) continue;
        seen ??= new Set();
        seen.add(key);
        // In a list, a product of another member is that member's object only ("AWS (SageMaker) and
        // Microsoft (Azure)": SageMaker is not Microsoft's).
        const mine = slot.objectIds.filter(
          (o) =>
            ancestorsOf(tables, entities, o)?.includes(subject.entity) === true ||
            !slot.subjects.some(
              (s) => s !== subject && ancestorsOf(tables, entities, o)?.includes(s.entity) === true,
            ),
        );
        // Support of a list of things is news for each of them ("TVM adds support for Keras, MXNet and ONNX":
        // three supports), each keeping the subject's own products it comes in ("... in SageMaker"); things
        // named apart stay one piece of news ("support for Llama on NVIDIA GPUs"), and a family named beside
        // its version is that version ("PyTorch 1.0").
        const own = mine.filter((o) => ancestorsOf(tables, entities, o)?.includes(subject.entity) === true);
        const supported = mine.filter(
          (o) =>
            !own.includes(o) &&
            !(
              type === 'support' &&
              mine.some(
                (x) =>
                  entities.at(x).variant === true && ancestorsOf(tables, entities, x)?.includes(o) === true,
              )
            ),
        );
        const each =
          type === 'support' && supported.length > 1 && oneList(view, supported, r)
            ? supported.map((o) => [o])
            : [supported];
        for (const one of each) {
          const objects = [...one, ...own].map((o) => entities.at(o).id);
          made.push({
            type,
            subject: id,
            objects,
            version,
            stage,
            evidence: evidenceOf(view),
            rule: rule.name,
          });
        }
      }
      if (type === 'release' && made.length > 0 && !rule.needsVersion) {
        for (const m of featureHosts(view, hit, r)) {
          const info = entities.at(m.entity);
          if (info.kind !== 'product' || seen?.has(`release\u0000${info.id}`)) continue;
          seen ??= new Set();
          seen.add(`release\u0000${info.id}`);
          made.push({
            type,
            subject: info.id,
            objects: [],
            version: null,
            stage: null,
            evidence: evidenceOf(view),
            rule: rule.name,
          });
        }
      }
      // A partnership is news for each party: one announcement per party, the others as objects.
      if (rule.type === 'partnership' && made.length === 1) {
        const only = made[0] as ExtractedAnnouncement;
        for (const party of only.objects) {
          const key = `${type}\u0000${party}`;
          if (seen?.has(key)) continue;
          seen ??= new Set();
          seen.add(key);
          const others = [only.subject, ...only.objects.filter((o) => o !== party)];
          made.push({ ...only, subject: party, objects: others, evidence: evidenceOf(view) });
        }
      }
      if (made.length > 0) {
        if (out.length === 0 && citation(view, r)) return out;
        out.push(...made);
        consumed.push(hit);
        // Being announced about (an object) is what fresh_subject guards; announcing is not.
        for (const o of slot.objectIds) if (o !== slot.promoted && !involved.includes(o)) involved.push(o);
        // Other triggers of the rule may still state other news in the same sentence ("Facebook released
        // PyTorch 1.0; fastai 1.0 shipped there"); one announcement per type and subject all the same.
      }
    }
  }
  return out;
}

// "Rocket 3: faster builds for everyone": a versioned name opening a title, then its tagline.
const BARE_TAGLINE = /^[ \u00a0]*(?::|[ \u00a0][\u2013\u2014-])[ \u00a0]+\p{L}/u;

/** A sentence that is only a name and its version ("GPT-4", "Rocket 1.38 Release"), as a rule's type. */
function bareAnnouncement(
  view: SentenceView,
  entities: EntityList,
  rule: CompiledRule,
  r: Reading,
): Omit<ExtractedAnnouncement, 'evidence'> | null {
  if (view.mentions.length !== 1) return null;
  // Only a whole text (a title such as "Rocket 1.9544.35") or its first line when that is a heading of
  // its own ("JAX 0.4.30 (June 18, 2024)" above the notes), not a line inside a longer text.
  if (!blankBefore(view.text, view.start) || !blankAfter(view.text, view.end, true)) return null;
  // Every version holds a digit: a sentence without one has none (a cheap test before reading versions).
  if (!hasDigit(view.text, view.start, view.end)) return null;
  const m = view.mentions[0] as SentenceMention;
  const info = entities.at(m.entity);
  if (!rule.subject.has(info.kind)) return null;
  if (!/^[\s\p{P}]*$/u.test(view.text.slice(view.start, m.start))) return null;
  const { version, stage } = versionFor(view, entities, rule, m, 1);
  if (version === null) return null;
  let rest = view.text.slice(m.end, view.end);
  const at = rest.indexOf(version);
  if (at >= 0 && /^[ \u00a0-]?(?:version |v)?$/i.test(rest.slice(0, at)))
    rest = rest.slice(at + version.length);
  else if (!view.text.slice(m.start, m.end).endsWith(version)) return null;
  if (!r.bareRest.test(rest) && !BARE_TAGLINE.test(rest)) return null;
  return { type: rule.type, subject: info.id, objects: [], version, stage, rule: rule.name };
}

function hasDigit(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) return true;
  }
  return false;
}

function negated(view: SentenceView, tables: CompiledTables, hit: CueHit): boolean {
  return view.cues.some(
    (c) =>
      tables.cues[c.cue]?.negation === true &&
      c.end <= hit.start &&
      hit.start - c.end <= NEGATION_WINDOW &&
      !/[.;:!?]/.test(view.text.slice(c.end, hit.start)),
  );
}

// Where one clause of a sentence ends and another begins (`Reading.clauseBreak`): "... announced X support, and
// said it is working on Y support" states one fact and one plan.

function planned(view: SentenceView, tables: CompiledTables, hit: CueHit): boolean {
  const r = tables.reading;
  return view.cues.some((c) => {
    if (tables.cues[c.cue]?.plan !== true) return false;
    if (c.end <= hit.start) {
      return hit.start - c.end <= PLAN_WINDOW && !r.clauseBreak.test(view.text.slice(c.end, hit.start));
    }
    if (c.start >= hit.end) {
      return (
        c.start - hit.end <= PLAN_WINDOW &&
        !r.planBeforeOnly.has(view.text.slice(c.start, c.end).toLowerCase()) &&
        !r.clauseBreak.test(view.text.slice(hit.end, c.start))
      );
    }
    return false;
  });
}

/** The release stage a sentence names, read once per sentence (several rules and subjects ask). */
function sentenceStage(view: SentenceView): ReleaseStage | null {
  if (view.stage === undefined) view.stage = stageInSentence(view.text.slice(view.start, view.end));
  return view.stage;
}

function versionFor(
  view: SentenceView,
  entities: EntityList,
  rule: CompiledRule,
  subject: SentenceMention,
  listSize: number,
): { version: string | null; stage: ReleaseStage | null } {
  // Versions belong to releases and deprecations ("PyTorch 1.0 beta", "Theano 1.0 is the last").
  const versioned = rule.type === 'release' || rule.type === 'deprecation';
  if (!versioned && !rule.needsVersion) return { version: null, stage: null };
  const after = versionAfter(view.text, subject.end, view.end);
  const sentence = view.text.slice(view.start, view.end);
  if (after) return { version: after.version, stage: after.stage ?? sentenceStage(view) };
  const info = entities.at(subject.entity);
  // A number in the entity's own name is not a version ("Caffe2"), one in an alias or a variant is
  // ("Llama 3.1", "Llama 3.3 70B").
  const written = view.text.slice(subject.start, subject.end);
  const ownName = info.variant !== true && written.toLowerCase() === info.name.toLowerCase();
  let inName =
    (VERSIONED_KINDS.has(info.kind) || info.variant === true) && !ownName
      ? VERSION_IN_NAME.exec(written)
      : null;
  // A capital and a number is a generation's name, not a version ("Kimi K2", "DeepSeek R1").
  if (inName && /(?:^|[^\p{L}])\p{Lu}$/u.test(written.slice(0, inName.index))) inName = null;
  // "GPT-5" matched as a name, written "GPT-5.2": the rest of the number follows the name.
  const more =
    inName && written.endsWith(inName[1] as string)
      ? (/^(?:\.\d+)+(?![\p{L}\p{N}])/u.exec(view.text.slice(subject.end, view.end))?.[0] ?? '')
      : '';
  const version = inName ? (inName[1] as string) + more : listSize === 1 ? versionInSentence(sentence) : null;
  return { version, stage: sentenceStage(view) };
}
