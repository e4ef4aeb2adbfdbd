import { numberFromWords, type NumberWordLanguage } from './number-words';

/**
 * Numbers as people type them: `25`, `-3.5`, `12,5`, `1,299.50`, `1.299,50`, `1 299,50`,
 * `1'299.50`, and (when asked) written in words. A single separator followed by exactly three
 * digits (`1,299`, `1.299`) is a thousands separator in one locale and a decimal point in
 * another: without a configured decimal mark it is refused, not guessed.
 */

/** How to read numeric text. */
export interface NumberReading {
  /** The decimal mark, when the source's locale is known; otherwise only unambiguous text is read. */
  decimal?: '.' | ',';
  /** Languages to read number words in (none: words are refused). */
  words?: readonly NumberWordLanguage[];
}

// Spaces of every width and the apostrophe group digits (French, Swiss); they never mark decimals.
const GROUP_ONLY = /[\s\u00a0\u202f\u2009']/;

/**
 * Reads a number from text; undefined when it is not one or is ambiguous.
 *
 * ```ts
 * parseNumber('1.299,50'); // 1299.5
 * parseNumber('1,299'); // undefined: 1299 or 1.299?
 * parseNumber('1,299', { decimal: '.' }); // 1299
 * parseNumber('SKU-1299'); // undefined
 * ```
 */
export function parseNumber(text: string, reading: NumberReading = {}): number | undefined {
  const s = text.trim();
  const m = /^([+-]?)(\d[\d\s\u00a0\u202f\u2009'.,]*)$/.exec(s);
  if (!m) return reading.words?.length ? numberFromWords(s, reading.words) : undefined;
  const [, sign, body] = m;
  const groups = body.split(/[\s\u00a0\u202f\u2009'.,]/);
  const seps = body.match(/[\s\u00a0\u202f\u2009'.,]/g) ?? [];
  if (groups.some((g) => !/^\d+$/.test(g))) return undefined;
  if (!seps.length) return Number(sign + body);
  const last = seps[seps.length - 1];
  const lastIsDecimal = decideLast(seps, groups[groups.length - 1], reading.decimal);
  if (lastIsDecimal === undefined) return undefined;
  const intGroups = lastIsDecimal ? groups.slice(0, -1) : groups;
  const groupSeps = lastIsDecimal ? seps.slice(0, -1) : seps;
  // What groups the integer part must be one mark throughout, in threes after the first.
  if (groupSeps.length) {
    if (new Set(groupSeps.map((c) => (GROUP_ONLY.test(c) ? ' ' : c))).size > 1) return undefined;
    if (reading.decimal && groupSeps[0] === reading.decimal) return undefined;
    if (intGroups[0].length > 3 || intGroups.slice(1).some((g) => g.length !== 3)) return undefined;
  }
  if (lastIsDecimal && GROUP_ONLY.test(last)) return undefined;
  const int = intGroups.join('');
  return Number(`${sign}${int}${lastIsDecimal ? `.${groups[groups.length - 1]}` : ''}`);
}

/** Whether the last separator is the decimal mark; undefined when the text cannot tell. */
function decideLast(seps: readonly string[], tail: string, decimal: '.' | ',' | undefined): boolean | undefined {
  const last = seps[seps.length - 1];
  if (GROUP_ONLY.test(last)) return false;
  if (decimal) return last === decimal;
  // `1,299.50`: a different mark before it means the last one is the decimal point.
  if (seps.slice(0, -1).some((c) => c !== last)) return true;
  // `1.234.567`: the same mark twice only groups.
  if (seps.length > 1) return false;
  // `12,5`, `12.50`: not three digits after the mark, so not a thousands group.
  return tail.length === 3 ? undefined : true;
}
