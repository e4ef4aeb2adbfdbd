/**
 * The compact form of a stored profile in Redis: ONE string instead of a hash of a dozen
 * fields. A profile's sealed fields are longer than `hash-max-listpack-value` (64 bytes), so
 * its hash was a real hash table, ~70 bytes of overhead a field; as one string it is one key.
 * Inside it, field names are one letter each, the user id (the key says whose it is) is left
 * out, ISO times become base-36 epoch milliseconds, and a few strings every profile repeats
 * (`{"id":"`, `"enc:v1:`…) become one control character each: JSON text never holds a raw
 * control character, so the substitutions are unambiguous and exactly reversible.
 *
 * Exact by construction: {@link compactProfile} decodes what it made and keeps it only if it
 * gives back the very fields it was given; else it returns undefined, and the store keeps the
 * plain hash, which it still reads (as it reads every profile written before this form).
 *
 * ```ts
 * const packed = compactProfile(form.profile(p), p.userId); // string | undefined
 * expandProfile(packed!, p.userId); // form.profile(p) again
 * ```
 */

const FIELD_SEP = '\x1e';
const NAME_SEP = '\x1f';
const TIME = '\x1d';
/** Strings profiles repeat, each replaced by one control character (see the file comment). */
const DICTIONARY: readonly (readonly [string, string])[] = [
  ['\x01', '{"id":"'],
  ['\x02', '","weight":'],
  ['\x03', ',"at":'],
  ['\x04', '"enc:v1:'],
  ['\x05', '},{'],
];
// Control characters are the point: JSON text never holds them raw, so they are free to mean something.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f]/;
const ISO = /"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)"/g;
// eslint-disable-next-line no-control-regex
const TIME_TOKEN = /\x1d([0-9a-z]+)/g;

/** The profile's fields, by one-letter code; a name not listed is kept whole after `~`. */
const CODES: Readonly<Record<string, string>> = {
  firstSeen: 'f', lastSeen: 'l', traits: 't', counts: 'c', affinities: 'a', affinitiesAt: 'b', recentItems: 'i',
  purchased: 'p', recent: 'r', orders: 'o', revenue: 'v', context: 'x', consent: 'k', experiments: 'e', computed: 'm', onboarding: 'n',
};
const NAMES: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(CODES).map(([n, c]) => [c, n]));
const UNLISTED = '~';

/** The compact string of a profile's stored fields, or undefined when it would not give them back exactly. */
export function compactProfile(fields: Readonly<Record<string, string>>, userId: string): string | undefined {
  const parts: string[] = [];
  let ownId = false;
  for (const name of Object.keys(fields)) {
    const value = fields[name];
    if (name === 'userId' && value === JSON.stringify(userId)) {
      ownId = true;
      continue;
    }
    if (CONTROL.test(name) || CONTROL.test(value)) return undefined;
    parts.push(`${CODES[name] ?? UNLISTED + name}${NAME_SEP}${pack(value)}`);
  }
  // The user id is in every profile; one without it (or with another) is kept plain.
  if (!ownId) return undefined;
  const packed = parts.join(FIELD_SEP);
  return sameFields(expandProfile(packed, userId), fields) ? packed : undefined;
}

/** The stored fields of a compact profile (the inverse of {@link compactProfile}). */
export function expandProfile(packed: string, userId: string): Record<string, string> {
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  fields.userId = JSON.stringify(userId);
  if (packed === '') return fields;
  for (const part of packed.split(FIELD_SEP)) {
    const at = part.indexOf(NAME_SEP);
    if (at < 0) throw new Error('compact profile field has no name');
    const code = part.slice(0, at);
    const name = code.startsWith(UNLISTED) ? code.slice(1) : NAMES[code];
    if (name === undefined) throw new Error(`compact profile has an unknown field code ${JSON.stringify(code)}`);
    fields[name] = unpack(part.slice(at + 1));
  }
  return fields;
}

function pack(value: string): string {
  let out = value.replace(ISO, (whole: string, iso: string) => {
    const ms = Date.parse(iso);
    return Number.isFinite(ms) && ms >= 0 && new Date(ms).toISOString() === iso ? TIME + ms.toString(36) : whole;
  });
  for (const [token, text] of DICTIONARY) out = out.split(text).join(token);
  return out;
}

function unpack(value: string): string {
  let out = value;
  for (const [token, text] of DICTIONARY) out = out.split(token).join(text);
  return out.replace(TIME_TOKEN, (_: string, b36: string) => `"${new Date(parseInt(b36, 36)).toISOString()}"`);
}

function sameFields(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ak = Object.keys(a);
  return ak.length === Object.keys(b).length && ak.every((k) => Object.prototype.hasOwnProperty.call(b, k) && a[k] === b[k]);
}
