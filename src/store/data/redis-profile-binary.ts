import { ByteReader, ByteWriter } from './redis-bytes';
import { readJson, writeJson, type TimeRef } from './redis-json-bytes';

/**
 * The binary form of a stored profile in Redis, what the store writes now: one string, as the
 * compact text form (redis-profile-codec.ts) is, of the profile's fields in bytes: a field's
 * name as one byte, its JSON value as binary JSON (see redis-json-bytes.ts: sealed parts as
 * their raw ciphertext, weights as doubles, times as varints), the user id left out (the key
 * says whose it is). It begins with a zero byte, which the text form never begins with, so a
 * reader tells the two apart by the first byte, and reads every profile written before.
 *
 * Exact by construction: each value is checked where it is written (binary JSON keeps the text
 * of any value its tree would not give back), a name is its code or its text; a profile
 * without its own user id is declined (undefined), and the store falls back to the text form
 * (or the plain hash).
 *
 * ```ts
 * const packed = binaryProfile(form.profile(p), p.userId); // Buffer | undefined
 * expandBinaryProfile(packed!, p.userId); // form.profile(p) again
 * ```
 */

/** The first byte of a binary profile. */
const MARK = 0;
/** The profile's fields, by their byte (index + 1; 0 is a name in full). The order is the format: append only. */
const NAMES = [
  'firstSeen', 'lastSeen', 'traits', 'counts', 'affinities', 'affinitiesAt', 'recentItems', 'purchased',
  'recent', 'orders', 'revenue', 'context', 'consent', 'experiments', 'computed', 'onboarding',
] as const;
const CODE: ReadonlyMap<string, number> = new Map(NAMES.map((n, i) => [n, i + 1]));

/** Whether a stored profile string is in the binary form. */
export function isBinaryProfile(bytes: Uint8Array): boolean {
  return bytes.length > 0 && bytes[0] === MARK;
}

/** The binary form of a profile's stored fields, or undefined when it would not give them back exactly. */
export function binaryProfile(fields: Readonly<Record<string, string>>, userId: string): Buffer | undefined {
  // The user id is in every profile; one without it (or with another) is kept another way.
  if (fields.userId !== JSON.stringify(userId)) return undefined;
  const w = new ByteWriter().uint(MARK);
  // One time reference for the whole profile: its times are written as distances, in field order.
  const ref: TimeRef = { last: 0 };
  for (const name of Object.keys(fields)) {
    if (name === 'userId') continue;
    const code = CODE.get(name);
    if (code === undefined) w.uint(0).text(name);
    else w.uint(code);
    writeJson(w, fields[name], ref);
  }
  // Each value was checked as it was written (see writeJson: it reads back as its text, from
  // the same time reference a reader will have there), and names are one code or their text.
  return w.done();
}

/** The stored fields of a binary profile (the inverse of {@link binaryProfile}). */
export function expandBinaryProfile(bytes: Uint8Array, userId: string): Record<string, string> {
  const r = new ByteReader(bytes);
  if (r.uint() !== MARK) throw new Error('not a binary profile');
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  fields.userId = JSON.stringify(userId);
  const ref: TimeRef = { last: 0 };
  while (!r.ended) {
    const code = r.uint();
    const name = code === 0 ? r.text() : NAMES[code - 1];
    if (name === undefined) throw new Error('binary profile has an unknown field code');
    fields[name] = readJson(r, ref);
  }
  return fields;
}
