import { createHash } from 'node:crypto';
import { deepFreeze } from '../core/frozen';
import { JsonMemo } from './json-memo';
import type { AttuneEvent } from '../core/event';
import type { Profile } from '../core/profile';
import type { Session } from '../core/session';
import { encryptionKeyId, isEncrypted, type Cipher, type EncryptedFields } from '../privacy/cipher';

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

  constructor(private readonly cipher?: Cipher) {}

  /** Whether values are encrypted. */
  get sealed(): boolean {
    return this.cipher !== undefined;
  }

  /** An event as stored: one JSON string, its properties, traits and context in one sealed blob. */
  event(e: AttuneEvent): string {
    deepFreeze(e);
    if (!this.cipher) return JSON.stringify(e);
    const { properties, traits, context, ...rest } = e;
    const sealed = this.cipher.encrypt(JSON.stringify({ properties, traits, context }), eventAad(e));
    return JSON.stringify({ ...rest, [SEALED]: sealed });
  }

  /** Reverses {@link StoredForm.event}; events stored before encryption was on read as they are. */
  readEvent(raw: string): AttuneEvent {
    const stored = JSON.parse(raw) as AttuneEvent & { [SEALED]?: string };
    const sealed = stored[SEALED];
    if (sealed === undefined) return deepFreeze(stored);
    if (!this.cipher) throw new TypeError('an encrypted event was read by a store without a cipher');
    const { [SEALED]: _sealed, ...rest } = stored;
    const opened = JSON.parse(this.cipher.decrypt(sealed, eventAad(rest))) as Pick<AttuneEvent, 'properties' | 'traits' | 'context'>;
    return deepFreeze({ ...rest, ...opened });
  }

  /** A profile as stored: one string field per top-level property (a Redis HASH), traits sealed. */
  profile(p: Profile): Record<string, string> {
    deepFreeze(p);
    const value = this.cipher ? this.cipher.encryptFields(p, PROFILE_SEALED, profileAad(p.userId)) : p;
    const fields: Record<string, string> = {};
    // Undefined properties are left out, as JSON would drop them.
    for (const [k, v] of Object.entries(value)) if (v !== undefined) fields[k] = this.json.stringify(v);
    return fields;
  }

  /** Reverses {@link StoredForm.profile}; no fields (a missing hash) is null. */
  readProfile(fields: Readonly<Record<string, string>>): Profile | null {
    const entries = Object.entries(fields);
    if (!entries.length) return null;
    const stored = Object.fromEntries(entries.map(([k, v]) => [k, this.json.parse(v)])) as unknown as Profile;
    return deepFreeze(this.open(stored, PROFILE_SEALED, profileAad(stored.userId)));
  }

  /** A session as stored: JSON, its turns, entities and slots sealed. */
  session(s: Session): string {
    deepFreeze(s);
    return JSON.stringify(this.cipher ? this.cipher.encryptFields(s, SESSION_SEALED, sessionAad(s)) : s);
  }

  /** Reverses {@link StoredForm.session}. */
  readSession(raw: string): Session {
    const stored = JSON.parse(raw) as Session;
    return deepFreeze(this.open(stored, SESSION_SEALED, sessionAad(stored)));
  }

  /**
   * Whether a stored value needs rewriting to be under the current key: it holds a ciphertext
   * of an older key, or plaintext where a ciphertext belongs. Always false without a cipher.
   */
  stale(raw: string | Readonly<Record<string, string>>): boolean {
    if (!this.cipher) return false;
    const current = encryptionKeyId(this.cipher.encrypt(''));
    const texts = typeof raw === 'string' ? [raw] : PROFILE_SEALED.map((f) => raw[f] ?? '');
    // Each sealed part is a JSON string "enc:v1:<kid>:…"; a value without one is plaintext.
    return texts.some((t) => {
      const kids = [...t.matchAll(/"enc:v1:([A-Za-z0-9]{1,16}):/g)].map((m) => m[1]);
      return kids.length === 0 ? t !== '' : kids.some((k) => k !== current);
    });
  }

  private open<T extends object, K extends keyof T & string>(stored: T, fields: readonly K[], aad: string): T {
    const sealed = fields.some((f) => isEncrypted(stored[f]));
    if (!sealed) return stored;
    if (!this.cipher) throw new TypeError('an encrypted value was read by a store without a cipher');
    return this.cipher.decryptFields(stored as unknown as EncryptedFields<T, K>, fields, aad);
  }
}

/**
 * How a suppressed id is kept: its SHA-256, so the list proves "this id was erased" to whoever
 * already knows the id, and spells it to no one else.
 */
export function suppressionDigest(userId: string): string {
  return createHash('sha256').update(userId, 'utf8').digest('hex');
}

const SEALED = 'sealed';
const PROFILE_SEALED = ['traits'] as const satisfies readonly (keyof Profile)[];
const SESSION_SEALED = ['turns', 'entities', 'slots'] as const satisfies readonly (keyof Session)[];

// The message id is bound too, so two events of one user cannot swap their blobs.
const eventAad = (e: Pick<AttuneEvent, 'userId' | 'messageId'>) => `user:${e.userId}\u0000event:${e.messageId}`;
const profileAad = (userId: string) => `user:${userId}\u0000profile`;
const sessionAad = (s: Pick<Session, 'userId' | 'id'>) => `user:${s.userId}\u0000session:${s.id}`;
