import type { ExtractedAnnouncement, ExtractResult } from '@frameline/core';
import type { EntityInfo, RuleSet } from './rule-set.js';
import { subjectOf, tag } from './tag.js';
import { stageInSentence } from './versions.js';

// A document is a title and a text, tagged apart: the title's release is the text's subject, and release notes
// under a heading that is only a version are the notes of the software they name most.

/**
 * Tag a document's title and text: the title alone, then the text with the title's release as the document's
 * subject ("JAX 0.4.30" above "Added support for CUDA 12.4").
 */
export function tagDocument(
  title: string,
  text: string,
  ruleSet: RuleSet,
): { title: ExtractResult; text: ExtractResult } {
  const head = tag(title, ruleSet, { subject: null });
  const subject = subjectOf(head, ruleSet);
  // A heading made only of a version: "0.5", "[2.2.0] - 2024-02-08", "v0.15.0 (2020-05-05)", "10.6.0 GA".
  if (subject !== null || !ruleSet.tables.reading.versionHeading.test(title))
    return { title: head, text: tag(text, ruleSet, { subject }) };
  // A heading that is only a version ("## 0.5", "9.2.0 GA - 2023-11-27") heads the notes of the software the
  // text itself names most.
  const plain = tag(text, ruleSet, { subject: null });
  const project = mainSoftware(plain, ruleSet, text);
  if (project === null) return { title: head, text: plain };
  // ... and is that software's release of the version it names.
  const version = HEADING_VERSION.exec(title);
  const release: ExtractedAnnouncement = {
    type: 'release',
    subject: project.id,
    objects: [],
    version: version?.[1] ?? null,
    stage: stageInSentence(title),
    evidence: { start: 0, end: title.length, text: title },
    rule: 'version-heading',
  };
  return {
    title: { ...head, announcements: [release, ...head.announcements] },
    text: tag(text, ruleSet, { subject: project }),
  };
}

// The version a version-only heading names: "0.5", "[2.2.0] - 2024-02-08" → "2.2.0", "v0.15.0" → "0.15.0".
const HEADING_VERSION = /v?(\d+(?:\.\d+)+[a-z0-9]*)/iu;

/** The framework, library or product a text names most (at least twice, and more than any other), or null. */
function mainSoftware(result: ExtractResult, ruleSet: RuleSet, text: string): EntityInfo | null {
  const counts = new Map<string, number>();
  for (const e of result.entities) {
    if (e.kind !== 'framework' && e.kind !== 'library' && e.kind !== 'product') continue;
    const id = e.parent ?? e.id;
    counts.set(id, (counts.get(id) ?? 0) + e.mentions.length);
  }
  const ranked = [...counts].sort((a, b) => b[1] - a[1]);
  let [first, second] = ranked;
  if (first === undefined || first[1] < 2) return null;
  if (second !== undefined && second[1] >= first[1]) {
    // A tie: a project's notes name its parts after it ("AutoTVM", "TorchAudio"), so the name written most
    // often inside other words too is the project's; still a tie, none is.
    const lower = text.toLowerCase();
    const tied = ranked
      .filter(([, n]) => n === (first as [string, number])[1])
      .map(([id]) => [id, occurrences(lower, writtenName(result, id))] as [string, number])
      .sort((a, b) => b[1] - a[1]);
    [first, second] = tied;
    if (first === undefined || (second !== undefined && second[1] >= first[1])) return null;
  }
  const listed = ruleSet.tables.entityIndex.get(first[0]);
  return listed === undefined ? null : (ruleSet.entities[listed] as EntityInfo);
}

/** The shortest form an entity is written in in a tagged text, in lowercase ("" when it is not written). */
function writtenName(result: ExtractResult, id: string): string {
  let out = '';
  for (const e of result.entities)
    if (e.id === id)
      for (const m of e.mentions) if (out === '' || m.text.length < out.length) out = m.text.toLowerCase();
  return out;
}

/** How often `name` occurs in `lower`, inside words too (0 for an empty name). */
function occurrences(lower: string, name: string): number {
  if (name.length === 0) return 0;
  let n = 0;
  for (let at = lower.indexOf(name); at >= 0; at = lower.indexOf(name, at + name.length)) n++;
  return n;
}
