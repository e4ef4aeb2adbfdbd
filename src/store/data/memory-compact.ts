/**
 * The compact form in which a memory store holds stored JSON (an event's sealed JSON, a
 * profile's fields): the same text with what repeats in every value replaced by one control
 * character, so that 10,000 users fit in fewer bytes without a byte of their data lost.
 *
 * - the user's own id, quoted (each of their events and their profile spell it out): `\u0004`;
 * - the prefix of every ciphertext, `"enc:v1:`: `\u0003`;
 * - an ISO-8601 timestamp string (`"2026-01-02T14:58:09.000Z"`, 26 characters): `\u0002` and
 *   its 17 digits (no date arithmetic: it costs a regular expression, not a `Date`);
 * - the field names every stored event and profile spells (see {@link DICTIONARY}): one
 *   character each.
 *
 * JSON text never holds a raw control character (JSON escapes them), so none of the markers
 * can be in the input: the user's id is replaced first, then everything else in one pass, and
 * each marker is spelled back exactly, in the reverse order. A text that holds one anyway (it
 * is not JSON) is kept as it is, behind {@link PLAIN}. It costs a few microseconds per value,
 * on writes; reads of a profile just written skip it (see `CompactHolding`).
 *
 * ```ts
 * const held = compactJson('{"userId":"u1","at":"2026-01-02T14:58:09.000Z"}', 'u1');
 * expandJson(held, 'u1'); // the text again
 * ```
 */
export function compactJson(text: string, userId: string): string {
  if (MARKERS.test(text)) return PLAIN + text;
  return text.replaceAll(JSON.stringify(userId), USER).replace(WORD_OR_DATE, shorten);
}

/**
 * {@link compactJson} of a text, reusing the compact form of its pieces a text before had in
 * common with it: the text is cut after each `}` and each piece shortened on its own, or looked
 * up in `known` (pieces of this user's texts, as this function returned them). A profile's recent
 * items change on every event, but all of them save one are the items of the profile before:
 * shortening only the new one costs a fraction of the regular expressions over the whole list.
 *
 * Exact: nothing `compactJson` replaces holds a `}` (no dictionary word, no timestamp, and the
 * user's quoted id is checked), so no replacement spans a cut, and the pieces shortened one by
 * one join into what the whole text shortens to. A piece holding a marker of its own makes the
 * whole text plain, as `compactJson` keeps it.
 *
 * ```ts
 * const first = compactPieces(listJson, 'u1');
 * compactPieces(nextListJson, 'u1', first.pieces).held === compactJson(nextListJson, 'u1'); // true
 * ```
 */
export function compactPieces(text: string, userId: string, known?: ReadonlyMap<string, string>): { held: string; pieces: Map<string, string> } {
  const pieces = new Map<string, string>();
  if (JSON.stringify(userId).includes('}')) return { held: compactJson(text, userId), pieces };
  const parts = text.split('}');
  // A text of one or two pieces (a ciphertext, a record of numbers) has nothing to share.
  if (parts.length < 3) return { held: compactJson(text, userId), pieces };
  let held = '';
  for (let i = 0; i < parts.length; i++) {
    const piece = i < parts.length - 1 ? `${parts[i]}}` : parts[i];
    let short = known?.get(piece);
    if (short === undefined) {
      short = compactJson(piece, userId);
      if (short.startsWith(PLAIN)) return { held: compactJson(text, userId), pieces: new Map() };
    }
    pieces.set(piece, short);
    held += short;
  }
  return { held, pieces };
}

/** Reverses {@link compactJson} for the same user id. */
export function expandJson(held: string, userId: string): string {
  if (held.startsWith(PLAIN)) return held.slice(1);
  const text = held.replace(MARKER_OR_DATE, spellOut);
  return text.includes(USER) ? text.replaceAll(USER, JSON.stringify(userId)) : text;
}

/** Marks a text held as it is (it held a marker of its own). */
const PLAIN = '\u0001';
const DATE = '\u0002';
const USER = '\u0004';
/** Any control character: the markers, and NUL, which a held profile separates its fields with (see memory-holding.ts). */
// eslint-disable-next-line no-control-regex -- control characters are what this looks for: the markers.
const MARKERS = /[\u0000-\u001f]/;
/**
 * What stored events and profiles spell over and over: every ciphertext's prefix, the field
 * names of an event as StoredForm stores it, and of a profile's recent items. Each is held as
 * one control character, from `\u0003` on (28 at most, `\u0004` excepted). The store is in
 * memory, so nothing held outlives the process that spelled it: the list may change freely.
 */
const DICTIONARY: readonly string[] = [
  '"enc:v1:',
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
const WORDS = DICTIONARY.map((_, i) => String.fromCharCode(i === 0 ? 3 : 4 + i));
const BY_WORD = new Map(DICTIONARY.map((w, i) => [w, WORDS[i]]));
const BY_MARKER = new Map(WORDS.map((m, i) => [m, DICTIONARY[i]]));
const escape = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const ISO = '"(\\d{4})-(\\d\\d)-(\\d\\d)T(\\d\\d):(\\d\\d):(\\d\\d)\\.(\\d{3})Z"';
const WORD_OR_DATE = new RegExp(`${DICTIONARY.map(escape).join('|')}|${ISO}`, 'g');
const MARKER_OR_DATE = new RegExp(`[${WORDS.join('')}]|${DATE}(\\d{4})(\\d\\d)(\\d\\d)(\\d\\d)(\\d\\d)(\\d\\d)(\\d{3})`, 'g');

function shorten(match: string, year?: string, mo?: string, d?: string, h?: string, mi?: string, sec?: string, ms?: string): string {
  return year === undefined ? (BY_WORD.get(match) as string) : `${DATE}${year}${mo}${d}${h}${mi}${sec}${ms}`;
}

function spellOut(match: string, year?: string, mo?: string, d?: string, h?: string, mi?: string, sec?: string, ms?: string): string {
  return year === undefined ? (BY_MARKER.get(match) as string) : `"${year}-${mo}-${d}T${h}:${mi}:${sec}.${ms}Z"`;
}
