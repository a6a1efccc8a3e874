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
  // The index in `out` of the statement kept for each key.
  const first = new Map<string, number>();
  const out: ExtractedAnnouncement[] = [];
  // Kept statements are copied only when a repeat merges into them (the input is never changed; most texts
  // have no repeats, and a copy of each announcement cost more than the rest of this pass).
  const copied = new Set<number>();
  for (const a of announcements) {
    const key = `${a.type}\u0000${a.subject}\u0000${a.version ?? ''}`;
    const at = first.get(key);
    if (at === undefined || separateSupport(out[at] as ExtractedAnnouncement, a)) {
      first.set(key, out.length);
      out.push(a);
      continue;
    }
    if (!copied.has(at)) {
      const original = out[at] as ExtractedAnnouncement;
      out[at] = { ...original, objects: [...original.objects] };
      copied.add(at);
    }
    const kept = out[at] as ExtractedAnnouncement;
    for (const o of a.objects) if (!kept.objects.includes(o)) kept.objects.push(o);
    if (kept.stage === null && a.stage !== null) kept.stage = a.stage;
  }
  return out;
}
