import { ByteReader, ByteWriter, base64urlBytes } from './redis-bytes';
import { compactEvent, eventJson, eventParts, type EventParts } from './redis-event-codec';

/**
 * The binary form of a stored event in the Redis event log, what the store writes now: the
 * parts of the compact text form (see redis-event-codec.ts), in bytes. The AES-GCM ciphertext
 * is kept as its raw bytes (its base64url text was a third longer), times as varints (the
 * receipt time as its distance from the entry's own receipt time, which the stream id
 * carries, so usually one byte; the event time as its distance from that), the type as one
 * byte, and a pseudonymous user id (`pid.<kid>.<22 base64url>`) as its key id and 16 digest
 * bytes (the ciphertext's key id, when it is the same, is then left out). An event of ~300 bytes in the text form keeps ~230 this way.
 *
 * Exact by construction, as the text form: {@link binaryEvent} decodes what it made and keeps
 * it only if that gives back the very JSON it was given; anything else is stored in the text
 * form (or plain), which readers keep reading, as they read every entry written before this.
 *
 * ```ts
 * const b = binaryEvent(form.event(e), now); // { field: 'b', value: <Buffer …> }
 * expandBinaryEvent(b.value as Buffer, now) === form.event(e); // true
 * ```
 */

/** The stream field of an event stored in the binary form. */
export const BINARY_EVENT_FIELD = 'b';

/** The event types, by their byte; the order is the format (append only). */
const TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;
/** A pseudonym as privacy/pseudonym.ts makes them: its key id, and a 16-byte digest in base64url. */
const PSEUDONYM = /^pid\.([A-Za-z0-9]{1,16})\.([A-Za-z0-9_-]{22})$/;
/** A sealed blob (after `enc:v1:`) as privacy/cipher.ts writes it: key id, 12-byte IV, 16-byte tag, ciphertext. */
const SEALED = /^([A-Za-z0-9]{1,16}):([A-Za-z0-9_-]{16}):([A-Za-z0-9_-]{22}):([A-Za-z0-9_-]*)$/;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const DIGEST_BYTES = 16;

/** How the user id is kept (one byte). */
const UserForm = { Text: 0, Pseudonym: 1 } as const;

/** How the sealed blob is kept (one byte). */
const SealedForm = { None: 0, Bytes: 1, Text: 2 } as const;

/** One stream field of a stored event: its name and value, bytes for the binary form. */
export interface StoredEventField {
  field: string;
  value: string | Buffer;
}

/**
 * The binary form of a stored event's JSON (field {@link BINARY_EVENT_FIELD}), received at
 * `at` (store clock, ms: what the entry's id or `t` field says), or the text form of
 * `compactEvent` when the binary one would not give it back exactly.
 */
export function binaryEvent(json: string, at: number): StoredEventField {
  const parts = eventParts(json);
  const value = parts === undefined ? undefined : tryBinary(parts, at);
  if (value !== undefined) {
    let back: string | undefined;
    try {
      back = expandBinaryEvent(value, at);
    } catch {
      back = undefined;
    }
    if (back === json) return { field: BINARY_EVENT_FIELD, value };
  }
  return compactEvent(json);
}

/** The stored JSON of a binary event received at `at` (the inverse of {@link binaryEvent}). */
export function expandBinaryEvent(bytes: Uint8Array, at: number): string {
  const r = new ByteReader(bytes);
  const type = TYPES[r.uint()];
  if (type === undefined) throw new Error('binary event has an unknown type');
  const messageId = r.text();
  const userForm = r.uint();
  let userId: string;
  let userKid = '';
  if (userForm === UserForm.Text) userId = r.text();
  else if (userForm === UserForm.Pseudonym) {
    userKid = r.text();
    userId = `pid.${userKid}.${r.raw(DIGEST_BYTES).toString('base64url')}`;
  } else throw new Error('binary event has an unknown user form');
  const received = at + r.int();
  const timestamp = new Date(received + r.int()).toISOString();
  const extra = r.text();
  const order = r.text();
  const sealedForm = r.uint();
  let sealed = '';
  if (sealedForm === SealedForm.Bytes) {
    // An empty key id is the pseudonym's (key ids are never empty).
    const kid = r.text() || userKid;
    if (kid === '') throw new Error('binary event has a sealed part without a key id');
    const iv = r.raw(IV_BYTES).toString('base64url');
    const tag = r.raw(TAG_BYTES).toString('base64url');
    sealed = `${kid}:${iv}:${tag}:${r.rest().toString('base64url')}`;
  } else if (sealedForm === SealedForm.Text) sealed = r.text();
  else if (sealedForm !== SealedForm.None) throw new Error('binary event has an unknown sealed form');
  if (!r.ended) throw new Error('binary event has bytes left over');
  return eventJson({ type, messageId, userId, timestamp, receivedAt: new Date(received).toISOString(), sealed, extra, order });
}

function tryBinary(p: EventParts, at: number): Buffer | undefined {
  const type = (TYPES as readonly string[]).indexOf(p.type);
  const timestamp = exactMs(p.timestamp);
  const received = exactMs(p.receivedAt);
  if (type < 0 || timestamp === undefined || received === undefined || !Number.isSafeInteger(at)) return undefined;
  const w = new ByteWriter();
  try {
    w.uint(type).text(p.messageId);
    const pseudonym = PSEUDONYM.exec(p.userId);
    const digest = pseudonym ? base64urlBytes(pseudonym[2], DIGEST_BYTES) : undefined;
    if (pseudonym && digest) w.uint(UserForm.Pseudonym).text(pseudonym[1]).raw(digest);
    else w.uint(UserForm.Text).text(p.userId);
    w.int(received - at).int(timestamp - received).text(p.extra).text(p.order);
    if (p.sealed === '') return w.uint(SealedForm.None).done();
    const blob = SEALED.exec(p.sealed);
    const iv = blob ? base64urlBytes(blob[2], IV_BYTES) : undefined;
    const tag = blob ? base64urlBytes(blob[3], TAG_BYTES) : undefined;
    const body = blob ? base64urlBytes(blob[4]) : undefined;
    // The same key usually names both (one ring): then the cipher's key id is left empty.
    const kid = blob && pseudonym && digest && blob[1] === pseudonym[1] ? '' : blob?.[1];
    if (blob && iv && tag && body && kid !== undefined) return w.uint(SealedForm.Bytes).text(kid).raw(iv).raw(tag).raw(body).done();
    return w.uint(SealedForm.Text).text(p.sealed).done();
  } catch (e) {
    // A number this form cannot hold (a distance beyond a safe integer): the text form takes it.
    if (e instanceof RangeError) return undefined;
    throw e;
  }
}

/** Epoch ms of an ISO time that `toISOString` prints back exactly, else undefined. */
function exactMs(iso: string): number | undefined {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) && new Date(ms).toISOString() === iso ? ms : undefined;
}
