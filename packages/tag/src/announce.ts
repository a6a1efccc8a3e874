import type { AnnouncementType, EntityKind, ExtractedAnnouncement, ReleaseStage } from '@frameline/core';
import type { CueHit } from './entities.js';
import type { Reading } from './reading.js';
import type { CompiledRule, CompiledTables, EntityList } from './rule-set.js';
import {
  availableElsewhere,
  backgroundTrigger,
  blankAfter,
  blankBefore,
  citation,
  dedupe,
  featureHosts,
  insideBrackets,
  joinNotMerger,
  lineStartFrom,
  listAround,
  partnerAsName,
  partOfLongerName,
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
/** Farthest a subject may be from its trigger, in UTF-16 units (objects may be anywhere in the sentence). */
const MAX_GAP = 80;

interface Slot {
  subjects: SentenceMention[];
  /** Entity indices of the objects. */
  objectIds: number[];
  /** The product an owner announces for ("AWS ... in SageMaker"): an object that still may announce. */
  promoted: number;
}

const NO_RULES: readonly number[] = [];

/** Insert a rule index into an ascending list of a few, once. */
function insertRule(order: number[], r: number): void {
  let i = order.length;
  while (i > 0 && (order[i - 1] as number) > r) i--;
  if (i > 0 && order[i - 1] === r) return;
  order.splice(i, 0, r);
}

/** Announcements found in one sentence, by rule order; one per (type, subject). */
export function announceSentence(view: SentenceView, tables: CompiledTables, entities: EntityList) {
  const out: ExtractedAnnouncement[] = [];
  // Without a cue phrase only a bare rule ("GPT-4" as a whole title) can apply.
  if (view.mentions.length === 0 && view.implicit < 0) return out;
  if (view.cues.length === 0 && (view.mentions.length !== 1 || tables.bareRules.length === 0)) return out;
  const seen = new Set<string>();
  // A trigger span that made announcements is not reused by a later rule ("now available in Rocket IDE" is
  // support, so its "now available" is not also a release).
  const consumed: CueHit[] = [];
  // Entities already objects of an announcement in this sentence (for rules with fresh_subject): "AWS
  // announced PyTorch support" is not also a PyTorch release, but "Acme announces Rocket with Llama
  // support" is still Rocket's release.
  const involved: number[] = [];
  const evidence = { start: view.start, end: view.end, text: view.text.slice(view.start, view.end) };
  const r = tables.reading;
  // The rules to try, in the rule set's order: those a cue of the sentence triggers (a sentence has a handful
  // of hits, the rule set dozens of rules), and the bare rules for a sentence naming one thing.
  const order: number[] = [];
  for (const hit of view.cues) for (const r of tables.cues[hit.cue]?.rules ?? NO_RULES) insertRule(order, r);
  if (view.mentions.length === 1) for (const r of tables.bareRules) insertRule(order, r);
  for (const at of order) {
    const rule = tables.rules[at] as CompiledRule;
    if (rule.bare) {
      const a = bareAnnouncement(view, entities, rule, r);
      if (a && !seen.has(`${a.type}\u0000${a.subject}`)) {
        seen.add(`${a.type}\u0000${a.subject}`);
        // (A citation is read only where an announcement would be made: the rare case.)
        if (out.length === 0 && citation(view, r)) return out;
        out.push({ ...a, evidence: { ...evidence } });
      }
      continue;
    }
    for (const hit of view.cues) {
      if (!tables.cues[hit.cue]?.rules.includes(at)) continue;
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
        if (seen.has(key)) continue;
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
            evidence: { ...evidence },
            rule: rule.name,
          });
        }
      }
      if (type === 'release' && made.length > 0 && !rule.needsVersion) {
        for (const m of featureHosts(view, hit, r)) {
          const info = entities.at(m.entity);
          if (info.kind !== 'product' || seen.has(`release\u0000${info.id}`)) continue;
          seen.add(`release\u0000${info.id}`);
          made.push({
            type,
            subject: info.id,
            objects: [],
            version: null,
            stage: null,
            evidence: { ...evidence },
            rule: rule.name,
          });
        }
      }
      // A partnership is news for each party: one announcement per party, the others as objects.
      if (rule.type === 'partnership' && made.length === 1) {
        const only = made[0] as ExtractedAnnouncement;
        for (const party of only.objects) {
          const key = `${type}\u0000${party}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const others = [only.subject, ...only.objects.filter((o) => o !== party)];
          made.push({ ...only, subject: party, objects: others, evidence: { ...evidence } });
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

/** Subject(s) and objects for a rule at one trigger, or null when the rule does not apply. */
function fill(
  view: SentenceView,
  tables: CompiledTables,
  entities: EntityList,
  rule: CompiledRule,
  hit: CueHit,
  used: readonly number[] | null,
): Slot | null {
  const r = tables.reading;
  const objectsFirst = rule.objectsSide === 'right-before' || rule.objectsSide === 'right-after';
  let objectMentions: SentenceMention[] = [];
  if (objectsFirst) {
    objectMentions = pick(view, hit, rule.objectsSide, (m) => rule.objects.has(kindOf(entities, m)), true, r);
    if (objectMentions.length === 0 && rule.needsObjects) return null;
  }
  const taken = objectMentions.map((m) => m.entity);
  if (used !== null) taken.push(...used);
  let subjects = pick(
    view,
    hit,
    rule.subjectSide,
    (m) =>
      rule.subject.has(kindOf(entities, m)) &&
      !taken.includes(m.entity) &&
      !(
        (rule.type === 'release' || rule.type === 'deprecation') &&
        partOfLongerName(view, m, kindOf(entities, m), rule.type, r, tables.newNames.libraryWords)
      ) &&
      // "Introducing Model X on Rocket Cloud": the place something comes to is not what is released.
      // (a feature introduced on a platform is the platform's release: "Introducing tool use on the Rocket API")
      !(
        rule.type === 'release' &&
        m.start > hit.end &&
        r.placeBefore.test(view.text.slice(Math.max(view.start, m.start - 12), m.start)) &&
        view.mentions.some((o) => o.start >= hit.end && o.end <= m.start && kindOf(entities, o) === 'model')
      ),
    false,
    r,
  );
  // "Added support for CUDA 12.4" in JAX's release notes: a line that names no subject is about the document's.
  if (implicitSubject(view, rule, hit, subjects, r)) {
    objectMentions = objectMentions.filter((m) => m.entity !== view.implicit);
    subjects = [{ start: view.start, end: view.start, entity: view.implicit }];
  }
  // "Partnership between Google and Anthropic": the parties are all on one side; the first is the subject.
  if (subjects.length === 0 && rule.type === 'partnership' && objectMentions.length > 0) {
    subjects = objectMentions.slice(0, 1);
    objectMentions = objectMentions.slice(1);
  }
  if (subjects.length === 0) return null;
  const extra: number[] = [];
  let promoted = -1;
  // A product named with its owner ("AWS announced ... in SageMaker"): the owner announces, the product is
  // an object. Only when the owner may be a subject of this rule.
  if (subjects.length === 1) {
    const only = subjects[0] as SentenceMention;
    // (A version's family is not its owner: "releases Llama 4, ... and two new Llama models" is Llama 4's.)
    const variant = entities.at(only.entity).variant === true;
    const owner = view.mentions.find(
      (m) =>
        ancestorsOf(tables, entities, only.entity)?.includes(m.entity) &&
        rule.subject.has(kindOf(entities, m)) &&
        !(variant && kindOf(entities, m) === kindOf(entities, only)) &&
        !taken.includes(m.entity) &&
        // in the trigger's clause ("Google Cloud announced ..., and said it is working on ... Cloud TPUs")
        !r.clauseBreak.test(
          m.end <= hit.start ? view.text.slice(m.end, hit.start) : view.text.slice(hit.end, m.start + 1),
        ),
    );
    if (owner) {
      extra.push(only.entity);
      promoted = only.entity;
      subjects = [owner];
    }
  }
  // "Microsoft and NVIDIA partner": the first of a list of partners is the subject, the rest are objects.
  if (rule.type === 'partnership' && subjects.length > 1) {
    for (const m of subjects.slice(1)) extra.push(m.entity);
    subjects = subjects.slice(0, 1);
  }
  const subjectIds = subjects.map((m) => m.entity);
  if (!objectsFirst && rule.objects.size > 0) {
    objectMentions = pick(
      view,
      hit,
      rule.objectsSide,
      (m) => rule.objects.has(kindOf(entities, m)) && !subjectIds.includes(m.entity),
      true,
      r,
    );
  }
  const objects: number[] = [];
  for (const m of objectMentions) addObject(objects, subjectIds, m.entity);
  for (const e of extra) addObject(objects, subjectIds, e);
  // Products of the subject named in the same sentence are what the announcement is about.
  if (rule.type === 'support') {
    for (const m of view.mentions) {
      if (!rule.objects.has(kindOf(entities, m))) continue;
      if (subjects.some((s) => ancestorsOf(tables, entities, m.entity)?.includes(s.entity))) {
        addObject(objects, subjectIds, m.entity);
      }
    }
  }
  // A vendor and its own product are not partners, nor does one acquire the other.
  // Nor is a family an object of its own version ("Since the release of PyTorch 1.0, PyTorch ...").
  const familyOf = (e: number) => {
    const info = entities.at(e);
    return info.variant === true && info.parent !== null ? info.parent : info.id;
  };
  const kept = objects.filter(
    (o) =>
      !subjects.some(
        (s) =>
          familyOf(s.entity) === familyOf(o) ||
          ((rule.type === 'partnership' || rule.type === 'acquisition') &&
            related(tables, entities, s.entity, o)),
      ),
  );
  // A vendor announcing its own model in its own product ("OpenAI launches GPT-5 in ChatGPT") supports
  // nothing: that is the model's release. Its own products stay objects when something else is supported
  // ("AWS ... PyTorch in SageMaker") or when the thing supported is not named ("Acme rolled out support
  // in Rocket").
  const supported = kept.filter((o) => o !== promoted);
  if (
    rule.type === 'support' &&
    promoted >= 0 &&
    supported.length > 0 &&
    supported.every(
      (o) =>
        entities.at(o).kind === 'model' && subjects.some((s) => sameMaker(tables, entities, s.entity, o)),
    )
  )
    return null;
  // The subject's own product promoted to an object is not what needs_objects asks for ("Bringing an unlisted
  // app to TPUs" names no supported thing the rules know, even though TPUs belong to Google Cloud).
  if (rule.needsObjects && !kept.some((o) => o !== promoted)) return null;
  // A partnership with one named party ("joining forces with AWS") only when that party is next to the
  // trigger; otherwise "to help partners" would make one.
  if (rule.type === 'partnership' && kept.length === 0) {
    const s = subjects[0] as SentenceMention;
    // "Acme's Nimbus deal": the possessive names the other party.
    const owner = view.mentions[view.mentions.indexOf(s) - 1];
    if (
      owner !== undefined &&
      !related(tables, entities, owner.entity, s.entity) &&
      rule.objects.has(kindOf(entities, owner)) &&
      /^['’]s[ \u00a0]+$/u.test(view.text.slice(owner.end, s.start))
    ) {
      kept.push(owner.entity);
    }
  }
  if (rule.type === 'partnership' && kept.length === 0) {
    const s = subjects[0] as SentenceMention;
    const gap = s.end <= hit.start ? view.text.slice(s.end, hit.start) : view.text.slice(hit.end, s.start);
    // "Acme deepens partnership with the Government of Ruritania": the other party is named, though not an
    // entity (out of scope or unknown), right after the trigger.
    const namedAfter = s.end <= hit.start && r.namedPartyAfter.test(view.text.slice(hit.end, hit.end + 40));
    if (!r.adjacentGap.test(gap) && !r.unknownPartyGap.test(gap) && !namedAfter) return null;
  }
  return { subjects, objectIds: kept, promoted };
}

/**
 * The mention(s) filling a slot: the nearest matching mention on `side` of the trigger, with the rest of
 * its list ("AMD, Intel and Graphcore"). With `all`, every matching mention on that side instead (objects).
 */
function pick(
  view: SentenceView,
  hit: CueHit,
  side: CompiledRule['subjectSide'],
  ok: (m: SentenceMention) => boolean,
  all: boolean,
  r: Reading,
): SentenceMention[] {
  const ms = view.mentions;
  // Subjects and objects are in the trigger's clause: in "X announced ..., and said it is working on Y", X is
  // not the one working on Y by proximity alone, nor is Y what X announced.
  let before = ms.filter(
    (m) =>
      m.end <= hit.start &&
      ok(m) &&
      (all || hit.start - m.end <= MAX_GAP) &&
      !r.clauseBreak.test(view.text.slice(m.end, hit.start)),
  );
  let after = ms.filter(
    (m) =>
      m.start >= hit.end &&
      ok(m) &&
      (all || m.start - hit.end <= MAX_GAP) &&
      // (with the mention's first letter: ", and Microsoft" starts a clause)
      !r.clauseBreak.test(view.text.slice(hit.end, m.start + 1)),
  );
  // A name in brackets is an aside about the name before it ("Google Cloud (Kubeflow, TPUs)"): a subject only
  // when no other name fills the slot.
  if (!all) {
    const plainBefore = before.filter((m) => !insideBrackets(view, m));
    const plainAfter = after.filter((m) => !insideBrackets(view, m));
    if (plainBefore.length + plainAfter.length > 0) {
      before = plainBefore;
      after = plainAfter;
    }
  }
  let seed: SentenceMention | undefined;
  switch (side) {
    case 'right-before': {
      const last = before[before.length - 1];
      if (last && r.adjacentGap.test(view.text.slice(last.end, hit.start))) seed = last;
      break;
    }
    case 'right-after': {
      const first = after[0];
      if (first && r.adjacentGap.test(view.text.slice(hit.end, first.start))) seed = first;
      break;
    }
    case 'before':
      if (all) return dedupe(before);
      seed = before[before.length - 1];
      break;
    case 'after':
      if (all) return dedupe(after);
      seed = after[0];
      break;
    case 'any': {
      if (all) return dedupe([...before, ...after]);
      seed = before[before.length - 1] ?? after[0];
      break;
    }
  }
  if (!seed) return [];
  // "updates to Rocket libraries including A, B and C": the group's members are what the slot holds.
  const next = view.mentions[view.mentions.indexOf(seed) + 1];
  if (next !== undefined && ok(next) && r.examplesGap.test(view.text.slice(seed.end, next.start)))
    return dedupe(listAround(view, next, ok, r));
  return dedupe(listAround(view, seed, ok, r));
}

/** Whether the entities' first mentions in the sentence are one list ("A, B and C"), asides in brackets aside. */
function oneList(view: SentenceView, ids: readonly number[], r: Reading): boolean {
  const ms = ids
    .map((e) => view.mentions.find((m) => m.entity === e))
    .filter((m) => m !== undefined)
    .sort((a, b) => a.start - b.start);
  if (ms.length !== ids.length) return false;
  for (let k = 1; k < ms.length; k++) {
    const gap = view.text.slice((ms[k - 1] as SentenceMention).end, (ms[k] as SentenceMention).start);
    if (!r.listGap.test(gap.replace(/[ \u00a0]*\([^()]*\)/gu, ''))) return false;
  }
  return true;
}

function kindOf(entities: EntityList, m: SentenceMention): EntityKind {
  return entities.at(m.entity).kind;
}

function addObject(objects: number[], subjectIds: readonly number[], e: number): void {
  if (!subjectIds.includes(e) && !objects.includes(e)) objects.push(e);
}

/**
 * "PyTorch support for Cloud TPUs": a framework, library or model written right before "support" is what is
 * supported, not the one supporting ("NVIDIA support for PyTorch" is NVIDIA's). The noun rule reads it.
 */
function supportedNotSupporter(
  view: SentenceView,
  entities: EntityList,
  slot: Slot,
  hit: CueHit,
  r: Reading,
): boolean {
  if (!r.supportStart.test(view.text.slice(hit.start, hit.end))) return false;
  const s = slot.subjects[slot.subjects.length - 1] as SentenceMention;
  const kind = kindOf(entities, s);
  if (kind !== 'framework' && kind !== 'library' && kind !== 'model') return false;
  return (
    s.end <= hit.start &&
    /^[ \u00a0]*(?:['\u2019]s)?[ \u00a0]*(?:v?\d+(?:\.\d+)*[ \u00a0]+)?$/u.test(
      view.text.slice(s.end, hit.start),
    )
  );
}

/**
 * Whether a rule's subject is the document's own subject: the document has one (release notes of a named
 * project), the rule is a release, support or deprecation, and the line names no subject of its own: it opens
 * with the trigger ("Added support for X", "Support for Y", "Dropped support for Python 3.8"), or states
 * a drop in the passive ("Python 3.8 support is dropped"). For a deprecation of support, what is dropped is
 * an object, not the subject.
 */
function implicitSubject(
  view: SentenceView,
  rule: CompiledRule,
  hit: CueHit,
  found: SentenceMention[],
  r: Reading,
): boolean {
  if (view.implicit < 0) return false;
  // (A release of the document's subject is its heading's; lines do not restate it.)
  if (rule.type !== 'support' && rule.type !== 'deprecation') return false;
  const lineStart = lineStartFrom(view.text, hit.start, view.start);
  const before = view.text.slice(lineStart, hit.start);
  // ... or a short line with a word or two before it ("Frontend support: Caffe2, Keras", "Initial release").
  const nl = view.text.slice(hit.end, lineStart + 161).indexOf('\n');
  const shortLine = nl >= 0 || view.text.length - lineStart <= 160;
  const opening =
    r.lineOpening.test(before) ||
    (shortLine &&
      r.supportOrIntegration.test(view.text.slice(hit.start, hit.end)) &&
      /^[\s\p{P}\p{S}]*(?:[\p{L}\p{N}-]+[ \u00a0]+){1,2}$/u.test(before) &&
      !found.some((m) => m.end <= hit.start));
  const trigger = view.text.slice(hit.start, hit.end);
  const passive =
    r.passiveInTrigger.test(trigger) ||
    (r.supportEnd.test(trigger) && r.passiveDrop.test(view.text.slice(hit.end, hit.end + 30)));
  if (!opening && !passive) return false;
  // A subject the line names before the trigger stays ("TensorRT now supports ..."); in a passive drop the
  // name before is what is dropped ("CUDA 11 support is dropped").
  if (!passive && found.some((m) => m.end <= hit.start && m.entity !== view.implicit)) return false;
  if (rule.type === 'deprecation') return r.support.test(trigger) || passive;
  return true;
}

/** The ancestors of an entity, listed or found in this text ("Llama 3.3 70B" → llama, meta). */
function ancestorsOf(tables: CompiledTables, entities: EntityList, e: number): readonly number[] | undefined {
  return tables.ancestors[e] ?? (e < entities.length ? entities.at(e).ancestors : undefined);
}

/** Related, or both made by the same vendor (GPT and ChatGPT, both OpenAI's). */
function sameMaker(tables: CompiledTables, entities: EntityList, a: number, b: number): boolean {
  if (related(tables, entities, a, b)) return true;
  const up = ancestorsOf(tables, entities, a) ?? [];
  return (ancestorsOf(tables, entities, b) ?? []).some((x) => up.includes(x));
}

/** The same entity, or one the other's ancestor. */
function related(tables: CompiledTables, entities: EntityList, a: number, b: number): boolean {
  return (
    a === b ||
    ancestorsOf(tables, entities, a)?.includes(b) === true ||
    ancestorsOf(tables, entities, b)?.includes(a) === true
  );
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
