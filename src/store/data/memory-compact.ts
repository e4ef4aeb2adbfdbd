/**
 * The compact form in which a memory store holds stored JSON (an event's sealed JSON, a
 * profile's fields): the same text with what repeats in every value replaced by one control
 * character, so that 10,000 users fit in fewer bytes without a byte of their data lost.
 *
 * - the user's own id, quoted (each of their events and their profile spell it out): `\u0004`;
 * - the prefix of every ciphertext, `"enc:v1:`: `\u0003`;
 * - an ISO-8601 timestamp string (`"2026-01-02T14:58:09.000Z"`, 26 characters): `\u0002` and
 *   its epoch milliseconds in 9 base-36 digits, when `toISOString` spells it back exactly;
 * - the field names every stored event and profile spells (see {@link DICTIONARY}): one
 *   character each.
 *
 * JSON text never holds a raw control character (JSON escapes them), so none of the markers
 * can be in the input, and each replacement, applied in turn, is undone exactly by its inverse
 * applied in the reverse order. A text that holds one anyway (it is not JSON) is kept as it
 * is, behind {@link PLAIN}.
 *
 * ```ts
 * const held = compactJson('{"userId":"u1","at":"2026-01-02T14:58:09.000Z"}', 'u1');
 * expandJson(held, 'u1'); // the text again
 * ```
 */
export function compactJson(text: string, userId: string): string {
  if (MARKERS.test(text)) return PLAIN + text;
  let held = text.replaceAll(JSON.stringify(userId), USER).replaceAll(SEALED_PREFIX, SEALED).replace(ISO_STRING, isoCompact);
  for (let i = 0; i < DICTIONARY.length; i++) if (held.includes(DICTIONARY[i])) held = held.replaceAll(DICTIONARY[i], WORDS[i]);
  return held;
}

/** Reverses {@link compactJson} for the same user id. */
export function expandJson(held: string, userId: string): string {
  if (held.startsWith(PLAIN)) return held.slice(1);
  let text = held;
  for (let i = DICTIONARY.length - 1; i >= 0; i--) if (text.includes(WORDS[i])) text = text.replaceAll(WORDS[i], DICTIONARY[i]);
  if (text.includes(DATE)) text = text.replace(COMPACT_DATE, isoExpand);
  if (text.includes(SEALED)) text = text.replaceAll(SEALED, SEALED_PREFIX);
  if (text.includes(USER)) text = text.replaceAll(USER, JSON.stringify(userId));
  return text;
}

/** Marks a text held as it is (it held a marker of its own). */
const PLAIN = '\u0001';
const DATE = '\u0002';
const SEALED = '\u0003';
const USER = '\u0004';
/** Any control character: the markers, and NUL, which a held profile separates its fields with (see memory-holding.ts). */
// eslint-disable-next-line no-control-regex -- control characters are what this looks for: the markers.
const MARKERS = /[\u0000-\u001f]/;
/**
 * What stored events and profiles spell over and over: the field names of an event as
 * StoredForm stores it, and of a profile's recent items. Each is held as one control
 * character, from `\u0005` on (27 at most). Appending is safe for what is held already;
 * changing an entry is not: the store is in memory, so nothing outlives the process.
 */
const DICTIONARY: readonly string[] = [
  '{"type":"track","messageId":"',
  '{"type":"',
  '","messageId":"',
  '","userId":',
  ',"anonymousId":',
  ',"timestamp":',
  ',"receivedAt":',
  ',"sealed":',
  '{"id":"',
  '","weight":',
  ',"at":',
];
const WORDS = DICTIONARY.map((_, i) => String.fromCharCode(5 + i));
const SEALED_PREFIX = '"enc:v1:';
/** Digits of a compact date: 9 base-36 digits reach the year 5188. */
const DATE_DIGITS = 9;
const DATE_LIMIT = 36 ** DATE_DIGITS;
const ISO_STRING = /"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)"/g;
const COMPACT_DATE = new RegExp(`${DATE}([0-9a-z]{${DATE_DIGITS}})`, 'g');

function isoCompact(quoted: string, iso: string): string {
  const ms = Date.parse(iso);
  // Only what spells back exactly (not "2026-02-30…", which Date.parse reads as March 2).
  if (!(ms >= 0) || ms >= DATE_LIMIT || new Date(ms).toISOString() !== iso) return quoted;
  return DATE + ms.toString(36).padStart(DATE_DIGITS, '0');
}

function isoExpand(_held: string, digits: string): string {
  return `"${new Date(parseInt(digits, 36)).toISOString()}"`;
}
