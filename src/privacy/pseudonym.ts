import { createHmac } from 'node:crypto';
import { ValidationError } from '../core/errors';
import { findKey, keyRingFromEnv, parseKeyRing, type EnvKeyOptions, type KeyRing } from './keyring';

/**
 * Pseudonymous user ids: a keyed HMAC-SHA256 of the raw id, so raw ids never reach a store and
 * nobody without the key can link a pseudonym back to a person. A pseudonym reads
 * `pid.<kid>.<digest>`: the key id lets keys rotate (old data stays findable under the old
 * key), and the `pid.` prefix keeps a pseudonym from being mistaken for a raw id.
 */

/** The environment variable holding the id key ring, `kid:base64key[,kid:base64key…]`. */
export const ID_KEY_ENV = 'ATTUNE_ID_KEY';

const RULES = { name: ID_KEY_ENV, minBytes: 16, maxBytes: 64 };

/**
 * The development key used when `ATTUNE_ID_KEY` is unset outside production. It is public
 * (it is right here), so pseudonyms made with it are stable but not secret.
 */
export const DEVELOPMENT_ID_KEY = `dev:${Buffer.from('attune-development-id-key-not-secret').toString('base64')}`;

/** 16 bytes of digest (128 bits): collisions stay negligible far beyond any user count. */
const DIGEST_BYTES = 16;
const PSEUDONYM = /^pid\.([A-Za-z0-9]{1,16})\.([A-Za-z0-9_-]{22})$/;

/**
 * Parses an id key ring; keys must be 16 to 64 bytes. A malformed string is a ConfigError.
 *
 * ```ts
 * const ring = parseIdKeyRing('k1:' + randomBytes(32).toString('base64'));
 * ```
 */
export function parseIdKeyRing(spec: string): KeyRing {
  return parseKeyRing(spec, RULES);
}

/**
 * Reads the id key ring from `ATTUNE_ID_KEY`; see {@link keyRingFromEnv} for the development
 * fallback and its warning.
 *
 * ```ts
 * const ring = idKeyRingFromEnv({ onWarning: (m) => logger.warn(m) });
 * ```
 */
export function idKeyRingFromEnv(options: EnvKeyOptions = {}): KeyRing {
  return keyRingFromEnv(RULES, DEVELOPMENT_ID_KEY, options);
}

/**
 * The pseudonym of a raw id under the ring's current key: stable for the same id and key.
 *
 * ```ts
 * pseudonymize('user-42', ring) // 'pid.k1.Xq3…' (22 base64url characters after the key id)
 * ```
 */
export function pseudonymize(rawId: string, ring: KeyRing): string {
  return pseudonymWith(rawId, ring.current.id, ring.current.secret);
}

/**
 * The pseudonyms of a raw id under every key of the ring, current first: what to look up
 * when answering an export or erase request by raw id after a key rotation.
 */
export function pseudonymsOf(rawId: string, ring: KeyRing): string[] {
  return ring.keys.map((k) => pseudonymWith(rawId, k.id, k.secret));
}

function pseudonymWith(rawId: string, keyId: string, secret: Buffer): string {
  if (rawId === '') throw new ValidationError('cannot pseudonymize an empty id');
  const digest = createHmac('sha256', secret).update(rawId, 'utf8').digest().subarray(0, DIGEST_BYTES);
  return `pid.${keyId}.${digest.toString('base64url')}`;
}

/**
 * Whether a string has the form of a pseudonym (and, given a ring, was made with one of its
 * keys), so that it is never hashed twice. Only for ids read back from Attune's own stores:
 * an id arriving from outside must always be pseudonymized, or a caller could pass someone
 * else's pseudonym as its own id.
 */
export function isPseudonym(value: string, ring?: KeyRing): boolean {
  const m = PSEUDONYM.exec(value);
  return m !== null && (ring === undefined || findKey(ring, m[1]) !== undefined);
}

/** The id of the key a pseudonym was made with, or undefined when it is no pseudonym. */
export function pseudonymKeyId(value: string): string | undefined {
  return PSEUDONYM.exec(value)?.[1];
}
