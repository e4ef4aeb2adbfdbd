/**
 * Context signals for users without behaviour: the part of the day in the user's own time
 * zone (from the channel, else told from the locale's region), and whether the device has a
 * small screen. Pure: times and strings in, labels out.
 */

/** Parts of the day a popularity ranking is kept for. */
export const DAYPARTS = ['morning', 'afternoon', 'evening', 'night'] as const;
/** One of {@link DAYPARTS}. */
export type Daypart = (typeof DAYPARTS)[number];

/**
 * A representative time zone of a locale's region, for users whose channel sends none: the
 * country's capital or most populous zone. Regions spanning many zones get their most
 * populous one; the daypart is a coarse label, so an hour off is tolerable.
 */
const REGION_ZONES: Readonly<Record<string, string>> = {
  US: 'America/New_York', CA: 'America/Toronto', MX: 'America/Mexico_City', BR: 'America/Sao_Paulo', AR: 'America/Argentina/Buenos_Aires',
  CL: 'America/Santiago', CO: 'America/Bogota', PE: 'America/Lima', GB: 'Europe/London', IE: 'Europe/Dublin', DE: 'Europe/Berlin',
  AT: 'Europe/Vienna', CH: 'Europe/Zurich', FR: 'Europe/Paris', BE: 'Europe/Brussels', NL: 'Europe/Amsterdam', ES: 'Europe/Madrid',
  PT: 'Europe/Lisbon', IT: 'Europe/Rome', PL: 'Europe/Warsaw', SE: 'Europe/Stockholm', NO: 'Europe/Oslo', DK: 'Europe/Copenhagen',
  FI: 'Europe/Helsinki', IN: 'Asia/Kolkata', JP: 'Asia/Tokyo', CN: 'Asia/Shanghai', KR: 'Asia/Seoul', SG: 'Asia/Singapore',
  AU: 'Australia/Sydney', NZ: 'Pacific/Auckland', ZA: 'Africa/Johannesburg',
};

/** The time zone of a locale's region (`de-DE` → `Europe/Berlin`), or undefined when the tag names no known region. */
export function timeZoneOfLocale(locale: string | undefined): string | undefined {
  const region = locale?.split(/[-_]/)[1]?.toUpperCase();
  return region ? REGION_ZONES[region] : undefined;
}

/**
 * Per time zone, its formatter and the local hour of the last quarter hour asked about. Every
 * zone's offset from UTC is a whole number of quarter hours and changes only on a quarter hour,
 * so the hour found for one instant holds for the whole quarter: a turn's daypart costs a map
 * lookup, not a `formatToParts` (about 10 µs) per call.
 */
const zones = new Map<string, { format: Intl.DateTimeFormat; quarter: number; hour: number }>();
const QUARTER_MS = 15 * 60 * 1000;

/**
 * The part of the day at `at` in `timeZone` (an IANA name): morning 5–12, afternoon 12–17,
 * evening 17–22, night otherwise. Undefined for an unknown zone or time.
 *
 * ```ts
 * daypartOf('2026-01-01T19:30:00Z', 'Europe/Berlin'); // 'evening' (20:30 in Berlin)
 * ```
 */
export function daypartOf(at: string | number, timeZone: string | undefined): Daypart | undefined {
  if (!timeZone) return undefined;
  const t = typeof at === 'number' ? at : Date.parse(at);
  if (!Number.isFinite(t)) return undefined;
  const quarter = Math.floor(t / QUARTER_MS);
  let zone = zones.get(timeZone);
  if (!zone) {
    let format: Intl.DateTimeFormat;
    try {
      format = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23' });
    } catch {
      return undefined;
    }
    zone = { format, quarter: Number.NaN, hour: Number.NaN };
    if (zones.size < 256) zones.set(timeZone, zone);
  }
  if (zone.quarter !== quarter) {
    zone.hour = Number(zone.format.formatToParts(t).find((p) => p.type === 'hour')?.value);
    zone.quarter = quarter;
  }
  const hour = zone.hour;
  if (!Number.isFinite(hour)) return undefined;
  return hour >= 5 && hour < 12 ? 'morning' : hour >= 12 && hour < 17 ? 'afternoon' : hour >= 17 && hour < 22 ? 'evening' : 'night';
}

/** The daypart of a turn or event: in its time zone, else the one its locale's region suggests. */
export function daypartFor(at: string | number, signals: { timezone?: string; locale?: string }): Daypart | undefined {
  return daypartOf(at, signals.timezone) ?? daypartOf(at, timeZoneOfLocale(signals.locale));
}

/** Whether a device signal names a small screen (`mobile`, `phone`, `smartphone`, `ios`, `android`). */
export function isSmallScreen(device: string | undefined): boolean {
  return device !== undefined && /^(mobile|phone|smartphone|handset|ios|iphone|android)$/i.test(device.trim());
}
