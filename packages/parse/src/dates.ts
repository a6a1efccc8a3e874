/**
 * Date strings found in feeds → ISO 8601 UTC. Covers RFC 822/2822 (with its many real-world deviations),
 * W3C-DTF/ISO 8601 (extended and basic forms, ordinal dates), asctime, Perforce, and the Greek, Korean and
 * Hungarian forms feedparser reads. Anything unrecognised is null: a date is never invented. The one date
 * reader of frameline: feeds, article pages (meta tags, JSON-LD, <time>) and the CLI's flags all use it.
 */

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

/** Zone names RFC 822 and common practice use, in minutes east of UTC. */
const ZONES: Record<string, number> = {
  ut: 0,
  utc: 0,
  gmt: 0,
  z: 0,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
  ast: -240,
  adt: -180,
  akst: -540,
  akdt: -480,
  hst: -600,
  bst: 60,
  cet: 60,
  cest: 120,
  met: 60,
  mest: 120,
  eet: 120,
  eest: 180,
  wet: 0,
  west: 60,
  ist: 330,
  jst: 540,
  kst: 540,
  hkt: 480,
  sgt: 480,
  aest: 600,
  aedt: 660,
  nzst: 720,
  nzdt: 780,
};

const GREEK_MONTHS: Record<string, string> = {
  Ιαν: 'Jan',
  Φεβ: 'Feb',
  Μάώ: 'Mar',
  Μαώ: 'Mar',
  Απρ: 'Apr',
  Μάι: 'May',
  Μαϊ: 'May',
  Μαι: 'May',
  Ιούν: 'Jun',
  Ιον: 'Jun',
  Ιούλ: 'Jul',
  Ιολ: 'Jul',
  Αύγ: 'Aug',
  Αυγ: 'Aug',
  Σεπ: 'Sep',
  Οκτ: 'Oct',
  Νοέ: 'Nov',
  Νοε: 'Nov',
  Δεκ: 'Dec',
};
const GREEK_DAYS: Record<string, string> = {
  Κυρ: 'Sun',
  Δευ: 'Mon',
  Τρι: 'Tue',
  Τετ: 'Wed',
  Πεμ: 'Thu',
  Παρ: 'Fri',
  Σαβ: 'Sat',
};
const HUNGARIAN_MONTHS: Record<string, number> = {
  január: 1,
  február: 2,
  március: 3,
  április: 4,
  máujus: 5,
  május: 5,
  június: 6,
  július: 7,
  augusztus: 8,
  szeptember: 9,
  október: 10,
  november: 11,
  december: 12,
};

/** The years a date of a feed, page or announcement may have. */
export const EARLIEST_YEAR = 1970;
export const LATEST_YEAR = 2200;

function toIso(
  parts: { y: number; mo: number; d: number; h?: number; mi?: number; s?: number; ms?: number },
  offsetMinutes: number,
): string | null {
  const { y, mo, d, h = 0, mi = 0, s = 0, ms = 0 } = parts;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 61) return null;
  // Nothing frameline reads was written before 1970 or after 2200: such a year is a broken value ("0001",
  // which Date.UTC would also turn into 1901), not a date.
  if (y < EARLIEST_YEAR || y > LATEST_YEAR) return null;
  const utc = Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59), ms) - offsetMinutes * 60_000;
  if (!Number.isFinite(utc)) return null;
  // Reject roll-overs such as 31 February, which Date.UTC would silently move into March.
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCDate() !== d) return null;
  const date = new Date(utc);
  return date.toISOString().replace('.000Z', 'Z');
}

function fullYear(year: string): number {
  const n = Number(year);
  if (year.length === 2) return n < 70 ? 2000 + n : 1900 + n;
  if (year.length === 3) return 1900 + n;
  return n;
}

function zoneOffset(zone: string | undefined): number | null {
  if (!zone) return 0;
  const z = zone.trim().toLowerCase();
  if (z === '') return 0;
  const numeric = /^(?:gmt|utc|ut)?([+-])(\d{1,2}):?(\d{2})?$/.exec(z);
  if (numeric) {
    const sign = numeric[1] === '-' ? -1 : 1;
    return sign * (Number(numeric[2]) * 60 + Number(numeric[3] ?? 0));
  }
  if (z in ZONES) return ZONES[z] ?? 0;
  // RFC 822 military zones: A–I, K–M are east (+1…+12), N–Y west (−1…−12), Z is UTC.
  if (/^[a-ik-y]$/.test(z)) {
    const c = z.charCodeAt(0);
    if (c <= 105) return (c - 96) * 60;
    if (c <= 109) return (c - 97) * 60;
    return -(c - 109) * 60;
  }
  return null;
}

const ISO_RE =
  /^(\d{4})(?:-?(\d{2})(?:-?(\d{2}))?|-?(\d{3}))?(?:[T\s]+(\d{1,2})(?::?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

function parseIso(value: string): string | null {
  const m = ISO_RE.exec(value);
  if (!m) return null;
  const [, y, mo, d, ordinal, h, mi, s, frac, zone] = m;
  let month = mo ? Number(mo) : 1;
  let day = d ? Number(d) : 1;
  if (ordinal) {
    const date = new Date(Date.UTC(Number(y), 0, Number(ordinal)));
    month = date.getUTCMonth() + 1;
    day = date.getUTCDate();
  }
  const offset = zoneOffset(zone?.toUpperCase() === 'Z' ? 'z' : zone);
  if (offset === null) return null;
  return toIso(
    {
      y: Number(y),
      mo: month,
      d: day,
      h: h ? Number(h) : 0,
      mi: mi ? Number(mi) : 0,
      s: s ? Number(s) : 0,
      ms: frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0, // truncated, as Date.parse does
    },
    offset,
  );
}

/** Two-digit-year ISO forms feedparser accepts, e.g. `03-12-31` or `031231`. */
function parseShortIso(value: string): string | null {
  const m = /^(\d{2})-?(\d{2})-?(\d{2})(?:T(\d{2}):?(\d{2})(?::?(\d{2}))?)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(
    value,
  );
  if (!m) return null;
  const offset = zoneOffset(m[7]);
  if (offset === null) return null;
  return toIso(
    {
      y: fullYear(m[1] ?? ''),
      mo: Number(m[2]),
      d: Number(m[3]),
      h: Number(m[4] ?? 0),
      mi: Number(m[5] ?? 0),
      s: Number(m[6] ?? 0),
    },
    offset,
  );
}

const RFC822_RE =
  /^(?:[a-z]+\.?,?\s*)?(\d{1,2})(?:\s+|-)([a-z]+)\.?(?:\s+|-)(\d{2,4})(?:[\sT,]+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?(?:\.\d+)?)?\s*(?:\(?([a-z]{1,5}|(?:gmt|utc|ut)?[+-]\d{1,2}:?\d{0,2})\)?)?\s*(?:\([^)]*\))?$/i;

function parseRfc822(value: string): string | null {
  const m = RFC822_RE.exec(value.replace(/\s+/g, ' ').trim());
  if (!m) return null;
  const [, d, monthName, y, h, mi, s, zone] = m;
  const month = MONTHS[(monthName ?? '').slice(0, 3).toLowerCase()];
  if (!month) return null;
  const offset = zoneOffset(zone);
  if (offset === null) return null;
  return toIso(
    {
      y: fullYear(y ?? ''),
      mo: month,
      d: Number(d),
      h: Number(h ?? 0),
      mi: Number(mi ?? 0),
      s: Number(s ?? 0),
    },
    offset,
  );
}

/** RFC 822 with the month first (`Thu, Jan 01 2004 19:48:21 GMT`) and asctime (`Sun Jan  4 16:29:06 2004`). */
function parseMonthFirst(value: string): string | null {
  const v = value.replace(/\s+/g, ' ').trim();
  const asctime =
    /^(?:[a-z]+,? )?([a-z]+) (\d{1,2}),? (?:(\d{1,2}):(\d{2})(?::(\d{2}))? (?:([a-z]+|[+-]\d{4}) )?(\d{4})|(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?(?: ([a-z]+|[+-]\d{2}:?\d{2}))?)$/i.exec(
      v,
    );
  if (!asctime) return null;
  const month = MONTHS[(asctime[1] ?? '').slice(0, 3).toLowerCase()];
  if (!month) return null;
  const day = Number(asctime[2]);
  if (asctime[7]) {
    const offset = zoneOffset(asctime[6]);
    if (offset === null) return null;
    return toIso(
      {
        y: Number(asctime[7]),
        mo: month,
        d: day,
        h: Number(asctime[3]),
        mi: Number(asctime[4]),
        s: Number(asctime[5] ?? 0),
      },
      offset,
    );
  }
  const offset = zoneOffset(asctime[12]);
  if (offset === null) return null;
  return toIso(
    {
      y: Number(asctime[8]),
      mo: month,
      d: day,
      h: Number(asctime[9] ?? 0),
      mi: Number(asctime[10] ?? 0),
      s: Number(asctime[11] ?? 0),
    },
    offset,
  );
}

/** Perforce: `Fri, 2006/09/15 08:19:53 EDT`; also plain `2004/01/01 19:48:21`. */
function parseSlashed(value: string): string | null {
  const m =
    /^(?:[a-z]+,?\s+)?(\d{4})\/(\d{1,2})\/(\d{1,2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*([a-z]+|[+-]\d{2}:?\d{2})?$/i.exec(
      value.trim(),
    );
  if (!m) return null;
  const offset = zoneOffset(m[7]);
  if (offset === null) return null;
  return toIso(
    {
      y: Number(m[1]),
      mo: Number(m[2]),
      d: Number(m[3]),
      h: Number(m[4] ?? 0),
      mi: Number(m[5] ?? 0),
      s: Number(m[6] ?? 0),
    },
    offset,
  );
}

/** Korean OnBlog (`2004-05-25 오후 11:23:17`) and Nate (`2004년 05월 28일  01:31:15`) forms, in KST. */
function parseKorean(value: string): string | null {
  const onblog = /^(\d{4})년\s*(\d{2})월\s*(\d{2})일\s+(\d{2}):(\d{2}):(\d{2})$/.exec(value.trim());
  if (onblog) {
    const [, y, mo, d, h, mi, s] = onblog.map(Number) as number[];
    return toIso({ y: y ?? 0, mo: mo ?? 0, d: d ?? 0, h, mi, s }, 540);
  }
  const nate = /^(\d{4})-(\d{2})-(\d{2})\s+(오전|오후)\s+(\d{1,2}):(\d{2}):(\d{2})$/.exec(value.trim());
  if (nate) {
    let h = Number(nate[5]);
    if (nate[4] === '오후' && h < 12) h += 12;
    return toIso(
      {
        y: Number(nate[1]),
        mo: Number(nate[2]),
        d: Number(nate[3]),
        h,
        mi: Number(nate[6]),
        s: Number(nate[7]),
      },
      540,
    );
  }
  return null;
}

/** Greek: `Κυρ, 11 Ιούλ 2004 12:00:00 EST` → translate names, then RFC 822. */
function parseGreek(value: string): string | null {
  const m = /^([^\s,]+),\s+(\d{1,2})\s+([^\s]+)\s+(\d{2,4})\s+(\d{1,2}):(\d{2}):(\d{2})\s+(\S+)$/.exec(
    value.trim(),
  );
  if (!m) return null;
  const month = GREEK_MONTHS[m[3] ?? ''];
  const day = GREEK_DAYS[m[1] ?? ''];
  if (!month || !day) return null;
  return parseRfc822(`${day}, ${m[2]} ${month} ${m[4]} ${m[5]}:${m[6]}:${m[7]} ${m[8]}`);
}

/** Hungarian: `2004-július-13T9:15-05:00`. */
function parseHungarian(value: string): string | null {
  const m = /^(\d{4})-([^-]+)-(\d{1,2})T(\d{1,2}):(\d{2})((?:[+-])\d{1,2}:\d{2})$/.exec(value.trim());
  if (!m) return null;
  const month = HUNGARIAN_MONTHS[(m[2] ?? '').toLowerCase()];
  if (!month) return null;
  const offset = zoneOffset(m[6]);
  if (offset === null) return null;
  return toIso({ y: Number(m[1]), mo: month, d: Number(m[3]), h: Number(m[4]), mi: Number(m[5]) }, offset);
}

const PARSERS = [
  parseIso,
  parseRfc822,
  parseMonthFirst,
  parseSlashed,
  parseShortIso,
  parseKorean,
  parseGreek,
  parseHungarian,
];

/** Parses a feed date into an ISO 8601 UTC string (`2003-12-31T10:14:55Z`), or null when it is not a date. */
export function parseDate(value: string | null | undefined): string | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (!trimmed || trimmed.length > 100) return null;
  for (const parse of PARSERS) {
    const result = parse(trimmed);
    if (result) return result;
  }
  return null;
}
