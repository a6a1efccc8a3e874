import type { ExtractionRows } from '@frameline/store';

/** A document as a report names it. */
export interface NamedDocument {
  id: number;
  title: string | null;
}

/** Added, removed and changed, counted. */
export interface ChangeCounts {
  added: number;
  removed: number;
  changed: number;
}

/** One example of a change: the document, and the evidence before and after (a mention count for mentions). */
export interface ChangeExample {
  change: 'added' | 'removed' | 'changed';
  documentId: number;
  title: string | null;
  before: string | null;
  after: string | null;
}

/** The changes of one announcement type and subject, or of one entity's mentions. */
export interface ChangeGroup extends ChangeCounts {
  /** The announcement type, or `mention`. */
  type: string;
  entity: string;
  examples: ChangeExample[];
}

export interface DiffReport {
  totals: { mentions: ChangeCounts; announcements: ChangeCounts };
  /** Largest first. */
  groups: ChangeGroup[];
}

type Announcement = ExtractionRows['announcements'][number];

const EXAMPLES_PER_GROUP = 3;

function describe(a: Announcement): string {
  const objects = a.objects.length > 0 ? ` → ${a.objects.join(', ')}` : '';
  const version = a.version ? ` v${a.version}` : '';
  return `${a.type} ${a.subject}${version}${objects}: "${a.evidence}"`;
}

function sameClaim(a: Announcement, b: Announcement): boolean {
  return (
    a.version === b.version && [...a.objects].sort().join('\u0000') === [...b.objects].sort().join('\u0000')
  );
}

/**
 * What a re-extraction changed, document by document, grouped by announcement type and subject (and by entity
 * for mentions), with a few examples each. Within a document, an announcement of the same type and subject
 * before and after is "changed" when its objects or version differ; mentions of an entity are "changed" when
 * their number differs.
 */
export class ExtractionDiff {
  private readonly groups = new Map<string, ChangeGroup>();
  private readonly totals = {
    mentions: { added: 0, removed: 0, changed: 0 },
    announcements: { added: 0, removed: 0, changed: 0 },
  };

  /** Compare the rows before and after for these documents (rows of other documents are ignored). */
  add(docs: readonly NamedDocument[], before: ExtractionRows, after: ExtractionRows): void {
    const byDoc = <T extends { documentId: number }>(rows: readonly T[]) => {
      const m = new Map<number, T[]>();
      for (const r of rows) {
        const list = m.get(r.documentId);
        if (list) list.push(r);
        else m.set(r.documentId, [r]);
      }
      return m;
    };
    const mentionsBefore = byDoc(before.mentions);
    const mentionsAfter = byDoc(after.mentions);
    const annBefore = byDoc(before.announcements);
    const annAfter = byDoc(after.announcements);
    for (const doc of docs) {
      this.mentions(doc, mentionsBefore.get(doc.id) ?? [], mentionsAfter.get(doc.id) ?? []);
      this.announcements(doc, annBefore.get(doc.id) ?? [], annAfter.get(doc.id) ?? []);
    }
  }

  report(): DiffReport {
    const size = (g: ChangeGroup) => g.added + g.removed + g.changed;
    return {
      totals: this.totals,
      groups: [...this.groups.values()].sort(
        (a, b) => size(b) - size(a) || a.type.localeCompare(b.type) || a.entity.localeCompare(b.entity),
      ),
    };
  }

  private mentions(
    doc: NamedDocument,
    before: ExtractionRows['mentions'],
    after: ExtractionRows['mentions'],
  ): void {
    const was = new Map(before.map((m) => [m.entity, m.count]));
    const now = new Map(after.map((m) => [m.entity, m.count]));
    for (const entity of new Set([...was.keys(), ...now.keys()])) {
      const b = was.get(entity) ?? 0;
      const a = now.get(entity) ?? 0;
      if (a === b) continue;
      const change = b === 0 ? 'added' : a === 0 ? 'removed' : 'changed';
      this.count('mentions', 'mention', entity, {
        change,
        documentId: doc.id,
        title: doc.title,
        before: b === 0 ? null : `${b} mention${b === 1 ? '' : 's'}`,
        after: a === 0 ? null : `${a} mention${a === 1 ? '' : 's'}`,
      });
    }
  }

  private announcements(doc: NamedDocument, before: Announcement[], after: Announcement[]): void {
    const left = [...before];
    const right = [...after];
    // The same claim on both sides is no change, whatever its evidence.
    for (let i = left.length - 1; i >= 0; i--) {
      const b = left[i] as Announcement;
      const j = right.findIndex((a) => a.type === b.type && a.subject === b.subject && sameClaim(a, b));
      if (j >= 0) {
        left.splice(i, 1);
        right.splice(j, 1);
      }
    }
    const example = (change: ChangeExample['change'], b: Announcement | null, a: Announcement | null) => ({
      change,
      documentId: doc.id,
      title: doc.title,
      before: b ? describe(b) : null,
      after: a ? describe(a) : null,
    });
    for (const b of left) {
      const j = right.findIndex((a) => a.type === b.type && a.subject === b.subject);
      if (j >= 0) {
        const [a] = right.splice(j, 1) as [Announcement];
        this.count('announcements', b.type, b.subject, example('changed', b, a));
      } else this.count('announcements', b.type, b.subject, example('removed', b, null));
    }
    for (const a of right) this.count('announcements', a.type, a.subject, example('added', null, a));
  }

  private count(kind: 'mentions' | 'announcements', type: string, entity: string, ex: ChangeExample): void {
    const key = `${type}\u0000${entity}`;
    let group = this.groups.get(key);
    if (!group) {
      group = { type, entity, added: 0, removed: 0, changed: 0, examples: [] };
      this.groups.set(key, group);
    }
    group[ex.change]++;
    this.totals[kind][ex.change]++;
    if (group.examples.length < EXAMPLES_PER_GROUP) group.examples.push(ex);
  }
}
