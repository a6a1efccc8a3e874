/**
 * The baseline a re-extraction is measured against: the tagger alone, in memory, on one thread. Each document's
 * title and text go through `tagDocument`, as the extract stage calls it, with no database, queue or job.
 */
import type { DocumentInput } from '@frameline/store';
import { taggedBytes } from './corpus.js';
import type { Tagger } from './rules.js';

export interface TaggerRun {
  documents: number;
  /** UTF-8 bytes of the titles and texts tagged. */
  bytes: number;
  /** Wall time of the tagging alone (the documents were made, and the rule set loaded, before). */
  ms: number;
  /** Time to read and compile the rule set (the cache of FRAMELINE_HOME not used). */
  loadMs: number;
  mentions: number;
  announcements: number;
}

/** Documents of the warm-up pass before the timed one (V8 compiles the tagger's hot paths meanwhile). */
const WARM_UP = 300;

/** Tag `docs` with the rule set at `rulesPath`, timed after a warm-up pass over the first few. */
export function runTagger(tagger: Tagger, rulesPath: string, docs: readonly DocumentInput[]): TaggerRun {
  const loadStart = performance.now();
  const ruleSet = tagger.loadRuleSet(rulesPath);
  const loadMs = performance.now() - loadStart;
  for (const d of docs.slice(0, WARM_UP)) tagger.tagDocument(d.title ?? '', d.text, ruleSet);
  let mentions = 0;
  let announcements = 0;
  let bytes = 0;
  const started = performance.now();
  for (const d of docs) {
    const { title, text } = tagger.tagDocument(d.title ?? '', d.text, ruleSet);
    for (const r of [title, text]) {
      for (const e of r.entities) mentions += e.mentions.length;
      announcements += r.announcements.length;
    }
  }
  const ms = performance.now() - started;
  for (const d of docs) bytes += taggedBytes(d);
  return { documents: docs.length, bytes, ms, loadMs, mentions, announcements };
}
