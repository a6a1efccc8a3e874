import { gunzipSync } from 'node:zlib';
import type { Author, FeedItem, ParsedFeed } from '@frameline/core';
import { toError } from '@frameline/core';
import { decodeBody, titleText } from '@frameline/parse';
import Parser from 'rss-parser';
import type { OurResult } from './translate.js';

/**
 * The design card's parser, rss-parser 3.13, with our byte handling in front (gunzip, then `decodeBody` picks
 * the charset and decodes), mapped into `ParsedFeed` as faithfully as its output allows. Only documented options
 * are used: `customFields` exposes elements it reads but does not map by default.
 */
export const RSS_PARSER_CUSTOM_FIELDS = {
  /** Atom 1.0 `subtitle` and Atom 0.3 `tagline` (the feed description); RSS `description` is mapped already. */
  feed: ['subtitle', 'tagline'],
  /**
   * `description` (RSS; rss-parser files it under `content`, this tells an RSS description from Atom content),
   * `dc:description`, `updated`/`modified` (Atom 1.0/0.3 update dates), `issued` (Atom 0.3 publication date),
   * `dcterms:issued`/`dcterms:modified`, and every `author` element (`keepArray`) so Atom's `<email>` is
   * reachable. Mapped by default: `content:encoded`, `dc:date` (→ `isoDate`), `dc:creator` (→ `creator`),
   * `rdf:about`, and the `itunes` block.
   */
  item: [
    'description',
    'dc:description',
    'updated',
    'modified',
    'issued',
    'dcterms:issued',
    'dcterms:modified',
    ['author', 'authorElements', { keepArray: true }],
  ],
};

type Loose = Record<string, unknown>;

/** A string value as rss-parser gives it; an object (an element it could not flatten) is nothing. */
function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/** Whitespace-only normalisation, generous to rss-parser: our own mapper collapses it as well. */
function collapsed(v: unknown): string | null {
  const s = str(v)?.replace(/\s+/g, ' ').trim();
  return s ? s : null;
}

/**
 * rss-parser rebuilds an element it could not flatten (XHTML content) with xml2js's Builder, wrapped in a
 * `<div>` carrying the element's own attributes (`<div type="xhtml"><div xmlns="…xhtml">…</div></div>`).
 * Generous to rss-parser: drop that wrapper, and for Atom 1.0 XHTML the XHTML div (as the spec and feedparser
 * do), so only what the rebuild itself changed (order, dropped text) is judged.
 */
function unwrapRebuilt(html: string | null): string | null {
  if (html === null) return null;
  const outer = /^<div((?: [\w:-]+="[^"]*")+)>([\s\S]*)<\/div>$/.exec(html);
  if (!outer || !/ (?:type|mode)="/.test(outer[1] ?? '')) return html;
  const inner = outer[2] ?? '';
  // Atom 1.0 `type="xhtml"` content is the XHTML div's children (RFC 4287 §3.1.1.3); Atom 0.3 keeps the div.
  if (!/ type="xhtml"/.test(outer[1] ?? '')) return inner;
  const xhtml = /^<div xmlns="http:\/\/www\.w3\.org\/1999\/xhtml">([\s\S]*)<\/div>$/.exec(inner);
  return xhtml ? (xhtml[1] ?? '') : inner;
}

function itunes(v: unknown, key: string): unknown {
  return typeof v === 'object' && v !== null ? (v as Loose)[key] : undefined;
}

/** A date to ISO 8601 UTC without milliseconds (our shape), read with JavaScript's `Date` as rss-parser does. */
function isoOf(v: unknown): string | null {
  const s = str(v)?.trim();
  if (!s) return null;
  const t = new Date(s);
  return Number.isNaN(t.getTime()) ? null : t.toISOString().replace('.000Z', 'Z');
}

/** `<name>` / `<email>` of an Atom author element as xml2js gives it (`{ name: ['x'], email: ['y'] }`). */
function childText(el: unknown, name: string): string | null {
  if (typeof el !== 'object' || el === null) return null;
  const v = (el as Loose)[name];
  const first = Array.isArray(v) ? v[0] : undefined;
  return collapsed(typeof first === 'object' && first !== null ? (first as Loose)._ : first);
}

function authorsOf(item: Loose): Author[] {
  const elements = Array.isArray(item.authorElements) ? item.authorElements : [];
  const atom = elements
    .filter((el) => typeof el === 'object' && el !== null)
    .map((el) => ({ name: childText(el, 'name'), email: childText(el, 'email') }))
    .filter((a) => a.name !== null || a.email !== null);
  if (atom.length > 0) return atom;
  // RSS `<author>` and `<dc:creator>` arrive as one string (`creator`), never split into name and email.
  const creator =
    collapsed(item.creator) ?? collapsed(item.author) ?? collapsed(itunes(item.itunes, 'author'));
  return creator ? [{ name: creator, email: null }] : [];
}

function mapItem(item: Loose): FeedItem {
  // rss-parser files an RSS `<description>` under `content`; the custom `description` field says which it was.
  const fromDescription = item.description !== undefined;
  const published =
    isoOf(item.isoDate) ?? isoOf(item.pubDate) ?? isoOf(item.issued) ?? isoOf(item['dcterms:issued']);
  const summary =
    str(item.summary) ??
    (fromDescription ? str(item.content) : null) ??
    str(item['dc:description']) ??
    str(itunes(item.itunes, 'summary'));
  return {
    id: collapsed(item.guid) ?? collapsed(item.id) ?? collapsed(item['rdf:about']),
    title: titleText(str(item.title), false),
    link: collapsed(item.link),
    published,
    updated: isoOf(item.updated) ?? isoOf(item.modified) ?? isoOf(item['dcterms:modified']),
    summary: unwrapRebuilt(summary),
    content: unwrapRebuilt(str(item['content:encoded']) ?? (fromDescription ? null : str(item.content))),
    authors: authorsOf(item),
  };
}

/**
 * rss-parser's output mapped into our shape; it names no format or version, so those stay unknown. Titles go
 * through our `titleText` (ParsedFeed titles are plain text), as any caller filling our shape would need.
 */
export function rssParserToParsedFeed(out: Loose): ParsedFeed {
  const items = Array.isArray(out.items) ? (out.items as Loose[]) : [];
  return {
    format: 'rss', // not exposed by rss-parser; the harness never checks `format`
    version: null,
    title: titleText(str(out.title), false),
    link: collapsed(out.link),
    description:
      str(out.description) ??
      str(out.subtitle) ??
      str(out.tagline) ??
      str(itunes(out.itunes, 'summary')) ??
      str(itunes(out.itunes, 'subtitle')),
    items: items.map(mapItem),
  };
}

/** rss-parser never answering would end the process silently with the promise pending; give it a bound. */
const PARSE_TIMEOUT_MS = 10_000;

/** Decodes `bytes` with our byte handling, parses the text with rss-parser and maps the result. */
export async function runRssParser(
  bytes: Uint8Array,
  contentType: string | null,
): Promise<OurResult & { text: string }> {
  const body = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  const { text, encoding } = decodeBody(body, contentType);
  const parser = new Parser({
    // Documented: read an `<rss>` with no (or an unknown) version attribute as RSS 2.0 instead of refusing it.
    defaultRSS: 2,
    customFields: RSS_PARSER_CUSTOM_FIELDS,
  } as Parser.ParserOptions<Loose, Loose>);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('rss-parser gave no answer')), PARSE_TIMEOUT_MS);
  });
  try {
    const out = await Promise.race([parser.parseString(text), timeout]);
    return { feed: rssParserToParsedFeed(out as Loose), error: null, encoding, text };
  } catch (err) {
    return { feed: null, error: toError(err), encoding, text };
  } finally {
    clearTimeout(timer);
  }
}
