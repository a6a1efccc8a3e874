import type { ExtractedAnnouncement, ExtractResult } from '@frameline/core';
import type { EntityInfo, RuleSet } from './rule-set.js';
import { subjectOf, tag } from './tag.js';
import { stageInSentence } from './versions.js';

// A document is a title and a text, tagged apart: the title's release is the text's subject, and release notes
// under a heading that is only a version are the notes of the software their publisher names.

/**
 * Tag a document's title and text: the title alone, then the text with the title's release as the document's
 * subject ("JAX 0.4.30" above "Added support for CUDA 12.4"). The `publisher` gives who publishes the document,
 * in words: a feed's name, the paths of its addresses ("apache tvm releases"); it is asked only when the title
 * is only a version. A title that is only a version
 * ("v0.15.0 (2020-05-05)") is a release of the software the publisher names, and that software is the subject
 * of the text's lines that name none. Without such a publisher, a bare version names nothing: the software
 * named most in its notes is more often a dependency than the project.
 */
export function tagDocument(
  title: string,
  text: string,
  ruleSet: RuleSet,
  { publisher }: { publisher?: () => string } = {},
): { title: ExtractResult; text: ExtractResult } {
  const head = tag(title, ruleSet, { subject: null });
  const subject = subjectOf(head, ruleSet);
  if (subject !== null || !ruleSet.tables.reading.versionHeading.test(title))
    return { title: head, text: tag(text, ruleSet, { subject }) };
  const project = publisher === undefined ? null : publishedSoftware(publisher(), ruleSet);
  if (project === null) return { title: head, text: tag(text, ruleSet, { subject: null }) };
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

/** The framework, library or product a publisher's words name first (a version's family), or null. */
function publishedSoftware(publisher: string, ruleSet: RuleSet): EntityInfo | null {
  if (publisher.trim() === '') return null;
  for (const e of tag(publisher, ruleSet, { subject: null }).entities) {
    if (e.kind !== 'framework' && e.kind !== 'library' && e.kind !== 'product') continue;
    const listed = ruleSet.tables.entityIndex.get(e.parent ?? e.id);
    if (listed !== undefined) return ruleSet.entities[listed] as EntityInfo;
  }
  return null;
}
