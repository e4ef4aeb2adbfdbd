import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';
import { AttuneError } from '../core/errors';
import { findKey, keyRingFromEnv, parseKeyRing, type EnvKeyOptions, type KeyRing } from './keyring';

/**
 * Encryption at rest with AES-256-GCM. A ciphertext is one self-describing string,
 * `enc:v1:<kid>:<iv>:<tag>:<ciphertext>` (base64url parts), so it fits any store value, says
 * which key made it (keys rotate), and is told apart from plaintext by {@link isEncrypted}.
 * Associated data binds a ciphertext to where it belongs (a user, a field): moved anywhere
 * else it no longer decrypts.
 */

/** The environment variable holding the encryption key ring, `kid:base64key[,…]`. */
export const ENCRYPTION_KEYS_ENV = 'ATTUNE_ENCRYPTION_KEYS';

const RULES = { name: ENCRYPTION_KEYS_ENV, minBytes: 32, maxBytes: 32 };

/**
 * The development key used when `ATTUNE_ENCRYPTION_KEYS` is unset outside production. It is
 * public, so data encrypted with it is only obscured, not protected.
 */
export const DEVELOPMENT_ENCRYPTION_KEY = `dev:${Buffer.from('attune-dev-encryption-not-secret').toString('base64')}`;

const PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const B64URL = '[A-Za-z0-9_-]';
const CIPHERTEXT = new RegExp(`^enc:v1:([A-Za-z0-9]{1,16}):(${B64URL}{16}):(${B64URL}{22}):(${B64URL}*)$`);

/** Why a ciphertext could not be decrypted. */
export type DecryptionFailure = 'malformed' | 'unknown_key' | 'tampered';

/** A ciphertext could not be decrypted; `reason` says why. Never carries key or plaintext. */
export class DecryptionError extends AttuneError {
  /** `malformed`: not our format; `unknown_key`: its key left the ring; `tampered`: failed authentication. */
  readonly reason: DecryptionFailure;
  constructor(reason: DecryptionFailure, message: string) {
    super('invalid_argument', message);
    this.reason = reason;
  }
}

/**
 * Parses an encryption key ring; every key must be exactly 32 bytes (AES-256), else ConfigError.
 *
 * ```ts
 * const ring = parseEncryptionKeys(`k1:${randomBytes(32).toString('base64')}`);
 * ```
 */
export function parseEncryptionKeys(spec: string): KeyRing {
  return parseKeyRing(spec, RULES);
}

/** Reads the ring from `ATTUNE_ENCRYPTION_KEYS`, with the development fallback of {@link keyRingFromEnv}. */
export function encryptionKeysFromEnv(options: EnvKeyOptions = {}): KeyRing {
  return keyRingFromEnv(RULES, DEVELOPMENT_ENCRYPTION_KEY, options);
}

/**
 * Whether a value is a ciphertext of this module (by its form; it proves nothing about
 * authenticity, which only {@link Cipher.decrypt} checks).
 */
export function isEncrypted(value: unknown): value is string {
  return typeof value === 'string' && CIPHERTEXT.test(value);
}

/** The id of the key a ciphertext was made with, or undefined when it is no ciphertext. */
export function encryptionKeyId(value: string): string | undefined {
  return CIPHERTEXT.exec(value)?.[1];
}

/** An object whose fields `K` have been encrypted to ciphertext strings. */
export type EncryptedFields<T, K extends keyof T> = Omit<T, K> & { [P in K]: string | Extract<T[P], undefined> };

/** Encrypts and decrypts with one key ring; holds no other state. */
export interface Cipher {
  /**
   * The id of the key {@link Cipher.encrypt} uses now. Optional for other implementations;
   * without it, callers cannot tell whether a ciphertext they remember is current, and do not reuse one.
   */
  currentKeyId?(): string;
  /** Encrypts under the current key with a fresh random IV, optionally bound to `aad`. */
  encrypt(plaintext: string, aad?: string): string;
  /** Decrypts; the same `aad` must be given. Throws {@link DecryptionError}. */
  decrypt(ciphertext: string, aad?: string): string;
  /** Re-encrypts under the current key (rotation); a ciphertext already under it is returned as is. */
  reencrypt(ciphertext: string, aad?: string): string;
  /**
   * Returns a copy with the named fields replaced by the ciphertext of their JSON; each field is
   * bound to `aad` and to its own name, so two fields cannot be swapped. Undefined fields stay
   * undefined.
   */
  encryptFields<T extends object, K extends keyof T & string>(value: T, fields: readonly K[], aad?: string): EncryptedFields<T, K>;
  /**
   * Reverses {@link Cipher.encryptFields}. A named field that is not a ciphertext is left as it
   * is, so data written before encryption was turned on still reads.
   */
  decryptFields<T extends object, K extends keyof T & string>(value: EncryptedFields<T, K>, fields: readonly K[], aad?: string): T;
}

/**
 * Builds a cipher over a key ring.
 *
 * ```ts
 * const cipher = createCipher(encryptionKeysFromEnv());
 * const stored = cipher.encrypt('I live at 1 Main St', `user:${pseudonym}`);
 * cipher.decrypt(stored, `user:${pseudonym}`) // 'I live at 1 Main St'
 * ```
 */
export function createCipher(ring: KeyRing): Cipher {
  const ivs = new IvPool();
  const encrypt = (plaintext: string, aad = ''): string => {
    const { id, secret } = ring.current;
    const iv = ivs.next();
    const cipher = createCipheriv('aes-256-gcm', secret, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(boundAad(id, aad));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${PREFIX}${id}:${iv.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}:${body.toString('base64url')}`;
  };

  const decrypt = (ciphertext: string, aad = ''): string => {
    const m = CIPHERTEXT.exec(ciphertext);
    if (!m) throw new DecryptionError('malformed', 'not an Attune ciphertext');
    const [, id, iv, tag, body] = m;
    const key = findKey(ring, id);
    if (!key) throw new DecryptionError('unknown_key', `encryption key ${id} is not in ${ENCRYPTION_KEYS_ENV}`);
    const decipher = createDecipheriv('aes-256-gcm', key.secret, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
    decipher.setAAD(boundAad(id, aad));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new DecryptionError('tampered', 'ciphertext failed authentication: altered, or given the wrong associated data');
    }
  };

  return {
    currentKeyId: () => ring.current.id,
    encrypt,
    decrypt,
    reencrypt(ciphertext, aad) {
      // Decrypt even when no rotation is needed: rotation must not wave a forgery through.
      const plaintext = decrypt(ciphertext, aad);
      return encryptionKeyId(ciphertext) === ring.current.id ? ciphertext : encrypt(plaintext, aad);
    },
    encryptFields: (value, fields, aad = '') =>
      mapFields(value, fields, (v, field) => (v === undefined ? v : encrypt(JSON.stringify(v), fieldAad(aad, field)))),
    decryptFields: (value, fields, aad = '') =>
      mapFields(value, fields, (v, field) => (isEncrypted(v) ? (JSON.parse(decrypt(v, fieldAad(aad, field))) as unknown) : v)),
  };
}

/** The key id and format version are authenticated too, so a header cannot be rewritten. */
const boundAad = (keyId: string, aad: string): Buffer => Buffer.from(`${PREFIX}${keyId}\u0000${aad}`, 'utf8');

/** The associated data of one field of {@link Cipher.encryptFields}: the value's, bound to the field's name. */
export const fieldAad = (aad: string, field: string): string => `${aad}\u0000field:${field}`;

/** IVs per refill: one system call for this many encryptions instead of one each. */
const IVS_PER_REFILL = 256;

/**
 * Random IVs drawn from the system's CSPRNG in blocks: the randomness is the same as one
 * `randomBytes(12)` per call, without a system call per encryption (a turn makes several).
 * Each IV is copied out, so no two ciphertexts share the pool's memory.
 */
class IvPool {
  private readonly block = Buffer.alloc(IV_BYTES * IVS_PER_REFILL);
  private used = this.block.length;

  next(): Buffer {
    if (this.used === this.block.length) {
      randomFillSync(this.block);
      this.used = 0;
    }
    const iv = Buffer.from(this.block.subarray(this.used, this.used + IV_BYTES));
    // Wiped as handed out, so an IV never lingers in the pool once used.
    this.block.fill(0, this.used, this.used + IV_BYTES);
    this.used += IV_BYTES;
    return iv;
  }
}

// The field helpers change the types of exactly the named fields; the casts state that.
function mapFields<R>(value: object, fields: readonly string[], f: (v: unknown, field: string) => unknown): R {
  const copy: Record<string, unknown> = { ...value };
  for (const field of fields) {
    if (Object.hasOwn(copy, field)) copy[field] = f(copy[field], field);
  }
  return copy as R;
}
