import { b36ToIso, isoToB36 } from './redis-iso';

/**
 * The compact form of a stored event in the Redis event log: the stored JSON (see
 * `StoredForm.event`) without what every event repeats. The JSON's key names and quotes go,
 * the five keys every event has (`type`, `messageId`, `userId`, `timestamp`, `receivedAt`)
 * become positions (with their order, when it is not the one `normalizeEvent` writes), its two ISO times become base-36 epoch
 * milliseconds (13 characters fewer each), and the sealed blob loses its fixed `enc:v1:`
 * prefix. An event of ~480 bytes of JSON keeps ~300 this way, its sealed part untouched.
 * The store now writes the binary form of these parts (redis-event-binary.ts) and falls back
 * to this one; entries written in this form before are read as ever.
 *
 * The encoding is exact by construction: {@link compactEvent} decodes what it made and keeps
 * it only if that gives back the very JSON it was given, byte for byte; anything else (a key
 * order it does not know, a separator inside a value, a time that does not round-trip) is
 * stored as the plain JSON, under the field the log always used. So a reader never sees
 * anything but the stored form, whichever field an entry has.
 *
 * ```ts
 * const c = compactEvent(form.event(e)); // { field: 'c', value: 't\x1fm1\x1f…' }
 * expandEvent(c.value) === form.event(e); // true
 * ```
 */

/** Separates the parts of a compact event; JSON text never holds it raw (control characters are escaped). */
const SEP = '\x1f';
/** What every ciphertext begins with (see privacy/cipher.ts); the compact form leaves it out. */
const SEALED_PREFIX = 'enc:v1:';
/** The event types, one letter each; a type not listed is stored as plain JSON. */
const TYPE_CODE = new Map(Object.entries({ track: 't', identify: 'i', page: 'p', screen: 's', group: 'g', alias: 'a' }));
const CODE_TYPE = new Map([...TYPE_CODE].map(([t, c]) => [c, t]));
/** The keys of every event, in the order `normalizeEvent` writes them (first, then the others). */
const HEAD = ['type', 'messageId', 'userId', 'timestamp', 'receivedAt'] as const;
/** One letter per {@link HEAD} key in a key order; `*` stands for the next of the other keys. */
const HEAD_LETTERS = 'tmuar';
const OTHER = '*';

/** The stream field of an event stored compact. */
export const COMPACT_EVENT_FIELD = 'c';
/** The stream field of an event stored as its plain JSON (every entry written before the compact form, and fallbacks). */
export const PLAIN_EVENT_FIELD = 'e';

/** An event as one stream field: its name ({@link COMPACT_EVENT_FIELD} or {@link PLAIN_EVENT_FIELD}) and value. */
export interface EncodedEvent {
  field: string;
  value: string;
}

/** The compact form of a stored event's JSON, or the JSON itself when the compact form would not give it back exactly. */
export function compactEvent(json: string): EncodedEvent {
  const value = tryCompact(json);
  return value !== undefined && expandEvent(value) === json ? { field: COMPACT_EVENT_FIELD, value } : { field: PLAIN_EVENT_FIELD, value: json };
}

/** The stored JSON of a compact event (the inverse of {@link compactEvent}). */
export function expandEvent(value: string): string {
  const parts = value.split(SEP);
  if (parts.length !== 8) throw new Error('compact event has the wrong number of parts');
  const [code, messageId, userId, timestamp, receivedAt, sealed, extra, order] = parts;
  const type = CODE_TYPE.get(code);
  if (type === undefined) throw new Error(`compact event has an unknown type code ${JSON.stringify(code)}`);
  return eventJson({ type, messageId, userId, timestamp: b36ToIso(timestamp), receivedAt: b36ToIso(receivedAt), sealed, extra, order });
}

/**
 * A stored event taken apart as the compact forms keep it (this text form, and the binary one
 * of redis-event-binary.ts): the five keys every event has, the sealed blob without its
 * prefix ('' for none), the other keys as one JSON object ('' for none), and the key order
 * ('' for the one `normalizeEvent` writes).
 */
export interface EventParts {
  type: string;
  messageId: string;
  userId: string;
  timestamp: string;
  receivedAt: string;
  sealed: string;
  extra: string;
  order: string;
}

/** The stored JSON the parts were taken from (the inverse of {@link eventParts}). */
export function eventJson({ type, messageId, userId, timestamp, receivedAt, sealed, extra, order }: EventParts): string {
  const head: Record<string, string> = { t: type, m: messageId, u: userId, a: timestamp, r: receivedAt };
  const others = extra === '' ? [] : Object.entries(JSON.parse(extra) as Record<string, unknown>);
  const event: Record<string, unknown> = {};
  let next = 0;
  for (const letter of order === '' ? HEAD_LETTERS + OTHER.repeat(others.length) : order) {
    if (letter === OTHER) {
      const entry = others[next++];
      if (entry === undefined) throw new Error('compact event has fewer keys than its order');
      event[entry[0]] = entry[1];
    } else event[HEAD[HEAD_LETTERS.indexOf(letter)]] = head[letter];
  }
  if (sealed !== '') event.sealed = SEALED_PREFIX + sealed;
  return JSON.stringify(event);
}

/**
 * A stored event's JSON taken apart (see {@link EventParts}), or undefined when it is not an
 * object with the five string keys and (if any) a sealed blob last. The caller checks that
 * its form of the parts gives the JSON back.
 */
export function eventParts(json: string): EventParts | undefined {
  let event: unknown;
  try {
    event = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (event === null || typeof event !== 'object' || Array.isArray(event)) return undefined;
  const record = event as Record<string, unknown>;
  if (HEAD.some((k) => typeof record[k] !== 'string')) return undefined;
  const [type, messageId, userId, timestamp, receivedAt] = HEAD.map((k) => record[k] as string);
  let keys = Object.keys(record);
  let sealed = '';
  if (keys[keys.length - 1] === 'sealed') {
    const blob = record.sealed;
    if (typeof blob !== 'string' || !blob.startsWith(SEALED_PREFIX) || blob.length === SEALED_PREFIX.length) return undefined;
    sealed = blob.slice(SEALED_PREFIX.length);
    keys = keys.slice(0, -1);
  }
  const rest = keys.filter((k) => !(HEAD as readonly string[]).includes(k));
  let order = keys.map((k) => HEAD_LETTERS[(HEAD as readonly string[]).indexOf(k)] ?? OTHER).join('');
  if (order === HEAD_LETTERS + OTHER.repeat(rest.length)) order = '';
  const extra = rest.length ? JSON.stringify(Object.fromEntries(rest.map((k) => [k, record[k]]))) : '';
  return { type, messageId, userId, timestamp, receivedAt, sealed, extra, order };
}

function tryCompact(json: string): string | undefined {
  const p = eventParts(json);
  if (p === undefined) return undefined;
  const code = TYPE_CODE.get(p.type);
  const at = isoToB36(p.timestamp);
  const received = isoToB36(p.receivedAt);
  if (code === undefined || at === undefined || received === undefined) return undefined;
  const parts = [code, p.messageId, p.userId, at, received, p.sealed, p.extra, p.order];
  if (parts.some((part) => part.includes(SEP))) return undefined;
  return parts.join(SEP);
}
