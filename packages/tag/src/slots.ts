import type { EntityKind } from '@frameline/core';
import type { CueHit } from './entities.js';
import type { Reading } from './reading.js';
import type { CompiledRule, CompiledTables, EntityList } from './rule-set.js';
import {
  dedupe,
  insideBrackets,
  lineStartFrom,
  listAround,
  partOfLongerName,
  type SentenceMention,
  type SentenceView,
} from './trigger-checks.js';

// Filling an announcement rule's slots at one trigger: its subject(s), read in the trigger's clause on the
// rule's side, and its objects; the document's own subject for a release-notes line that names none.

/** Farthest a subject may be from its trigger, in UTF-16 units (objects may be anywhere in the sentence). */
const MAX_GAP = 80;

/** A rule's slots at one trigger. */
export interface Slot {
  subjects: SentenceMention[];
  /** Entity indices of the objects. */
  objectIds: number[];
  /** The product an owner announces for ("AWS ... in SageMaker"): an object that still may announce. */
  promoted: number;
}

/** Subject(s) and objects for a rule at one trigger, or null when the rule does not apply. */
export function fill(
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
      // "The X option is deprecated in JAX 0.9.0", "the API was introduced in Android 8": a version named as the
      // time of a change is not what changes.
      !(
        (rule.type === 'deprecation' || (rule.type === 'release' && m.start >= hit.end)) &&
        entities.at(m.entity).variant === true &&
        r.whenBefore.test(view.text.slice(Math.max(view.start, m.start - 16), m.start))
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
  // So is the party named first after the trigger ("Partnering with Mozilla to improve Firefox").
  const firstParty = objectMentions[0];
  if (
    rule.type === 'partnership' &&
    firstParty !== undefined &&
    (subjects.length === 0 ||
      (firstParty.start < (subjects[0] as SentenceMention).start && firstParty.start >= hit.end))
  ) {
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
  // "supports models from Meta, Google and Qwen": organisations named as the makers of what is supported are
  // not what is supported.
  if (rule.type === 'support')
    objectMentions = objectMentions.filter((m) => !namedAsMaker(view, entities, m, r));
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
  const kept = objects.filter(
    (o) =>
      !subjects.some(
        (s) =>
          familyOf(entities, s.entity) === familyOf(entities, o) ||
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

/** Whether an organisation is named as a maker: its list ("A, B and C") right after a maker word ("from"). */
function namedAsMaker(view: SentenceView, entities: EntityList, m: SentenceMention, r: Reading): boolean {
  if (kindOf(entities, m) !== 'vendor') return false;
  const first = listAround(view, m, () => true, r)[0] ?? m;
  return r.makerBefore.test(view.text.slice(Math.max(view.start, first.start - 16), first.start));
}

/** Whether the entities' first mentions in the sentence are one list ("A, B and C"), asides in brackets aside. */
export function oneList(view: SentenceView, ids: readonly number[], r: Reading): boolean {
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

/** The id of an entity's family: its parent's for a variant, else its own. (Module level: no closure per call.) */
function familyOf(entities: EntityList, e: number): string {
  const info = entities.at(e);
  return info.variant === true && info.parent !== null ? info.parent : info.id;
}

export function kindOf(entities: EntityList, m: SentenceMention): EntityKind {
  return entities.at(m.entity).kind;
}

function addObject(objects: number[], subjectIds: readonly number[], e: number): void {
  if (!subjectIds.includes(e) && !objects.includes(e)) objects.push(e);
}

/**
 * "PyTorch support for Cloud TPUs": a framework, library or model written right before "support" is what is
 * supported, not the one supporting ("NVIDIA support for PyTorch" is NVIDIA's). The noun rule reads it.
 */
export function supportedNotSupporter(
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
export function ancestorsOf(
  tables: CompiledTables,
  entities: EntityList,
  e: number,
): readonly number[] | undefined {
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
