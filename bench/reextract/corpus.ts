/**
 * The stored documents the re-extraction bench works on, about 5 KB each, made deterministically (document `i`
 * is the same text on every run and machine), and loaded into a migrated database with one
 * `COPY ... FROM STDIN`, which is far faster than the crawl that would store them. Two corpora:
 * - `real`: real texts (the tag bench's: AI-lab feed items, other feeds' items, article pages' visible text from
 *   ../shared/corpora), consecutive ones joined until about 5 KB, the way a long post reads;
 * - `ml-news`: the pipeline bench's `mlNews` paragraphs, every sentence an ML announcement naming several
 *   entities (about 23 mentions a KB, against about 3 in the real texts): the tagger's and the database's
 *   worst case.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { contentHash, type DocumentInput, textHash } from '@frameline/store';
import postgres from 'postgres';
import { mlNews } from '../pipeline/fixture-web.js';
import { realDocuments } from '../tag-corpus.js';

/** A document's text grows paragraph by paragraph until it reaches this many UTF-8 bytes (about 5 KB). */
const MIN_TEXT_BYTES = 4_800;
/** At most this many news items per document; each gives one paragraph of about 700 bytes. */
const NEWS_PER_DOCUMENT = 12;
/** Documents are an hour apart, the newest an hour before this fixed date. */
const NEWEST = Date.UTC(2026, 10, 30, 12);
const ORIGIN = 'https://ml-wire.example';

export type Corpus = 'real' | 'ml-news';
export const CORPORA: readonly Corpus[] = ['real', 'ml-news'];

/** What each corpus is, for the report. */
export const CORPUS_TEXT: Record<Corpus, string> = {
  real: "real texts (the tag bench's: AI-lab feed items, other feeds' items and article pages' visible text from ../shared/corpora), consecutive ones joined into documents of about 5 KB, titled by their first text's opening words",
  'ml-news':
    "ML-news items (`mlNews` of the pipeline bench, several items' paragraphs each; every sentence an announcement, about 23 mentions a KB: the worst case)",
};

/** The function that makes document `i` of a corpus. */
export function documentsOf(corpus: Corpus): (i: number) => DocumentInput {
  if (corpus === 'ml-news') return newsDocument;
  const { docs } = realDocuments();
  return (i) => realDocument(docs, i);
}

/**
 * Document `i` of the real corpus: texts from a place that moves with `i` (a prime step, so neighbours differ),
 * joined until about 5 KB; its title is the first text's opening words.
 */
function realDocument(texts: readonly string[], i: number): DocumentInput {
  const parts: string[] = [];
  let bytes = 0;
  for (let k = (i * 7919) % texts.length; bytes < MIN_TEXT_BYTES; k = (k + 1) % texts.length) {
    const t = texts[k] as string;
    parts.push(t);
    bytes += Buffer.byteLength(t) + 2;
  }
  const title = (parts[0] as string).replace(/\s+/g, ' ').slice(0, 90).trim();
  return { ...skeleton(i), title, text: parts.join('\n\n') };
}

/** What every bench document has besides its title and text. */
function skeleton(i: number): Omit<DocumentInput, 'title' | 'text'> {
  return {
    guid: `ml-wire-${i}`,
    url: `${ORIGIN}/news/${i}.html`,
    canonicalUrl: null,
    author: null,
    publishedAt: new Date(NEWEST - (i + 1) * 3_600_000).toISOString(),
    publishedFrom: 'feed',
    updatedAt: null,
    html: null,
  };
}

/** Document `i` of the ml-news corpus: the title of its first news item, and the paragraphs of as many as make about 5 KB. */
function newsDocument(i: number): DocumentInput {
  const first = mlNews(i * NEWS_PER_DOCUMENT);
  const paragraphs: string[] = [];
  let bytes = 0;
  for (let n = 0; n < NEWS_PER_DOCUMENT && bytes < MIN_TEXT_BYTES; n++) {
    // Each news item's sentences make one paragraph; its uid is in every sentence, so no two documents match.
    const news = n === 0 ? first : mlNews(i * NEWS_PER_DOCUMENT + n);
    const paragraph = news.paragraphs.join(' ');
    paragraphs.push(paragraph);
    bytes += Buffer.byteLength(paragraph) + 2;
  }
  return { ...skeleton(i), title: first.title, text: paragraphs.join('\n\n') };
}

/** UTF-8 bytes of what the tagger reads of a document: its title and its text. */
export const taggedBytes = (d: DocumentInput) => Buffer.byteLength(d.title ?? '') + Buffer.byteLength(d.text);

/** A value in COPY's text format: backslash, tab, newline and carriage return escaped; null as \N. */
function cell(value: string | number | null): string {
  if (value === null) return '\\N';
  return String(value).replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}

/** Rows per write to the COPY stream (a few MB). */
const ROWS_PER_CHUNK = 500;

export interface Loaded {
  documents: number;
  /** Mean UTF-8 bytes of title + text per document. */
  meanBytes: number;
  ms: number;
}

/**
 * Store documents 0 to `count - 1` of source `sourceId` in the (migrated) database at `url`, as the parse
 * stage would store them (same content and text hashes), with one COPY, then ANALYZE so the planner knows
 * the table's size. `onProgress` is called with the documents written so far.
 */
export async function loadDocuments(
  url: string,
  sourceId: number,
  opts: { count: number; make: (i: number) => DocumentInput; onProgress?: (done: number) => void },
): Promise<Loaded> {
  const started = performance.now();
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  let bytes = 0;
  try {
    const copy = await sql`
      copy documents (source_id, guid, url, title, published_at, published_from, text, content_hash, text_hash)
      from stdin`.writable();
    // A chunk of rows at a time, as the stream asks for them: the documents are never all in memory.
    async function* rows() {
      for (let from = 0; from < opts.count; from += ROWS_PER_CHUNK) {
        const lines: string[] = [];
        for (let i = from; i < Math.min(opts.count, from + ROWS_PER_CHUNK); i++) {
          const d = opts.make(i);
          bytes += taggedBytes(d);
          const row = [sourceId, d.guid, d.url, d.title, d.publishedAt, d.publishedFrom, d.text];
          lines.push(`${[...row, contentHash(d), textHash(d.text)].map(cell).join('\t')}\n`);
        }
        yield lines.join('');
        opts.onProgress?.(Math.min(opts.count, from + ROWS_PER_CHUNK));
      }
    }
    await pipeline(Readable.from(rows()), copy);
    await sql`analyze documents`;
  } finally {
    await sql.end({ timeout: 5 });
  }
  return { documents: opts.count, meanBytes: bytes / opts.count, ms: performance.now() - started };
}
