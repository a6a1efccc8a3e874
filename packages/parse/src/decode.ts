import chardet from 'chardet';
import iconv from 'iconv-lite';

/** The result of turning a body's bytes into text. */
export interface DecodedBody {
  text: string;
  /** The encoding the text was decoded with (lower case, e.g. `utf-8`, `windows-1251`). */
  encoding: string;
  /** The charset the server or document declared (HTTP charset, else the XML prolog's), or null. */
  declared: string | null;
}

const APPLICATION_XML = new Set([
  'application/xml',
  'application/xml-dtd',
  'application/xml-external-parsed-entity',
]);
const TEXT_XML = new Set(['text/xml', 'text/xml-external-parsed-entity']);
const JSON_TYPES = new Set(['application/feed+json', 'application/json']);
/** Encoding names a prolog may give that only say "some UTF-16/32": the BOM or byte pattern says which. */
const UNSIZED_UNICODE = new Set([
  'u16',
  'utf-16',
  'utf16',
  'utf_16',
  'u32',
  'utf-32',
  'utf32',
  'utf_32',
  'iso-10646-ucs-2',
  'iso-10646-ucs-4',
  'csucs4',
  'csunicode',
  'ucs-2',
  'ucs-4',
]);

/** Splits a Content-Type header into its media type and charset parameter (quotes stripped). */
export function parseContentType(header: string | null | undefined): { mediaType: string; charset: string } {
  const chunks = (header ?? '').split(';');
  const mediaType = (chunks[0] ?? '').trim().toLowerCase();
  let charset = '';
  for (const chunk of chunks.slice(1)) {
    const eq = chunk.indexOf('=');
    if (eq < 0) continue;
    if (chunk.slice(0, eq).trim().toLowerCase() === 'charset') {
      charset = chunk
        .slice(eq + 1)
        .trim()
        .replace(/^["']+|["']+$/g, '');
    }
  }
  return { mediaType, charset };
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  if (bytes.length < prefix.length) return false;
  return prefix.every((b, i) => bytes[i] === b);
}

/** Sniffs a byte-order mark (stripped) or the UTF-16/32 pattern of `<?`, as XML 1.0 appendix F describes. */
function sniffBom(bytes: Uint8Array): { bom: string; skip: number } {
  if (startsWith(bytes, [0x00, 0x00, 0xfe, 0xff])) return { bom: 'utf-32be', skip: 4 };
  if (startsWith(bytes, [0xff, 0xfe, 0x00, 0x00])) return { bom: 'utf-32le', skip: 4 };
  if (startsWith(bytes, [0xfe, 0xff])) return { bom: 'utf-16be', skip: 2 };
  if (startsWith(bytes, [0xff, 0xfe])) return { bom: 'utf-16le', skip: 2 };
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return { bom: 'utf-8', skip: 3 };
  if (startsWith(bytes, [0x00, 0x3c, 0x00, 0x3f])) return { bom: 'utf-16be', skip: 0 };
  if (startsWith(bytes, [0x3c, 0x00, 0x3f, 0x00])) return { bom: 'utf-16le', skip: 0 };
  if (startsWith(bytes, [0x00, 0x00, 0x00, 0x3c])) return { bom: 'utf-32be', skip: 0 };
  if (startsWith(bytes, [0x3c, 0x00, 0x00, 0x00])) return { bom: 'utf-32le', skip: 0 };
  return { bom: '', skip: 0 };
}

/** The encoding named in the XML declaration, read from the first bytes decoded as `bom` (or ASCII). */
function prologEncoding(bytes: Uint8Array, bom: string): string {
  const head = bytes.subarray(0, 1024);
  let text: string;
  if (bom && bom !== 'utf-8') text = iconv.decode(Buffer.from(head), bom);
  else text = Buffer.from(head).toString('latin1');
  const match = /^<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["'][^>]*\?>/.exec(text);
  return match?.[1]?.trim().toLowerCase() ?? '';
}

function canonical(name: string): string {
  const lower = name.trim().toLowerCase();
  if (lower === 'gb2312' || lower === 'gbk' || lower === 'x-gbk') return 'gb18030';
  if (lower === 'utf8') return 'utf-8';
  if (lower === 'ascii') return 'us-ascii';
  return lower;
}

/**
 * Decodes `bytes` with `encoding` the way Python's codecs do: undecodable input is a failure (null), not
 * replacement characters, so the caller can fall through to the next candidate as feedparser does.
 */
function tryDecode(bytes: Uint8Array, encoding: string): string | null {
  if (encoding === 'us-ascii') {
    for (const b of bytes) if (b > 0x7f) return null;
    return Buffer.from(bytes).toString('latin1');
  }
  if (encoding === 'utf-8') {
    try {
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      return null;
    }
  }
  if (!iconv.encodingExists(encoding)) return null;
  if (encoding.startsWith('utf-16') && bytes.length % 2 !== 0) return null;
  if (encoding.startsWith('utf-32') && bytes.length % 4 !== 0) return null;
  const text = iconv.decode(Buffer.from(bytes), encoding, { stripBOM: false });
  // iconv-lite replaces what it cannot map; a legacy encoding never yields U+FFFD legitimately.
  return text.includes('\uFFFD') ? null : text;
}

function isSingleByte(encoding: string): boolean {
  return /^(?:iso-8859-\d+|windows-125\d|cp125\d|latin-?1|us-ascii|koi8-[ru])$/.test(encoding);
}

function isMultiByteUtf8(bytes: Uint8Array): boolean {
  if (!bytes.some((b) => b >= 0x80)) return false;
  return tryDecode(bytes, 'utf-8') !== null;
}

function detect(bytes: Uint8Array): string {
  const guess = chardet.detect(bytes.subarray(0, 64 * 1024));
  return guess ? canonical(guess) : '';
}

/**
 * Turns a response body into text, choosing the charset as feedparser does (RFC 3023 with its fallbacks):
 * a byte-order mark decides first; then for `application/xml` and `application/*+xml` the HTTP charset, else
 * the XML prolog, else UTF-8; for `text/xml` and `text/*+xml` only the HTTP charset, else US-ASCII; for JSON
 * the HTTP charset, else UTF-8; with no Content-Type the prolog, else UTF-8. When that encoding cannot decode
 * the bytes, the prolog's, a statistical guess, UTF-8, windows-1252 and ISO-8859-2 are tried in turn.
 */
export function decodeBody(bytes: Uint8Array, contentType?: string | null): DecodedBody {
  const { bom, skip } = sniffBom(bytes);
  const body = bytes.subarray(skip);
  let xmlEncoding = prologEncoding(body, bom);
  if (bom && UNSIZED_UNICODE.has(xmlEncoding)) xmlEncoding = bom;
  const { mediaType, charset } = parseContentType(contentType);
  const httpEncoding = charset.toLowerCase();

  let primary: string;
  if (
    APPLICATION_XML.has(mediaType) ||
    (mediaType.startsWith('application/') && mediaType.endsWith('+xml'))
  ) {
    primary = httpEncoding || xmlEncoding || 'utf-8';
  } else if (TEXT_XML.has(mediaType) || (mediaType.startsWith('text/') && mediaType.endsWith('+xml'))) {
    primary = httpEncoding || 'us-ascii';
  } else if (JSON_TYPES.has(mediaType)) {
    primary = httpEncoding || 'utf-8';
  } else if (mediaType.startsWith('text/')) {
    // text/html and friends: a page's own <meta charset> is more often right than the RFC default.
    primary = httpEncoding || xmlEncoding || htmlMetaCharset(body) || 'utf-8';
  } else {
    primary = httpEncoding || xmlEncoding || 'utf-8';
  }
  const declared = httpEncoding || xmlEncoding || null;
  // A prolog naming a legacy single-byte charset over a body that is valid multi-byte UTF-8 is a stale
  // prolog (common after a CMS migration): legacy text practically never forms valid UTF-8 sequences.
  if (!httpEncoding && !bom && primary === xmlEncoding && isSingleByte(primary) && isMultiByteUtf8(body)) {
    primary = 'utf-8';
  }

  // A BOM is unambiguous; feedparser honours it too whenever the declared charset cannot decode the body.
  const candidates = [bom, primary, xmlEncoding, () => detect(body), 'utf-8', 'windows-1252', 'iso-8859-2'];
  const tried = new Set<string>();
  for (const candidate of candidates) {
    const name = canonical(typeof candidate === 'function' ? candidate() : candidate);
    if (!name || tried.has(name)) continue;
    tried.add(name);
    const text = tryDecode(body, name);
    if (text !== null) return { text: demoroniseC1(text), encoding: name, declared };
  }
  // iso-8859-2 maps every byte, so this is only reached for an empty candidate list; keep it total anyway.
  return { text: Buffer.from(body).toString('latin1'), encoding: 'iso-8859-1', declared };
}

/**
 * The Content-Type to decode an HTML page by: the server's when it is a text type (its charset, if any,
 * decides), else `text/html`, so that the page's own `<meta charset>` is read.
 */
export function htmlContentType(contentType: string | null | undefined): string {
  return contentType && /^\s*text\//i.test(contentType) ? contentType : 'text/html';
}

/** The charset of an HTML page's `<meta charset>` or `<meta http-equiv content>`, from its first 2 KiB. */
function htmlMetaCharset(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.subarray(0, 2048)).toString('latin1');
  const match = /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head);
  return match?.[1]?.toLowerCase() ?? '';
}

/** windows-1252's characters for 0x80–0x9F, which documents mean when C1 control characters appear in text. */
const CP1252_C1 =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

/** Replaces C1 control characters (never meant as such in feeds) with the windows-1252 characters intended. */
export function demoroniseC1(text: string): string {
  if (!/[\u0080-\u009f]/.test(text)) return text;
  return text.replace(/[\u0080-\u009f]/g, (c) => CP1252_C1[c.charCodeAt(0) - 0x80] ?? c);
}

const UTF8_FATAL = new TextDecoder('utf-8', { fatal: true });

/**
 * Repairs UTF-8 that was read as windows-1252/ISO-8859-1 and encoded again ("â€¦" for "…"): when a value's
 * characters all exist in windows-1252 and their bytes form valid multi-byte UTF-8, the UTF-8 reading is
 * meant. Plain Latin-1 text ("café") is not valid UTF-8 as bytes, so it is left alone.
 */
export function repairDoubleEncoded(text: string): string {
  if (
    !/[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]/.test(
      text,
    )
  ) {
    return text;
  }
  const bytes = iconv.encode(text, 'windows-1252');
  if (iconv.decode(bytes, 'windows-1252') !== text) return text;
  try {
    return UTF8_FATAL.decode(bytes);
  } catch {
    return text;
  }
}
