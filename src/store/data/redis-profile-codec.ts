import { b36ToIso, isoToB36 } from './redis-iso';

/**
 * The compact form of a stored profile in Redis: ONE string instead of a hash of a dozen
 * fields. A profile's sealed fields are longer than `hash-max-listpack-value` (64 bytes), so
 * its hash was a real hash table, ~70 bytes of overhead a field; as one string it is one key.
 * Inside it, field names are one letter each, the user id (the key says whose it is) is left
 * out, ISO times become base-36 epoch milliseconds, and a few strings every profile repeats
 * (`{"id":"`, `"enc:v1:`…) become one control character each: JSON text never holds a raw
 * control character, so the substitutions are unambiguous and exactly reversible.
 *
 * Exact by construction, each step checked where it is taken (it runs on every profile write,
 * so it does not decode the whole again): a name or value holding a control character, a
 * profile without its own user id, is left to the plain hash (undefined), which the store
 * still reads, as it reads every profile written before this form; a time is shortened only
 * if it prints back the same; every other substitution is of text for a control character
 * the text cannot hold. A fast-check property holds the whole to the plain fields.
 *
 * The store now writes the binary form (redis-profile-binary.ts), and this one where that
 * declines; profiles written in this form before are read as ever.
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
const DICTIONARY: Readonly<Record<string, string>> = { '{"id":"': '\x01', '","weight":': '\x02', ',"at":': '\x03', '"enc:v1:': '\x04', '},{': '\x05' };
const EXPANSIONS: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(DICTIONARY).map(([text, token]) => [token, text]));
// Control characters are the point: JSON text never holds them raw, so they are free to mean something.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f]/;
/**
 * One pass over a value: an ISO time in quotes (not followed by a base-36 digit, which would
 * read as part of its token), or one of the {@link DICTIONARY} strings.
 */
const PACKABLE = /"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)"(?![0-9a-z])|\{"id":"|","weight":|,"at":|"enc:v1:|\},\{/g;
// eslint-disable-next-line no-control-regex
const PACKED = /\x1d([0-9a-z]+)|[\x01-\x05]/g;

/** The profile's fields, by one-letter code; a name not listed is kept whole after `~`. */
const CODES: Readonly<Record<string, string>> = bare({
  firstSeen: 'f', lastSeen: 'l', traits: 't', counts: 'c', affinities: 'a', affinitiesAt: 'b', recentItems: 'i',
  purchased: 'p', recent: 'r', orders: 'o', revenue: 'v', context: 'x', consent: 'k', experiments: 'e', computed: 'm', onboarding: 'n',
});
const NAMES: Readonly<Record<string, string>> = bare(Object.fromEntries(Object.entries(CODES).map(([n, c]) => [c, n])));
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
  return parts.join(FIELD_SEP);
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
  return value.replace(PACKABLE, (whole: string, iso: string | undefined) => {
    if (iso === undefined) return DICTIONARY[whole];
    const b36 = isoToB36(iso);
    return b36 === undefined ? whole : TIME + b36;
  });
}

function unpack(value: string): string {
  return value.replace(PACKED, (whole: string, b36: string | undefined) => (b36 === undefined ? EXPANSIONS[whole] : `"${b36ToIso(b36)}"`));
}

/** A lookup table without a prototype, so that a field called `toString` is just a name. */
function bare(table: Record<string, string>): Record<string, string> {
  return Object.assign(Object.create(null) as Record<string, string>, table);
}
