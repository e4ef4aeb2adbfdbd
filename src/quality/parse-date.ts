import { foldText } from './fold';

/**
 * Dates as sources send them, into ISO 8601: `2024-03-05`, `2024-03-05T14:30:00+01:00`,
 * `05.03.2024`, `25/12/2024`, `March 5, 2024`, `5. März 2024`, `5 de marzo de 2024`,
 * `5 mars 2024`, optionally followed by `14:30` or `14:30:15`. Times without an offset are
 * read as UTC, as event timestamps are. `03/05/2024` is the 3rd of May in Europe and the 5th
 * of March in the US: with both numbers 12 or below and no configured order, it is refused.
 * Two-digit years and dates that do not exist (`31.02.2024`) are refused too.
 */

/** The order of day, month and year in numeric dates with slashes or dashes. */
export type DateOrder = 'dmy' | 'mdy' | 'ymd';

/** How to read a date. */
export interface DateReading {
  order?: DateOrder;
  /** `date`: `YYYY-MM-DD` for a date alone (the default); `datetime`: always a full ISO timestamp. */
  output?: 'date' | 'datetime';
  /** Numbers are epoch times in this unit; without it, numbers are refused (seconds or milliseconds?). */
  epoch?: 's' | 'ms';
}

const MONTHS: Readonly<Record<string, number>> = (() => {
  const lists = [
    ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'],
    ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
    ['januar', 'februar', 'marz', 'april', 'mai', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'dezember'],
    ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'],
    ['janvier', 'fevrier', 'mars', 'avril', 'mai', 'juin', 'juillet', 'aout', 'septembre', 'octobre', 'novembre', 'decembre'],
  ];
  const out: Record<string, number> = { sept: 9, setiembre: 9, janner: 1 };
  for (const list of lists) list.forEach((m, i) => (out[m] = i + 1));
  return out;
})();

const fold = foldText;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

interface Parts {
  y: number;
  m: number;
  d: number;
  time?: string;
}

const TIME = String.raw`(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?`;

/**
 * Reads a date; undefined when it is not one or cannot be read without a guess.
 *
 * ```ts
 * parseDate('05.03.2024'); // '2024-03-05'
 * parseDate('03/05/2024'); // undefined (ambiguous)
 * parseDate('03/05/2024', { order: 'mdy' }); // '2024-03-05'
 * ```
 */
export function parseDate(value: string | number, reading: DateReading = {}): string | undefined {
  if (typeof value === 'number') {
    if (!reading.epoch || !Number.isFinite(value)) return undefined;
    const d = new Date(reading.epoch === 's' ? value * 1000 : value);
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
  }
  const s = value.trim();
  // Full ISO 8601 with an offset or Z is already what is wanted, in UTC.
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(s)) {
    const d = new Date(s);
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
  }
  const parts = numericParts(s, reading.order) ?? namedParts(s);
  return parts ? render(parts, reading.output ?? 'date') : undefined;
}

function withTime(p: Omit<Parts, 'time'>, h?: string, min?: string, sec?: string): Parts | undefined {
  if (h === undefined) return p;
  if (Number(h) > 23 || Number(min) > 59 || Number(sec ?? 0) > 59) return undefined;
  return { ...p, time: `${pad(Number(h))}:${min}:${sec ?? '00'}` };
}

function numericParts(s: string, order: DateOrder | undefined): Parts | undefined {
  const ymd = new RegExp(`^(\\d{4})[-/.](\\d{1,2})[-/.](\\d{1,2})${TIME}$`).exec(s);
  if (ymd) return withTime({ y: +ymd[1], m: +ymd[2], d: +ymd[3] }, ymd[4], ymd[5], ymd[6]);
  // Dots with the year last are day first wherever they are written (de, fr, es, …).
  const dotted = new RegExp(`^(\\d{1,2})\\.(\\d{1,2})\\.(\\d{4})${TIME}$`).exec(s);
  if (dotted && order !== 'mdy') return withTime({ y: +dotted[3], m: +dotted[2], d: +dotted[1] }, dotted[4], dotted[5], dotted[6]);
  const slashed = new RegExp(`^(\\d{1,2})[/-](\\d{1,2})[/-](\\d{4})${TIME}$`).exec(s) ?? (dotted && order === 'mdy' ? dotted : null);
  if (!slashed) return undefined;
  const a = +slashed[1];
  const b = +slashed[2];
  let dayFirst: boolean;
  if (order === 'dmy' || order === 'mdy') dayFirst = order === 'dmy';
  else if (a > 12 && b <= 12) dayFirst = true;
  else if (b > 12 && a <= 12) dayFirst = false;
  else if (a === b) dayFirst = true;
  else return undefined;
  return withTime({ y: +slashed[3], m: dayFirst ? b : a, d: dayFirst ? a : b }, slashed[4], slashed[5], slashed[6]);
}

function namedParts(s: string): Parts | undefined {
  const t = fold(s).replace(/,/g, ' ').replace(/\s+/g, ' ').trim();
  // `5 march 2024`, `5. marz 2024`, `5 de marzo de 2024`, `1er mars 2024`
  const dayFirst = new RegExp(`^(\\d{1,2})(?:\\.|er|st|nd|rd|th)? (?:de )?([a-z]+)\\.? (?:de )?(\\d{4})${TIME}$`).exec(t);
  if (dayFirst) {
    const m = MONTHS[dayFirst[2]];
    return m ? withTime({ y: +dayFirst[3], m, d: +dayFirst[1] }, dayFirst[4], dayFirst[5], dayFirst[6]) : undefined;
  }
  // `march 5 2024`, `mar 5th 2024`
  const monthFirst = new RegExp(`^([a-z]+)\\.? (\\d{1,2})(?:st|nd|rd|th)? (\\d{4})${TIME}$`).exec(t);
  if (monthFirst) {
    const m = MONTHS[monthFirst[1]];
    return m ? withTime({ y: +monthFirst[3], m, d: +monthFirst[2] }, monthFirst[4], monthFirst[5], monthFirst[6]) : undefined;
  }
  return undefined;
}

function render(p: Parts, output: 'date' | 'datetime'): string | undefined {
  if (p.m < 1 || p.m > 12 || p.d < 1) return undefined;
  const d = new Date(Date.UTC(p.y, p.m - 1, p.d));
  // Date.UTC rolls the 31st of February over into March; such a date does not exist.
  if (d.getUTCMonth() !== p.m - 1 || d.getUTCDate() !== p.d) return undefined;
  const date = `${pad(p.y, 4)}-${pad(p.m)}-${pad(p.d)}`;
  if (!p.time && output === 'date') return date;
  return `${date}T${p.time ?? '00:00:00'}.000Z`;
}
