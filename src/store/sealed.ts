import { createHash } from 'node:crypto';
import { deepFreeze } from '../core/frozen';
import { JsonMemo } from './json-memo';
import type { AttuneEvent } from '../core/event';
import type { Profile } from '../core/profile';
import type { Session } from '../core/session';
import { DecryptionError, encryptionKeyId, fieldAad, isEncrypted, type Cipher } from '../privacy/cipher';
import { SealCache } from './seal-cache';
import { type ReadBack, readBackEvent, readBackProfile, readBackSession } from './read-back';
import { WrittenRecords } from './written';

/**
 * The stored form of events, profiles and sessions, shared by every store so that memory holds
 * exactly what Redis holds: with a cipher, the personal parts are sealed (AES-256-GCM) and
 * each ciphertext is bound to its user as associated data, so a value copied into another
 * user's record no longer decrypts. Without one, the same shapes hold plain JSON.
 *
 * Stores deal in immutable values: writing a value freezes it (the store took it over) and
 * every value read back is frozen, in depth (see `deepFreeze`).
 *
 * ```ts
 * const form = new StoredForm(createCipher(encryptionKeysFromEnv()));
 * const raw = form.event(e);        // what the store keeps
 * form.readEvent(raw);              // e again
 * ```
 */
export class StoredForm {
  /** JSON of profile fields, remembered: most of a profile is the same from one turn to the next. */
  private readonly json = new JsonMemo();

  /** Sealed fields remembered both ways (see {@link SealCache}); none without a cipher. */
  private readonly seals: SealCache | undefined;

  /** What was written, so that reading it back decodes nothing (see {@link WrittenRecords}). */
  private readonly written = new WrittenRecords();

  constructor(private readonly cipher?: Cipher) {
    this.seals = cipher ? new SealCache(cipher) : undefined;
  }

  /** Whether values are encrypted. */
  get sealed(): boolean {
    return this.cipher !== undefined;
  }

  /**
   * An event as stored: one JSON string, its properties, traits, context and names (an event
   * or page name is free text, as personal as a property) in one sealed blob.
   */
  event(e: AttuneEvent): string {
    deepFreeze(e);
    if (!this.cipher) return JSON.stringify(e);
    const { properties, traits, context, event, name, ...rest } = e;
    const sealed = this.cipher.encrypt(JSON.stringify({ properties, traits, context, event, name }), eventAad(e));
    return JSON.stringify({ ...rest, [SEALED]: sealed });
  }

  /**
   * Reverses {@link StoredForm.event}; events stored before encryption was on read as they
   * are. What is read is checked (see `readBackEvent`): a damaged entry reads as mended.
   */
  readEvent(raw: string): AttuneEvent {
    const stored = this.mend(() => JSON.parse(raw) as unknown, null) as (AttuneEvent & { [SEALED]?: string }) | null;
    const sealed = stored?.[SEALED];
    if (stored === null || sealed === undefined) return deepFreeze(this.checked(readBackEvent(stored)));
    if (!this.cipher) throw new TypeError('an encrypted event was read by a store without a cipher');
    const { [SEALED]: _sealed, ...rest } = stored;
    const opened = this.mend(() => JSON.parse(this.cipher!.decrypt(sealed, eventAad(rest))) as Partial<Pick<AttuneEvent, 'properties' | 'traits' | 'context' | 'event' | 'name'>>, {});
    // Events sealed before names were sealed keep their names outside the blob, in `rest`.
    return deepFreeze(this.checked(readBackEvent({ ...rest, ...opened })));
  }

  /** How many damaged values reads have mended since the store opened. */
  get repairs(): number {
    return this.repairCount;
  }

  private repairCount = 0;

  private checked<T>(read: ReadBack<T>): T {
    if (read.repaired.length) this.repairCount += 1;
    return read.value;
  }

  /**
   * Runs a parse or a decryption of one stored value; a damaged value (bad JSON, a ciphertext
   * that fails authentication) gives `fallback`. A key missing from the ring is not damage but
   * configuration, and is thrown: mending would overwrite data the right key could read.
   */
  private mend<T>(read: () => T, fallback: T): T {
    try {
      return read();
    } catch (err) {
      if (err instanceof DecryptionError && err.reason === 'unknown_key') throw err;
      this.repairCount += 1;
      return fallback;
    }
  }

  /** A profile as stored: one string field per top-level property (a Redis HASH), traits, counts and recent times sealed. */
  profile(p: Profile): Record<string, string> {
    deepFreeze(p);
    const value = this.seal(p, PROFILE_SEALED, profileAad(p.userId));
    const fields: Record<string, string> = {};
    // Undefined properties are left out, as JSON would drop them.
    for (const [k, v] of Object.entries(value)) if (v !== undefined) fields[k] = this.json.stringify(v);
    // Frozen, so that these very fields are this profile for as long as they exist.
    Object.freeze(fields);
    this.written.profileWritten(fields, p);
    return fields;
  }

  /** Reverses {@link StoredForm.profile}; no fields (a missing hash) is null. */
  readProfile(fields: Readonly<Record<string, string>>): Profile | null {
    // Fields this form wrote: checked from the profile they were made of, as a read of them would be.
    const wrote = this.written.profile(fields);
    if (wrote !== undefined) return deepFreeze(this.checked(readBackProfile(definedOnly(wrote))));
    const entries = Object.entries(fields);
    if (!entries.length) return null;
    // A field that does not parse is left out, and mended below like any field of a wrong shape.
    const stored: Record<string, unknown> = {};
    for (const [k, v] of entries) {
      const parsed = this.mend(() => this.json.parse(v), undefined);
      if (parsed !== undefined) stored[k] = parsed;
    }
    const userId = typeof stored.userId === 'string' ? stored.userId : '';
    // Field by field: one damaged ciphertext costs that field only.
    let opened = stored;
    for (const f of PROFILE_SEALED) {
      const before = opened;
      opened = this.mend(() => this.open(before, [f], profileAad(userId)), { ...before, [f]: undefined });
    }
    return deepFreeze(this.checked(readBackProfile(opened)));
  }

  /** A session as stored: JSON, its turns, entities and slots sealed. */
  session(s: Session): string {
    deepFreeze(s);
    const aad = sessionAad(s);
    const raw = JSON.stringify(this.seal(s, SESSION_SEALED, aad));
    this.written.sessionWritten(raw, aad, s);
    return raw;
  }

  /** Reverses {@link StoredForm.session}; a session damaged beyond mending reads as none. */
  readSession(raw: string): Session | null {
    const wrote = this.written.session(raw);
    if (wrote !== undefined) return deepFreeze(this.checked(readBackSession(wrote)));
    const stored = this.mend(() => JSON.parse(raw) as Session, null);
    if (stored === null || typeof stored !== 'object') return null;
    const opened = this.mend(() => this.open(stored, SESSION_SEALED, sessionAad(stored)), { ...stored, turns: [], entities: {}, slots: {} });
    return deepFreeze(this.checked(readBackSession(opened)));
  }

  /**
   * Whether a stored value needs rewriting to be under the current key: it holds a ciphertext
   * of an older key, or plaintext where a ciphertext belongs (an empty object or list holds
   * nothing to seal, see {@link StoredForm.seal}). Always false without a cipher.
   */
  stale(raw: string | Readonly<Record<string, string>>): boolean {
    if (!this.cipher) return false;
    const current = this.cipher.currentKeyId?.() ?? encryptionKeyId(this.cipher.encrypt(''));
    const texts = typeof raw === 'string' ? [raw] : PROFILE_SEALED.map((f) => raw[f] ?? '');
    // Each sealed part is a JSON string "enc:v1:<kid>:…"; a value without one is plaintext.
    return texts.some((t) => {
      const kids = [...t.matchAll(/"enc:v1:([A-Za-z0-9]{1,16}):/g)].map((m) => m[1]);
      if (kids.some((k) => k !== current)) return true;
      return typeof raw === 'string' ? this.plainInside(t) : kids.length === 0 && !EMPTY_JSON.has(t) && t !== '';
    });
  }

  /** Whether a stored event or session holds in clear what belongs sealed (an empty session field excepted). */
  private plainInside(raw: string): boolean {
    const stored = this.mend(() => JSON.parse(raw) as Record<string, unknown>, null);
    if (stored === null || typeof stored !== 'object') return false;
    if (Object.hasOwn(stored, SEALED)) return false;
    // An event in clear: its personal parts were never sealed.
    if (Object.hasOwn(stored, 'messageId')) return true;
    return SESSION_SEALED.some((f) => stored[f] !== undefined && !isEncrypted(stored[f]) && !EMPTY_JSON.has(JSON.stringify(stored[f])));
  }

  /**
   * A copy with the named fields sealed, each bound to `aad` and its own name (as
   * `Cipher.encryptFields` binds them, so either reads the other's). An empty object or list
   * stays as it is: it holds nothing personal, and sealing `{}` was a sixth of a turn's
   * encryptions. Without a cipher, the value itself.
   */
  private seal<T extends object>(value: T, fields: readonly (keyof T & string)[], aad: string): T {
    const seals = this.seals;
    if (!seals) return value;
    const copy = { ...value } as Record<string, unknown>;
    for (const f of fields) {
      const v = copy[f];
      if (v === undefined) continue;
      // Only its ciphertext is stored, so its plaintext is never parsed back: not remembered for parsing.
      const json = this.json.stringify(v, false);
      if (!EMPTY_JSON.has(json)) copy[f] = seals.seal(v, json, fieldAad(aad, f));
    }
    return copy as T;
  }

  private open<T extends object>(stored: T, fields: readonly (keyof T & string)[], aad: string): T {
    const sealed = fields.filter((f) => isEncrypted(stored[f]));
    if (!sealed.length) return stored;
    if (!this.seals) throw new TypeError('an encrypted value was read by a store without a cipher');
    const copy = { ...stored } as Record<string, unknown>;
    for (const f of sealed) copy[f] = this.seals.open(copy[f] as string, fieldAad(aad, f));
    return copy as T;
  }
}

/** `p` without its undefined properties, as its stored fields read back (they leave those out). */
function definedOnly(p: Profile): Profile {
  for (const k in p) {
    if ((p as unknown as Record<string, unknown>)[k] === undefined) {
      const copy: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(p)) if (v !== undefined) copy[key] = v;
      return copy as unknown as Profile;
    }
  }
  return p;
}

/** The JSON of values with nothing in them, which are stored as they are. */
const EMPTY_JSON: ReadonlySet<string> = new Set(['{}', '[]']);

/**
 * How a suppressed id is kept: its SHA-256, so the list proves "this id was erased" to whoever
 * already knows the id, and spells it to no one else.
 */
export function suppressionDigest(userId: string): string {
  return createHash('sha256').update(userId, 'utf8').digest('hex');
}

const SEALED = 'sealed';
/** The profile fields sealed with a cipher. Counts and recent times are keyed by event names, free text like properties. */
export const PROFILE_SEALED = ['traits', 'counts', 'recent'] as const satisfies readonly (keyof Profile)[];
const SESSION_SEALED = ['turns', 'entities', 'slots'] as const satisfies readonly (keyof Session)[];

// The message id is bound too, so two events of one user cannot swap their blobs.
const eventAad = (e: Pick<AttuneEvent, 'userId' | 'messageId'>) => `user:${e.userId}\u0000event:${e.messageId}`;
const profileAad = (userId: string) => `user:${userId}\u0000profile`;
const sessionAad = (s: Pick<Session, 'userId' | 'id'>) => `user:${s.userId}\u0000session:${s.id}`;
