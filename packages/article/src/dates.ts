// Date strings from meta tags, JSON-LD and <time> into ISO 8601 UTC. A string we cannot read gives null;
// nothing here ever falls back to the current time.

const LOCAL_ISO = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/;
const OFFSET_NO_COLON = /([+-]\d{2})(\d{2})$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const HAS_ZONE = /(?:\b(?:GMT|UTC|UT|Z|[ECMP][SD]T)\b|[+-]\d{2}:?\d{2}\s*$|Z$)/;

/**
 * Parses an ISO 8601 or RFC 2822 date. A date-time without an offset is read as UTC (the page gives no
 * better clue, and the host's zone must not leak into the result).
 */
export function toIsoDate(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let s = raw.trim();
  if (s === '') return null;
  const compact = COMPACT.exec(s);
  if (compact) s = `${compact[1]}-${compact[2]}-${compact[3]}`;
  const local = LOCAL_ISO.exec(s);
  if (local) s = `${local[1]}T${local[2]}Z`;
  else if (/^\d{4}-\d{2}-\d{2}T/.test(s)) s = s.replace(OFFSET_NO_COLON, '$1:$2');
  else if (!/^\d{4}-\d{2}-\d{2}$/.test(s) && !HAS_ZONE.test(s)) s = `${s} UTC`;
  if (!/\d{4}/.test(s)) return null;
  const ms = Date.parse(s);
  if (Number.isNaN(ms)) return null;
  const year = new Date(ms).getUTCFullYear();
  if (year < 1970 || year > 2200) return null;
  return new Date(ms).toISOString();
}
