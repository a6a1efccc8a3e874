import type { ExtractedAnnouncement } from '@frameline/core';

/**
 * A platform supporting different things ("X is now available in Rocket. Y is now available in Rocket.")
 * makes separate pieces of news: support statements of different things stay apart (the first one keeps the
 * key, so later ones of other things are kept as they are).
 */
function separateSupport(kept: ExtractedAnnouncement, a: ExtractedAnnouncement): boolean {
  if (a.type !== 'support' || kept.objects.length === 0 || a.objects.length === 0) return false;
  // (The first object is what is supported; the others are where: "... support for A in B".)
  return kept.objects[0] !== a.objects[0];
}

/**
 * One announcement per (type, subject, version) in a text: a release stated in several sentences ("X is
 * now available. X, released by Y, ...") is one piece of news. The first statement's evidence and rule are
 * kept, the objects of all of them united, and the first stage found kept. Support is the exception above.
 */
export function mergeRepeats(announcements: ExtractedAnnouncement[]): ExtractedAnnouncement[] {
  if (announcements.length < 2) return announcements;
  const first = new Map<string, ExtractedAnnouncement>();
  const out: ExtractedAnnouncement[] = [];
  for (const a of announcements) {
    const key = `${a.type}\u0000${a.subject}\u0000${a.version ?? ''}`;
    const kept = first.get(key);
    if (kept === undefined || separateSupport(kept, a)) {
      const copy = { ...a, objects: [...a.objects] };
      first.set(key, copy);
      out.push(copy);
      continue;
    }
    for (const o of a.objects) if (!kept.objects.includes(o)) kept.objects.push(o);
    if (kept.stage === null && a.stage !== null) kept.stage = a.stage;
  }
  return out;
}
