import { gunzipSync } from 'node:zlib';
import type { FeedItem, ParsedFeed } from '@frameline/core';
import { toError } from '@frameline/core';
import { decodeBody, parseXml, type XmlElement } from '@frameline/parse';
import { parseFeed as rowanmanningParse } from '@rowanmanning/feed-parser';
import { parseFeed as feedsmithParse, MalformedError, ParseError } from 'feedsmith';
import Parser from 'rss-parser';
import { canonicalHtml } from './canonical-html.js';
import { parseWithFeedsmith } from './feedsmith-mode.js';
import { parseWithRowanmanning } from './rowanmanning-mode.js';
import { CAUSES, classifyFailure, type FailureCause } from './rss-parser-causes.js';
import { RSS_PARSER_CUSTOM_FIELDS, rssParserToParsedFeed, runRssParser } from './rss-parser-mode.js';
import {
  type CaseResult,
  judgeCase,
  notApplicableCase,
  type PlannedCase,
  planFeedparserSuite,
  runFeedparserSuite,
  type SuiteSummary,
  servedContentType,
  summarise,
} from './run.js';
import type { OurResult } from './translate.js';

/** Causes rss-parser never meets: it reads a `<feed>` with nothing it knows as a feed with nothing in it. */
const EXTRA_CAUSES = {
  emptyFeed: "exception: Atom <feed> with no child elements (feedparser's minimal test files)",
  nothingRead: 'exception: the document holds no element the parser reads',
} as const;

/**
 * The causes failures are sorted into ({@link classifyFailure}'s, worded for rss-parser in {@link CAUSES}, and
 * {@link EXTRA_CAUSES}); each parser words them its own way.
 */
export type CauseKey = keyof typeof CAUSES | keyof typeof EXTRA_CAUSES;

/** One group of a parser's failures. */
export interface CauseCount {
  key: CauseKey;
  cause: string;
  /** False when the checks are about something the parser cannot express at all. */
  expressible: boolean;
  count: number;
  /** How many of these cases our parser fails as well. */
  alsoFailOurs: number;
  paths: string[];
}

/** What a parser yields for one test file, with the decoded text it was given. */
export type AlternativeResult = OurResult & { text: string };

/**
 * A feed parser other than ours, run with our byte handling in front (gunzip, then `decodeBody` picks the
 * charset and decodes) and its output mapped into `ParsedFeed`.
 */
export interface AlternativeParser {
  /** The row's name, with the version measured. */
  name: string;
  /** Runs the parser on a test file's bytes; an exception is returned, not thrown. */
  run(bytes: Uint8Array, contentType: string | null): Promise<AlternativeResult>;
  /** A bytes → `ParsedFeed` function for throughput, set up once (it throws when the parser throws). */
  createParser(): (bytes: Uint8Array, contentType: string | null) => Promise<ParsedFeed>;
  /** The library alone on decoded text, its own output not mapped: what its own benchmarks measure. */
  createLibraryParser(): (text: string) => Promise<unknown>;
  /** This parser's wording of causes where rss-parser's ({@link CAUSES}) would describe it wrongly. */
  causes: Partial<Record<CauseKey, FailureCause>>;
  /** Sorts, by its own error classes, an exception the generic reading could not place; null leaves it. */
  classifyError?: (error: Error, root: XmlElement | null) => CauseKey | null;
}

function decoded(bytes: Uint8Array, contentType: string | null): { text: string; encoding: string } {
  const body = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  return decodeBody(body, contentType);
}

/** Puts an error's class and cause into its message (feedsmith says "Invalid feed format" for all three). */
function named(error: Error): Error {
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  if (error.name !== 'Error' && !error.message.startsWith(error.name))
    error.message = `${error.name}: ${error.message}${cause}`;
  return error;
}

/** An {@link AlternativeParser}'s two entry points for a synchronous text → `ParsedFeed` function. */
function synchronous(parse: (text: string) => ParsedFeed): Pick<AlternativeParser, 'run' | 'createParser'> {
  return {
    run: async (bytes, contentType) => {
      const { text, encoding } = decoded(bytes, contentType);
      try {
        return { feed: parse(text), error: null, encoding, text };
      } catch (err) {
        return { feed: null, error: named(toError(err)), encoding, text };
      }
    },
    createParser: () => async (bytes, contentType) => parse(decoded(bytes, contentType).text),
  };
}

/** rss-parser with the options `runRssParser` uses. */
function newRssParser(): Parser<Record<string, unknown>, Record<string, unknown>> {
  return new Parser({ defaultRSS: 2, customFields: RSS_PARSER_CUSTOM_FIELDS } as Parser.ParserOptions<
    Record<string, unknown>,
    Record<string, unknown>
  >);
}

/** rss-parser 3.13, the design card's parser, as `bench/parse-feedparser.ts` has always measured it. */
export const RSS_PARSER: AlternativeParser = {
  name: 'rss-parser 3.13',
  run: runRssParser,
  createParser: () => {
    const parser = newRssParser();
    return async (bytes, contentType) =>
      rssParserToParsedFeed(await parser.parseString(decoded(bytes, contentType).text));
  },
  createLibraryParser: () => {
    const parser = newRssParser();
    return (text) => parser.parseString(text);
  },
  causes: {},
};

/** Both libraries below parse with fast-xml-parser, which refuses some documents feedparser reads. */
const FXP_REFUSED: FailureCause = {
  cause:
    'exception: fast-xml-parser refused the document (ill-formed XML, or parameter entities in the DOCTYPE)',
  expressible: true,
};

/** feedsmith 3: fast-xml-parser underneath, RSS 0.9x–2.0, RDF, Atom 0.3/1.0 and JSON Feed detected by sniffing. */
export const FEEDSMITH: AlternativeParser = {
  name: 'feedsmith 3.0',
  ...synchronous(parseWithFeedsmith),
  createLibraryParser: () => async (text) => feedsmithParse(text),
  causes: {
    noChannel: {
      cause:
        "exception: <rss>/<rdf:RDF> with no <channel> (feedparser's minimal test files; feedsmith finds no feed)",
      expressible: true,
    },
    emptyFeed: {
      cause:
        "exception: Atom <feed> with no child elements (feedparser's minimal test files; feedsmith finds no feed)",
      expressible: true,
    },
    nothingRead: {
      cause:
        'exception: no element feedsmith reads (an item with only dc:author, xhtml:body or fullitem; Atom 0.3 info, copyright)',
      expressible: true,
    },
    prefixed: {
      cause: 'exception: RSS elements under a namespace prefix (feedsmith finds no <rss>/<channel>)',
      expressible: true,
    },
    illFormed: FXP_REFUSED,
    version: {
      cause: 'format version (feedsmith names the format, rss/atom/rdf, not the version)',
      expressible: false,
    },
    authorSplit: {
      cause:
        'author name/email, second author (dc:creator kept as one string; RSS <author> split its own way)',
      expressible: true,
    },
    markup: {
      cause: 'markup inside title/summary/content (mixed content, XHTML, escaped markup)',
      expressible: true,
    },
    base: {
      cause: 'relative URLs not resolved (no document URL input; xml:base values reported, never applied)',
      expressible: true,
    },
    mapping: {
      cause:
        'other: an element or rule feedsmith does not apply (guid as link, entities declared in the DOCTYPE)',
      expressible: true,
    },
  },
  // MalformedError wraps what fast-xml-parser threw; ParseError means it found nothing it reads (an empty
  // feed, or only elements it skips).
  classifyError: (error, root) => {
    if (error instanceof MalformedError) return 'illFormed';
    if (!(error instanceof ParseError)) return null;
    return root?.local === 'feed' && root.children.every((c) => typeof c === 'string')
      ? 'emptyFeed'
      : 'nothingRead';
  },
};

/** @rowanmanning/feed-parser 2: fast-xml-parser underneath, a lazy `Feed`/`FeedItem` object model. */
export const ROWANMANNING: AlternativeParser = {
  name: '@rowanmanning/feed-parser 2.1',
  ...synchronous(parseWithRowanmanning),
  // Its getters do the work when read; `toJSON()` reads them all.
  createLibraryParser: () => async (text) => rowanmanningParse(text).toJSON(),
  causes: {
    noChannel: {
      cause:
        "exception: <rss>/<rdf:RDF> with no <channel> (feedparser's minimal test files; it throws INVALID_FEED)",
      expressible: true,
    },
    prefixed: { cause: 'exception: RSS elements under a namespace prefix', expressible: true },
    illFormed: FXP_REFUSED,
    version: {
      cause: 'format version (its `meta.version` says 0.9 for RSS 0.90–0.94 and nothing for others)',
      expressible: false,
    },
    authorSplit: {
      cause: 'author name/email, second author (author strings split its own way)',
      expressible: true,
    },
    markup: {
      cause:
        'markup inside title/summary/content (text content flattened: child elements dropped, entities decoded twice)',
      expressible: true,
    },
    base: {
      cause:
        'relative URLs not resolved (no document URL input; xml:base applied to links only, not content or ids)',
      expressible: true,
    },
    mapping: {
      cause:
        'other: an element or rule it does not read (itunes:summary, rdf:about, fullitem, guid as link, media:title, ...)',
      expressible: true,
    },
  },
  // Its own refusals carry `code: 'INVALID_FEED'`; anything else comes from fast-xml-parser.
  classifyError: (error) => ((error as { code?: unknown }).code === 'INVALID_FEED' ? null : 'illFormed'),
};

/** The parsers `bench/parse-alternatives.ts` compares with ours, in the order it prints them. */
export const ALTERNATIVE_PARSERS: readonly AlternativeParser[] = [RSS_PARSER, FEEDSMITH, ROWANMANNING];

const WORDING: Record<CauseKey, string> = { ...CAUSES, ...EXTRA_CAUSES };
const CAUSE_KEYS = Object.keys(CAUSES) as (keyof typeof CAUSES)[];

/** The key of a cause as {@link classifyFailure} words it (an `otherException` carries the message). */
function keyOf(cause: string): CauseKey {
  return (
    CAUSE_KEYS.find((k) => CAUSES[k] === cause) ??
    (cause.startsWith(CAUSES.otherException) ? 'otherException' : 'mapping')
  );
}

/** Sorts one failing case: the generic reading, in the parser's words, its own error classes first. */
function causeOf(parser: AlternativeParser, planned: PlannedCase, result: AlternativeResult) {
  if (!planned.tree) throw new Error(`${planned.entry.path} is not applicable`);
  const generic = classifyFailure(planned.entry, planned.tree, result);
  let key = keyOf(generic.cause);
  // Only an exception the generic reading could not place (CDF, no channel, prefixed names) goes to the
  // parser's own error classes.
  const own =
    result.error && key === 'otherException'
      ? parser.classifyError?.(result.error, parseXml(result.text).root)
      : null;
  if (own) key = own;
  const worded = parser.causes[key];
  if (!worded) return { key, ...(own ? { cause: WORDING[key], expressible: true } : generic) };
  const suffix = key === 'otherException' && !own ? generic.cause.slice(CAUSES.otherException.length) : '';
  return { key, cause: worded.cause + suffix, expressible: worded.expressible };
}

/**
 * feedparser's minimal test documents: an `<rss>`/`<rdf:RDF>` without `<channel>` or an Atom `<feed>` without
 * children (the charset tests, mostly). Judged from the document alone, so it is the same set for every parser.
 */
export function isMinimalTestDocument(planned: PlannedCase): boolean {
  if (!planned.bytes) return false;
  const { root } = parseXml(decoded(planned.bytes, servedContentType(planned.entry)).text);
  if (root?.local === 'feed') return root.children.every((c) => typeof c === 'string');
  const hasChannel = (el: XmlElement): boolean =>
    el.children.some((c) => typeof c !== 'string' && (c.local === 'channel' || hasChannel(c)));
  return (root?.local === 'rss' || root?.local === 'rdf') && !hasChannel(root);
}

/** One parser over the applicable cases. */
export interface AlternativeRun {
  parser: string;
  summary: SuiteSummary;
  /** Its failures by cause, largest first. */
  causes: CauseCount[];
  /** Applicable cases on which it threw instead of returning a feed. */
  threw: number;
}

/**
 * Runs feedparser's applicable cases through `parser` and sorts its failures by cause; `ours` (the same cases
 * through our parser) says which failures we share. A parse exception fails every check of its case.
 */
export async function runAlternative(
  parser: AlternativeParser,
  planned: PlannedCase[],
  ours: SuiteSummary,
): Promise<AlternativeRun> {
  const oursByPath = new Map(ours.cases.map((c) => [c.path, c.status]));
  const cases: CaseResult[] = [];
  const causes = new Map<string, CauseCount>();
  let threw = 0;
  for (const p of planned) {
    if (!p.tree || !p.bytes) {
      cases.push(notApplicableCase(p));
      continue;
    }
    const result = await parser.run(p.bytes, servedContentType(p.entry));
    // judgeCase records an evaluation error as the result's error; count only what the parser threw.
    if (result.error) threw++;
    const judged = judgeCase(p, result);
    cases.push(judged);
    if (judged.status !== 'fail') continue;
    const { key, cause, expressible } = causeOf(parser, p, result);
    const group = causes.get(cause) ?? { key, cause, expressible, count: 0, alsoFailOurs: 0, paths: [] };
    group.count++;
    if (oursByPath.get(p.entry.path) === 'fail') group.alsoFailOurs++;
    group.paths.push(p.entry.path);
    causes.set(cause, group);
  }
  return {
    parser: parser.name,
    summary: summarise(cases),
    causes: [...causes.values()].sort((a, b) => b.count - a.count),
    threw,
  };
}

/** Our parser and each of `parsers` over the same applicable cases, in one run. */
export async function compareAlternatives(
  parsers: readonly AlternativeParser[] = ALTERNATIVE_PARSERS,
  planned: PlannedCase[] = planFeedparserSuite(),
): Promise<{ ours: SuiteSummary; runs: AlternativeRun[] }> {
  const ours = runFeedparserSuite(planned);
  const runs: AlternativeRun[] = [];
  for (const parser of parsers) runs.push(await runAlternative(parser, planned, ours));
  return { ours, runs };
}

/** Both parsers over the same applicable cases, measured in the same run. */
export interface Comparison {
  ours: SuiteSummary;
  rssParser: SuiteSummary;
  /** rss-parser's failures by cause, largest first. */
  causes: CauseCount[];
}

/**
 * Runs feedparser's applicable cases through our parser and through rss-parser 3.13 with our byte handling in
 * front, and sorts rss-parser's failures by cause. A parse exception fails every check of its case.
 */
export async function compareWithRssParser(
  planned: PlannedCase[] = planFeedparserSuite(),
): Promise<Comparison> {
  const ours = runFeedparserSuite(planned);
  const { summary, causes } = await runAlternative(RSS_PARSER, planned, ours);
  return { ours, rssParser: summary, causes };
}

const ITEM_FIELDS = ['id', 'title', 'link', 'published', 'updated', 'summary', 'content', 'authors'] as const;

/** Whether one item field says the same in both results, compared as the suite compares it. */
function sameField(field: (typeof ITEM_FIELDS)[number], a: FeedItem, b: FeedItem): boolean {
  switch (field) {
    case 'summary':
    case 'content': {
      const x = a[field];
      const y = b[field];
      return x === y || (x !== null && y !== null && canonicalHtml(x) === canonicalHtml(y));
    }
    case 'updated': // as the suite reads it: an item without an update date was updated when published
      return (a.updated ?? a.published) === (b.updated ?? b.published);
    case 'authors': {
      const key = (i: FeedItem) => JSON.stringify(i.authors.map((x) => [x.name, x.email]).sort());
      return key(a) === key(b);
    }
    default:
      return (a[field]?.trim() ?? null) === (b[field]?.trim() ?? null);
  }
}

/**
 * How many of our items' fields another parser's result gives alike (HTML compared by canonical markup, authors
 * as a set), item by item in document order; a missing item or a thrown error disagrees on every field.
 */
export function agreementWithOurs(
  ours: ParsedFeed,
  theirs: ParsedFeed | null,
): { equal: number; total: number } {
  let equal = 0;
  for (const [i, item] of ours.items.entries()) {
    const other = theirs?.items[i];
    if (other) for (const field of ITEM_FIELDS) if (sameField(field, item, other)) equal++;
  }
  return { equal, total: ours.items.length * ITEM_FIELDS.length };
}
