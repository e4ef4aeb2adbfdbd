import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { ConfigError } from '../../src/core/errors';
import {
  createCipher,
  DecryptionError,
  DEVELOPMENT_ENCRYPTION_KEY,
  encryptionKeyId,
  encryptionKeysFromEnv,
  isEncrypted,
  parseEncryptionKeys,
} from '../../src/privacy/cipher';

const key = () => randomBytes(32).toString('base64');
const k1 = key();
const cipher = createCipher(parseEncryptionKeys(`k1:${k1}`));

function expectFailure(f: () => unknown, reason: DecryptionError['reason']): void {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(DecryptionError);
  expect((caught as DecryptionError).reason).toBe(reason);
}

describe('encrypt and decrypt', () => {
  it('round-trips any string, with or without associated data', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.option(fc.string(), { nil: undefined }), (plaintext, aad) => {
        const ct = cipher.encrypt(plaintext, aad);
        expect(isEncrypted(ct)).toBe(true);
        expect(cipher.decrypt(ct, aad)).toBe(plaintext);
      }),
    );
  });

  it('writes a self-describing string with the key id and a fresh IV each time', () => {
    const a = cipher.encrypt('same');
    const b = cipher.encrypt('same');
    expect(a).toMatch(/^enc:v1:k1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('same');
    expect(encryptionKeyId(a)).toBe('k1');
  });

  it('tells ciphertexts from plaintext', () => {
    expect(isEncrypted('hello')).toBe(false);
    expect(isEncrypted('enc:v1:k1:short')).toBe(false);
    expect(isEncrypted(42)).toBe(false);
    expect(encryptionKeyId('hello')).toBeUndefined();
  });
});

describe('tampering', () => {
  const ct = cipher.encrypt('card on file', 'user:pid.k1.a');

  it('detects any changed character of iv, tag or body', () => {
    const parts = ct.split(':');
    for (const index of [3, 4, 5]) {
      const changed = [...parts];
      changed[index] = (changed[index][0] === 'A' ? 'B' : 'A') + changed[index].slice(1);
      expectFailure(() => cipher.decrypt(changed.join(':'), 'user:pid.k1.a'), 'tampered');
    }
  });

  it('refuses a ciphertext moved to another user (other associated data)', () => {
    expectFailure(() => cipher.decrypt(ct, 'user:pid.k1.b'), 'tampered');
    expectFailure(() => cipher.decrypt(ct), 'tampered');
  });

  it('refuses a rewritten key id', () => {
    const other = createCipher(parseEncryptionKeys(`k2:${k1}`));
    expectFailure(() => other.decrypt(ct.replace(':k1:', ':k2:'), 'user:pid.k1.a'), 'tampered');
  });

  it('names malformed input and unknown keys apart', () => {
    expectFailure(() => cipher.decrypt('plain text'), 'malformed');
    const foreign = createCipher(parseEncryptionKeys(`k9:${key()}`)).encrypt('x');
    expectFailure(() => cipher.decrypt(foreign), 'unknown_key');
  });
});

describe('key rotation', () => {
  const before = createCipher(parseEncryptionKeys(`k1:${k1}`));
  const after = createCipher(parseEncryptionKeys(`k2:${key()},k1:${k1}`));

  it('decrypts old ciphertexts and re-encrypts them under the current key', () => {
    const old = before.encrypt('hello', 'aad');
    expect(after.decrypt(old, 'aad')).toBe('hello');
    const rotated = after.reencrypt(old, 'aad');
    expect(encryptionKeyId(rotated)).toBe('k2');
    expect(after.decrypt(rotated, 'aad')).toBe('hello');
    expect(after.reencrypt(rotated, 'aad')).toBe(rotated);
  });

  it('does not rotate a forgery', () => {
    const current = after.encrypt('hello', 'aad');
    expectFailure(() => after.reencrypt(current, 'other'), 'tampered');
  });

  it('cannot read ciphertexts once their key has left the ring', () => {
    const retired = createCipher(parseEncryptionKeys(`k2:${key()}`));
    expectFailure(() => retired.decrypt(before.encrypt('x')), 'unknown_key');
  });
});

describe('field helpers', () => {
  interface Profile {
    id: string;
    traits: { email: string; age: number };
    notes?: string[];
    plan: string;
  }
  const profile: Profile = { id: 'pid.k1.a', traits: { email: 'ann@example.com', age: 41 }, plan: 'pro' };

  it('encrypts the named fields as JSON and decrypts them back', () => {
    const stored = cipher.encryptFields(profile, ['traits', 'notes'], profile.id);
    expect(stored.id).toBe('pid.k1.a');
    expect(isEncrypted(stored.traits)).toBe(true);
    expect(stored.notes).toBeUndefined();
    expect(JSON.stringify(stored)).not.toContain('ann@example.com');
    expect(cipher.decryptFields(stored, ['traits', 'notes'], profile.id)).toEqual(profile);
    expect(profile.traits.email).toBe('ann@example.com');
  });

  it('round-trips any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const stored = cipher.encryptFields({ v }, ['v'], 'u');
        expect(cipher.decryptFields(stored, ['v'], 'u')).toEqual({ v: JSON.parse(JSON.stringify(v)) });
      }),
    );
  });

  it('binds each field to its name, so fields cannot be swapped', () => {
    const stored = cipher.encryptFields({ a: 'x', b: 'y' }, ['a', 'b']);
    expectFailure(() => cipher.decryptFields({ a: stored.b, b: stored.a }, ['a', 'b']), 'tampered');
  });

  it('leaves plaintext fields written before encryption was turned on', () => {
    expect(cipher.decryptFields({ a: 'legacy' }, ['a'])).toEqual({ a: 'legacy' });
  });
});

describe('encryption key configuration', () => {
  it('refuses keys that are not 32 bytes', () => {
    expect(() => parseEncryptionKeys(`k1:${randomBytes(16).toString('base64')}`)).toThrow(ConfigError);
    expect(() => parseEncryptionKeys(`k1:${key()},k2:${randomBytes(31).toString('base64')}`)).toThrow(/entry 2 \(k2\).*32 bytes/);
  });

  it('falls back to the development key with a warning, except in production', () => {
    const onWarning = jest.fn();
    const dev = createCipher(encryptionKeysFromEnv({ env: {}, onWarning }));
    expect(createCipher(parseEncryptionKeys(DEVELOPMENT_ENCRYPTION_KEY)).decrypt(dev.encrypt('x'))).toBe('x');
    expect(onWarning).toHaveBeenCalledWith(expect.stringContaining('ATTUNE_ENCRYPTION_KEYS'));
    expect(() => encryptionKeysFromEnv({ env: { NODE_ENV: 'production' } })).toThrow(ConfigError);
  });
});
