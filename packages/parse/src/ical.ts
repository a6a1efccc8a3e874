import { type FeedItem, type ParsedFeed, PermanentError } from '@frameline/core';
import ICAL from 'ical.js';
import { nonEmpty } from './text.js';
import { resolveUrl } from './xml-tree.js';

type Component = InstanceType<typeof ICAL.Component>;
type Time = InstanceType<typeof ICAL.Time>;

function iso(ms: number): string | null {
  if (!Number.isFinite(ms)) return null;
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Wall-clock time in an IANA zone → UTC milliseconds, using Intl (two passes cover DST edges). */
function zonedToUtc(t: Time, timeZone: string): number | null {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    return null;
  }
  const wall = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  let guess = wall;
  for (let i = 0; i < 2; i++) {
    const parts = Object.fromEntries(
      format.formatToParts(new Date(guess)).map((p) => [p.type, Number(p.value)]),
    );
    const seen = Date.UTC(
      parts.year ?? 0,
      (parts.month ?? 1) - 1,
      parts.day ?? 1,
      parts.hour ?? 0,
      parts.minute ?? 0,
      parts.second ?? 0,
    );
    guess += wall - seen;
  }
  return guess;
}

/** DTSTART/DTEND/DTSTAMP → ISO UTC. All-day dates are midnight UTC; floating times are read as UTC. */
function timeOf(event: Component, name: string, zones: Map<string, Component>): string | null {
  const prop = event.getFirstProperty(name);
  if (!prop) return null;
  const value = prop.getFirstValue();
  if (!(value instanceof ICAL.Time)) return null;
  if (value.isDate) return iso(Date.UTC(value.year, value.month - 1, value.day));
  const tzid = prop.getParameter('tzid');
  const tz = typeof tzid === 'string' ? tzid : null;
  if (!tz) {
    // No TZID: either UTC ("…Z") or floating; both are taken as UTC so the result never depends on the host.
    return iso(Date.UTC(value.year, value.month - 1, value.day, value.hour, value.minute, value.second));
  }
  const viaIntl = zonedToUtc(value, tz.replace(/^\/+/, ''));
  if (viaIntl !== null) return iso(viaIntl);
  const vtimezone = zones.get(tz);
  if (vtimezone) {
    const zoned = value.clone();
    zoned.zone = new ICAL.Timezone(vtimezone);
    return iso(zoned.toUnixTime() * 1000);
  }
  return iso(Date.UTC(value.year, value.month - 1, value.day, value.hour, value.minute, value.second));
}

function text(event: Component, name: string): string | null {
  const value = event.getFirstPropertyValue(name);
  return typeof value === 'string' ? nonEmpty(value) : null;
}

/**
 * Maps an iCalendar (`.ics`) document: each VEVENT becomes an item whose `published` is the event's start
 * (the date the timeline places it on), `updated` its LAST-MODIFIED, summary its description and location.
 */
export function mapICalendar(source: string, url: string | null): ParsedFeed {
  let calendar: Component;
  try {
    calendar = new ICAL.Component(ICAL.parse(source));
  } catch (err) {
    throw new PermanentError(
      'unparsable_feed',
      `got an iCalendar file that does not parse: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  const zones = new Map<string, Component>();
  for (const vtimezone of calendar.getAllSubcomponents('vtimezone')) {
    const tzid = vtimezone.getFirstPropertyValue('tzid');
    if (typeof tzid === 'string') zones.set(tzid, vtimezone);
  }
  const items: FeedItem[] = calendar.getAllSubcomponents('vevent').map((event) => {
    const description = text(event, 'description');
    const location = text(event, 'location');
    const organizer = event.getFirstProperty('organizer');
    const cn = organizer?.getParameter('cn');
    const organizerValue = organizer?.getFirstValue();
    const email = typeof organizerValue === 'string' ? organizerValue.replace(/^mailto:/i, '') : null;
    const author =
      typeof cn === 'string' || email ? { name: typeof cn === 'string' ? cn : null, email } : null;
    const summaryParts = [description, location ? `Location: ${location}` : null].filter(
      (p): p is string => p !== null,
    );
    return {
      id: text(event, 'uid'),
      title: text(event, 'summary'),
      link: resolveUrl(text(event, 'url'), url),
      published: timeOf(event, 'dtstart', zones),
      updated: timeOf(event, 'last-modified', zones) ?? timeOf(event, 'dtstamp', zones),
      summary: summaryParts.length > 0 ? summaryParts.join('\n\n') : null,
      content: null,
      authors: author ? [author] : [],
    };
  });
  return {
    format: 'ical',
    version: text(calendar, 'version') ?? null,
    title: text(calendar, 'x-wr-calname') ?? text(calendar, 'name'),
    link: url,
    description: text(calendar, 'x-wr-caldesc') ?? text(calendar, 'description'),
    items,
  };
}
