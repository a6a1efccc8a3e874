import type { Author } from '@frameline/core';
import { DecodingMode, decodeHTML, escapeAttribute } from 'entities';
import { htmlToText } from './html-text.js';
import { resolveUrl } from './xml-tree.js';

const LOOKS_LIKE_HTML = /<\/?[a-z][^>]*>|&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i;

/** A title as plain text: markup (when the value is HTML or merely looks like it) removed, trimmed. */
export function titleText(value: string | null, isHtml: boolean): string | null {
  if (value === null) return null;
  const text =
    isHtml || LOOKS_LIKE_HTML.test(value) ? htmlToText(value, 'inline') : value.replace(/\s+/g, ' ').trim();
  return text === '' ? null : text;
}

/** A value trimmed, or null when nothing is left. */
export function nonEmpty(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** Attributes whose values are URIs, per element, as feedparser's relative-URI resolver lists them. */
const URI_ATTRIBUTES =
  /(\s)(href|src|cite|action|background|longdesc|poster|usemap|codebase|data|profile|classid)(\s*=\s*)("[^"]*"|'[^']*'|[^\s>"']+)/gi;
const ABSOLUTE = /^[a-z][a-z0-9+.-]*:/i;

/** Rewrites relative URIs in an HTML fragment's href/src/... attributes against `base`. */
export function resolveHtmlUrls(html: string, base: string | null): string {
  if (
    !base ||
    !/\s(?:href|src|cite|action|background|longdesc|poster|usemap|codebase|data|profile|classid)\s*=/i.test(
      html,
    )
  )
    return html;
  return html.replace(/<[a-z][a-z0-9]*\b[^>]*>/gi, (tag) =>
    tag.replace(URI_ATTRIBUTES, (whole, space: string, name: string, eq: string, quoted: string) => {
      const quote = quoted.startsWith('"') || quoted.startsWith("'") ? quoted[0] : '';
      const raw = quote ? quoted.slice(1, -1) : quoted;
      const value = decodeHTML(raw, DecodingMode.Attribute).trim();
      if (value === '' || ABSOLUTE.test(value)) return whole;
      const resolved = resolveUrl(value, base);
      if (!resolved) return whole;
      return `${space}${name}${eq}${quote || '"'}${escapeAttribute(resolved)}${quote || '"'}`;
    }),
  );
}

const EMAIL = /[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+/;

/**
 * Reads a person from the forms feeds use: `email (Name)`, `Name <email>`, `Name (email)`, a bare email or a
 * bare name.
 */
export function parseAuthor(raw: string | null | undefined): Author | null {
  const value = nonEmpty(raw);
  if (!value) return null;
  const emailMatch = EMAIL.exec(value);
  if (!emailMatch) return { name: value.replace(/\s+/g, ' '), email: null };
  const email = emailMatch[0];
  let name = value
    .replace(/mailto:/i, '')
    .replace(email, '')
    .replace(/\(\s*\)|<\s*>|\[\s*\]/g, '')
    .replace(/^[\s(<[]+|[\s)>\]]+$/g, '')
    .trim();
  name = name.replace(/^\((.*)\)$/, '$1').trim();
  return { name: name === '' ? null : name.replace(/\s+/g, ' '), email };
}
