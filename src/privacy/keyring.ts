import { ConfigError } from '../core/errors';

/**
 * Key rings as operators write them in the environment: `kid:base64key[,kid:base64key…]`.
 * The first key is current (it hashes or encrypts); the others stay only to read what was
 * written under them, which is what lets keys rotate without a flag day.
 */

/** One key and the id that travels with everything made with it. */
export interface Key {
  /** Short public name of the key: letters and digits, at most 16. */
  readonly id: string;
  /** The secret bytes. Never logged, never put in an error message. */
  readonly secret: Buffer;
}

/** Keys by id, with the one currently in use. */
export interface KeyRing {
  /** The key new values are made with. */
  readonly current: Key;
  /** Every key, current first, in the order given. */
  readonly keys: readonly Key[];
}

/** What a key of this ring must look like. */
export interface KeyRingRules {
  /** The variable's name, used in error messages. */
  name: string;
  /** Accepted secret sizes in bytes. */
  minBytes: number;
  maxBytes: number;
}

const KEY_ID = /^[A-Za-z0-9]{1,16}$/;
// Buffer.from(…, 'base64') silently skips junk; a typo in a key must fail loudly instead.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;

/**
 * Parses `kid:base64key[,kid:base64key…]`. Whitespace around entries is ignored; base64url
 * is accepted too. Errors name the entry by position and key id, never the secret.
 *
 * ```ts
 * const ring = parseKeyRing('k2:c2VjcmV0LXNlY3JldC1zZWNyZXQ=,k1:b2xkLW9sZC1vbGQtb2xkLW9sZA==', { name: 'ATTUNE_ID_KEY', minBytes: 16, maxBytes: 64 });
 * ring.current.id // 'k2'
 * ```
 */
export function parseKeyRing(spec: string, rules: KeyRingRules): KeyRing {
  const entries = spec.split(',').map((e) => e.trim());
  if (entries.length === 0 || entries.every((e) => e === '')) throw new ConfigError(`${rules.name} is empty`);
  const keys: Key[] = [];
  entries.forEach((entry, i) => {
    const where = `${rules.name} entry ${i + 1}`;
    const colon = entry.indexOf(':');
    if (colon < 0) throw new ConfigError(`${where} must look like kid:base64key`);
    const id = entry.slice(0, colon);
    const encoded = entry.slice(colon + 1).replace(/-/g, '+').replace(/_/g, '/');
    if (!KEY_ID.test(id)) throw new ConfigError(`${where}: key id must be 1 to 16 letters or digits`);
    if (keys.some((k) => k.id === id)) throw new ConfigError(`${where}: key id ${id} appears twice`);
    if (!BASE64.test(encoded) || encoded === '') throw new ConfigError(`${where} (${id}): key is not valid base64`);
    const secret = Buffer.from(encoded, 'base64');
    if (secret.length < rules.minBytes || secret.length > rules.maxBytes) {
      const size = rules.minBytes === rules.maxBytes ? `${rules.minBytes}` : `${rules.minBytes} to ${rules.maxBytes}`;
      throw new ConfigError(`${where} (${id}): key must be ${size} bytes, got ${secret.length}`);
    }
    keys.push({ id, secret });
  });
  return { current: keys[0], keys };
}

/** The key with this id, or undefined when the ring does not hold it (any more). */
export function findKey(ring: KeyRing, id: string): Key | undefined {
  return ring.keys.find((k) => k.id === id);
}

/** How {@link keyRingFromEnv} behaves when the variable is unset. */
export interface EnvKeyOptions {
  /** Where to read from; `process.env` by default. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Told once when the development key is used, so that the operator sees it in the logs. */
  onWarning?: (message: string) => void;
}

/**
 * Reads a key ring from the environment. When the variable is unset, the development ring is
 * used and `onWarning` is told, so `npm start` works out of the box; with
 * `NODE_ENV=production` an unset variable is a ConfigError instead, because a published
 * development key protects nothing.
 */
export function keyRingFromEnv(rules: KeyRingRules, development: string, options: EnvKeyOptions = {}): KeyRing {
  const env = options.env ?? process.env;
  const spec = env[rules.name];
  if (spec !== undefined && spec.trim() !== '') return parseKeyRing(spec, rules);
  if (env.NODE_ENV === 'production') throw new ConfigError(`${rules.name} must be set in production`);
  options.onWarning?.(`${rules.name} is not set: using the public development key, which protects nothing`);
  return parseKeyRing(development, rules);
}
