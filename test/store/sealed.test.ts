import { createCipher, parseEncryptionKeys } from '../../src/privacy/cipher';
import { StoredForm, suppressionDigest } from '../../src/store/sealed';
import { event, profile, session } from './fixtures';

const form = new StoredForm(createCipher(parseEncryptionKeys(`k1:${Buffer.alloc(32, 7).toString('base64')}`)));

describe('StoredForm binds each ciphertext to its user', () => {
  // A moved blob is a damaged record: it reveals nothing and reads as mended (its sealed
  // parts empty), so that one bad record never breaks the user's later turns.
  test('an event blob moved to another user no longer decrypts: its sealed parts read empty', () => {
    const stored = JSON.parse(form.event(event('u1', 1))) as Record<string, unknown>;
    const before = form.repairs;
    const read = form.readEvent(JSON.stringify({ ...stored, userId: 'u2' }));
    expect(read).toMatchObject({ userId: 'u2', properties: {}, traits: {}, context: {} });
    expect(form.repairs).toBeGreaterThan(before);
  });

  test('an event blob moved to another event of the same user no longer decrypts', () => {
    const stored = JSON.parse(form.event(event('u1', 1))) as Record<string, unknown>;
    const read = form.readEvent(JSON.stringify({ ...stored, messageId: 'u1-m2' }));
    expect(read.properties).toEqual({});
    expect(JSON.stringify(read)).not.toContain(JSON.stringify(event('u1', 1).properties));
  });

  test("a profile's traits moved to another user no longer decrypt", () => {
    const fields = form.profile({ ...profile('u1'), traits: { plan: 'gold' } });
    const read = form.readProfile({ ...fields, userId: JSON.stringify('u2') });
    expect(read).toMatchObject({ userId: 'u2', traits: {} });
  });

  test('session turns moved to another session no longer decrypt', () => {
    const stored = JSON.parse(form.session(session('u1', 's1'))) as Record<string, unknown>;
    expect(form.readSession(JSON.stringify({ ...stored, id: 's2' }))).toMatchObject({ id: 's2', turns: [], entities: {}, slots: {} });
  });

  test('a key missing from the ring is configuration, not damage: it is thrown', () => {
    const other = new StoredForm(createCipher(parseEncryptionKeys(`k2:${Buffer.alloc(32, 9).toString('base64')}`)));
    expect(() => other.readEvent(form.event(event('u1', 1)))).toThrow(/not in/);
  });

  test('values stored before encryption was turned on still read, and count as stale', () => {
    const plain = new StoredForm();
    expect(form.readEvent(plain.event(event('u1', 1)))).toEqual(event('u1', 1));
    expect(form.readProfile(plain.profile(profile('u1')))).toEqual(profile('u1'));
    expect(form.stale(plain.event(event('u1', 1)))).toBe(true);
    expect(form.stale(form.event(event('u1', 1)))).toBe(false);
    expect(plain.stale(plain.event(event('u1', 1)))).toBe(false);
  });

  test('a ciphertext read without a cipher is an error, not garbage', () => {
    expect(() => new StoredForm().readEvent(form.event(event('u1', 1)))).toThrow(/without a cipher/);
  });
});

test('suppression digests are SHA-256 hex and do not spell the id', () => {
  expect(suppressionDigest('ada')).toMatch(/^[0-9a-f]{64}$/);
  expect(suppressionDigest('ada')).not.toContain('ada');
});
