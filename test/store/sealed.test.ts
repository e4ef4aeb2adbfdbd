import { createCipher, parseEncryptionKeys } from '../../src/privacy/cipher';
import { StoredForm, suppressionDigest } from '../../src/store/sealed';
import { event, profile, session } from './fixtures';

const form = new StoredForm(createCipher(parseEncryptionKeys(`k1:${Buffer.alloc(32, 7).toString('base64')}`)));

describe('StoredForm binds each ciphertext to its user', () => {
  test('an event blob moved to another user no longer decrypts', () => {
    const stored = JSON.parse(form.event(event('u1', 1))) as Record<string, unknown>;
    expect(() => form.readEvent(JSON.stringify({ ...stored, userId: 'u2' }))).toThrow(/authentication/);
  });

  test('an event blob moved to another event of the same user no longer decrypts', () => {
    const stored = JSON.parse(form.event(event('u1', 1))) as Record<string, unknown>;
    expect(() => form.readEvent(JSON.stringify({ ...stored, messageId: 'u1-m2' }))).toThrow(/authentication/);
  });

  test("a profile's traits moved to another user no longer decrypt", () => {
    const fields = form.profile(profile('u1'));
    expect(() => form.readProfile({ ...fields, userId: JSON.stringify('u2') })).toThrow(/authentication/);
  });

  test('session turns moved to another session no longer decrypt', () => {
    const stored = JSON.parse(form.session(session('u1', 's1'))) as Record<string, unknown>;
    expect(() => form.readSession(JSON.stringify({ ...stored, id: 's2' }))).toThrow(/authentication/);
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
