import fc from 'fast-check';
import { createCipher, parseEncryptionKeys, type Cipher } from '../../src/privacy/cipher';
import { SealCache } from '../../src/store/seal-cache';
import { StoredForm } from '../../src/store/sealed';
import { profile, session } from './fixtures';

const ring = (id: string, byte: number) => `${id}:${Buffer.alloc(32, byte).toString('base64')}`;

/** Counts what reaches the cipher, so a test can tell a remembered seal from a new one. */
function counting(inner: Cipher): Cipher & { encryptions: number; decryptions: number } {
  const c = {
    encryptions: 0,
    decryptions: 0,
    currentKeyId: () => inner.currentKeyId?.() ?? '',
    encrypt: (p: string, aad?: string) => {
      c.encryptions += 1;
      return inner.encrypt(p, aad);
    },
    decrypt: (t: string, aad?: string) => {
      c.decryptions += 1;
      return inner.decrypt(t, aad);
    },
    reencrypt: inner.reencrypt,
    encryptFields: inner.encryptFields,
    decryptFields: inner.decryptFields,
  };
  return c;
}

describe('StoredForm remembers sealed fields', () => {
  test('an unchanged field keeps its ciphertext, a changed one gets a new one', () => {
    const cipher = counting(createCipher(parseEncryptionKeys(ring('k1', 1))));
    const form = new StoredForm(cipher);
    const p = profile('u1');
    const first = form.profile(p);
    const again = form.profile({ ...p, counts: { ...p.counts, turns: 4 } });
    expect(again.traits).toBe(first.traits);
    expect(again.counts).not.toBe(first.counts);
    // traits, counts, recent the first time; only counts the second.
    expect(cipher.encryptions).toBe(4);
  });

  test('what it sealed reads back without a decryption, and equals what was written', () => {
    const cipher = counting(createCipher(parseEncryptionKeys(ring('k1', 1))));
    const form = new StoredForm(cipher);
    const p = profile('u1');
    expect(form.readProfile(form.profile(p))).toEqual(p);
    expect(cipher.decryptions).toBe(0);
    // A fresh form (another process) decrypts the same fields to the same profile.
    const other = counting(createCipher(parseEncryptionKeys(ring('k1', 1))));
    expect(new StoredForm(other).readProfile(form.profile(p))).toEqual(p);
    expect(other.decryptions).toBe(3);
  });

  test('a ciphertext moved to another user misses the cache and fails authentication', () => {
    const form = new StoredForm(createCipher(parseEncryptionKeys(ring('k1', 1))));
    const fields = form.profile(profile('u1'));
    expect(form.readProfile({ ...fields, userId: JSON.stringify('u2') })).toMatchObject({ userId: 'u2', traits: {}, counts: {} });
  });

  test('after a key change nothing under the old key is reused', () => {
    let inner = createCipher(parseEncryptionKeys(ring('k1', 1)));
    const switching: Cipher = {
      currentKeyId: () => inner.currentKeyId?.() ?? '',
      encrypt: (p, aad) => inner.encrypt(p, aad),
      decrypt: (t, aad) => inner.decrypt(t, aad),
      reencrypt: (t, aad) => inner.reencrypt(t, aad),
      encryptFields: (v, f, aad) => inner.encryptFields(v, f, aad),
      decryptFields: (v, f, aad) => inner.decryptFields(v, f, aad),
    };
    const form = new StoredForm(switching);
    const p = profile('u1');
    form.profile(p);
    inner = createCipher(parseEncryptionKeys(`${ring('k2', 2)},${ring('k1', 1)}`));
    const rewritten = form.profile(p);
    expect(Object.values(rewritten).join()).not.toContain('enc:v1:k1:');
    expect(form.stale(rewritten)).toBe(false);
  });

  test('empty fields are stored as they are and count as current; filled ones do not', () => {
    const form = new StoredForm(createCipher(parseEncryptionKeys(ring('k1', 1))));
    const empty = form.profile(profile('u1', { traits: {}, counts: {}, recent: {} }));
    expect([empty.traits, empty.counts, empty.recent]).toEqual(['{}', '{}', '{}']);
    expect(form.stale(empty)).toBe(false);
    expect(form.stale({ ...empty, traits: JSON.stringify({ ssn: '1' }) })).toBe(true);
    const bare = form.session(session('u1', 's1', { turns: [], entities: {}, slots: {} }));
    expect(form.stale(bare)).toBe(false);
    expect(form.stale(new StoredForm().session(session('u1', 's1')))).toBe(true);
  });
});

describe('SealCache holds one ciphertext per place', () => {
  const AAD = 'user:u1\u0000profile\u0000counts';

  test('a place rewritten forgets what it held: the old ciphertext is decrypted again, the new one is not', () => {
    const cipher = counting(createCipher(parseEncryptionKeys(ring('k1', 1))));
    const cache = new SealCache(cipher);
    const old = cache.seal({ a: 1 }, '{"a":1}', AAD);
    const now = cache.seal({ a: 2 }, '{"a":2}', AAD);
    expect(cache.open(now, AAD)).toEqual({ a: 2 });
    expect(cipher.decryptions).toBe(0);
    expect(cache.open(old, AAD)).toEqual({ a: 1 });
    expect(cipher.decryptions).toBe(1);
  });

  test('what was read is what the place holds: sealing the same JSON gives that ciphertext back', () => {
    const writer = new SealCache(createCipher(parseEncryptionKeys(ring('k1', 1))));
    const stored = writer.seal({ a: 1 }, '{"a":1}', AAD);
    const cipher = counting(createCipher(parseEncryptionKeys(ring('k1', 1))));
    const reader = new SealCache(cipher);
    expect(reader.open(stored, AAD)).toEqual({ a: 1 });
    expect(reader.seal({ a: 1 }, '{"a":1}', AAD)).toBe(stored);
    expect(reader.seal({ a: 3 }, '{"a":3}', AAD)).not.toBe(stored);
    expect(cipher.encryptions).toBe(1);
  });

  test('a ciphertext is only ever opened from the cache for the place it was made for', () => {
    const cache = new SealCache(createCipher(parseEncryptionKeys(ring('k1', 1))));
    const sealed = cache.seal({ a: 1 }, '{"a":1}', AAD);
    expect(() => cache.open(sealed, 'user:u2\u0000profile\u0000counts')).toThrow('failed authentication');
  });

  test('the places are bounded, the one remembered longest ago out first', () => {
    const cipher = counting(createCipher(parseEncryptionKeys(ring('k1', 1))));
    const cache = new SealCache(cipher, 2);
    const [a, b, c] = ['a', 'b', 'c'].map((place) => cache.seal(1, '1', place));
    expect([cache.open(b, 'b'), cache.open(c, 'c')]).toEqual([1, 1]);
    expect(cipher.decryptions).toBe(0);
    expect(cache.open(a, 'a')).toBe(1);
    expect(cipher.decryptions).toBe(1);
  });
});

describe('the compact stored form reads back as the plain one', () => {
  const json = fc.jsonValue({ maxDepth: 2 });
  const record = fc.dictionary(fc.string({ maxLength: 8 }), json, { maxKeys: 4 });
  const counts = fc.dictionary(fc.string({ maxLength: 8 }), fc.integer({ min: 0, max: 1e6 }), { maxKeys: 4 });

  test('profiles and sessions, through one form written twice and through a fresh form', () => {
    const writer = new StoredForm(createCipher(parseEncryptionKeys(ring('k1', 1))));
    const plain = new StoredForm();
    fc.assert(
      fc.property(record, counts, record, record, (traits, c, entities, slots) => {
        const p = profile('u1', { traits, counts: c });
        const s = session('u1', 's1', { entities, slots });
        const reader = new StoredForm(createCipher(parseEncryptionKeys(ring('k1', 1))));
        for (const form of [writer, reader]) {
          expect(form.readProfile(writer.profile(p))).toEqual(plain.readProfile(plain.profile(p)));
          expect(form.readSession(writer.session(s))).toEqual(plain.readSession(plain.session(s)));
        }
      }),
      { numRuns: 200, seed: 14 },
    );
  });

  test('what a form wrote reads back from its record exactly as another form decodes it, damage and repairs included', () => {
    const key = () => createCipher(parseEncryptionKeys(ring('k1', 1)));
    // Sound and damaged values of the fields a read checks, and properties left undefined.
    const orders = fc.oneof(fc.nat(), fc.constant(Number.NaN), fc.constant(-1.5), fc.constant(Infinity));
    const time = fc.oneof(fc.constant('2026-11-29T10:00:00.000Z'), fc.constant('not a time'));
    // As JSON gives them back, which is what the engine builds: plain objects, no null prototype.
    const plainRecord = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2, noUnicodeString: false }), { maxKeys: 4, noNullPrototype: true });
    const plainCounts = fc.dictionary(fc.string({ maxLength: 8 }), fc.integer({ min: 0, max: 1e6 }), { maxKeys: 4, noNullPrototype: true });
    const turns = fc.array(fc.record({ direction: fc.constantFrom('in', 'out'), text: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }), at: time }), { maxLength: 4 });
    fc.assert(
      fc.property(fc.boolean(), plainRecord, plainCounts, orders, time, fc.option(fc.boolean(), { nil: undefined }), turns, plainRecord, fc.option(fc.string(), { nil: undefined }), (sealed, traits, c, o, seen, analytics, t, slots, note) => {
        const writer = sealed ? new StoredForm(key()) : new StoredForm();
        const reader = sealed ? new StoredForm(key()) : new StoredForm();
        // `note`: a property a newer version may add, kept as it is when set, left out when undefined.
        const p = { ...profile('u1', { traits, counts: c, orders: o, lastSeen: seen, consent: analytics === undefined ? undefined : { analytics } }), note };
        const s = session('u1', 's1', { turns: t as never, slots });
        const fields = writer.profile(p);
        const raw = writer.session(s);
        const [w, r] = [writer.repairs, reader.repairs];
        expect(writer.readProfile(fields)).toStrictEqual(reader.readProfile(fields));
        // Inside a session turn an undefined property (no text, no intent) is as absent as JSON makes it.
        const [mine, decoded] = [writer.readSession(raw), reader.readSession(raw)];
        expect(mine).toEqual(decoded);
        expect(JSON.stringify(mine)).toBe(JSON.stringify(decoded));
        expect(writer.repairs - w).toBe(reader.repairs - r);
      }),
      { numRuns: 300, seed: 14 },
    );
  });

  test('a record it wrote reads back frozen, and without a decryption or a parse', () => {
    const cipher = counting(createCipher(parseEncryptionKeys(ring('k1', 1))));
    const form = new StoredForm(cipher);
    const fields = form.profile(profile('u1'));
    const raw = form.session(session('u1', 's1'));
    const parse = jest.spyOn(JSON, 'parse');
    const [p, s] = [form.readProfile(fields), form.readSession(raw)];
    expect(parse).not.toHaveBeenCalled();
    parse.mockRestore();
    expect(cipher.decryptions).toBe(0);
    expect(Object.isFrozen(p) && Object.isFrozen(s) && Object.isFrozen(fields)).toBe(true);
    // A copy of the fields (as Redis gives them back) is decoded: equal, not the same path.
    expect(form.readProfile({ ...fields })).toEqual(p);
  });
});
