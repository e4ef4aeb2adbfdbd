import fc from 'fast-check';
import { compactProfile, expandProfile } from '../../../src/store/data/redis-profile-codec';
import { StoredForm } from '../../../src/store/sealed';
import { createCipher, DEVELOPMENT_ENCRYPTION_KEY, parseEncryptionKeys } from '../../../src/privacy/cipher';
import type { Profile } from '../../../src/core/profile';
import { profile } from '../fixtures';

/*
 * The compact form of a stored profile is held to the plain hash: whatever fields go in, the
 * fields read back are those, exactly; profiles as the store writes them (sealed or not) take
 * the compact form, and it is shorter than the fields it replaces.
 */

const sealedForm = new StoredForm(createCipher(parseEncryptionKeys(DEVELOPMENT_ENCRYPTION_KEY)));
const plainForm = new StoredForm();

const iso = fc.date({ min: new Date(0), max: new Date(Date.UTC(2200, 0, 1)), noInvalidDate: true }).map((d) => d.toISOString());
const json = fc.jsonValue({ maxDepth: 2 });
const weights = fc.dictionary(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), { maxKeys: 5 });

/** Profiles of every shape the profile type allows, with the times and strings profiles repeat. */
const profiles = fc.record({
  userId: fc.oneof(fc.string(), fc.constant('pid.dev.TYmx4xxD32kOk1NM55zv5g')),
  firstSeen: iso,
  lastSeen: iso,
  traits: fc.dictionary(fc.string(), json, { maxKeys: 3 }),
  counts: fc.dictionary(fc.string(), fc.nat(), { maxKeys: 3 }),
  affinities: weights,
  affinitiesAt: iso,
  recentItems: fc.array(fc.record({ id: fc.string(), weight: fc.double({ noNaN: true, noDefaultInfinity: true }), at: iso }), { maxLength: 10 }),
  purchased: fc.array(fc.string(), { maxLength: 4 }),
  recent: fc.dictionary(fc.string(), fc.array(fc.nat(), { maxLength: 3 }), { maxKeys: 3 }),
  orders: fc.nat(),
  revenue: fc.double({ noNaN: true, noDefaultInfinity: true }),
  context: fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
}).map((p) => ({ ...profile(p.userId), ...p }) as Profile);

const sameFields = (a: Record<string, string>, b: Record<string, string>) => expect({ ...a }).toEqual({ ...b });

describe('the compact form of stored profiles', () => {
  test('gives back the stored fields exactly, sealed or in clear, or declines', () => {
    fc.assert(
      fc.property(profiles, fc.boolean(), (p, sealed) => {
        const fields = (sealed ? sealedForm : plainForm).profile(structuredClone(p));
        const packed = compactProfile(fields, p.userId);
        if (packed !== undefined) sameFields(expandProfile(packed, p.userId), fields);
      }),
      { numRuns: 300 },
    );
  });

  test('profiles without control characters take the compact form, shorter than their fields', () => {
    fc.assert(
      fc.property(profiles, (p) => {
        fc.pre(!/\\u00[01]/.test(JSON.stringify(p)));
        const fields = sealedForm.profile(structuredClone(p));
        const packed = compactProfile(fields, p.userId);
        expect(packed).toBeDefined();
        const plain = Object.entries(fields).reduce((n, [k, v]) => n + k.length + v.length, 0);
        expect((packed as string).length).toBeLessThan(plain);
      }),
      { numRuns: 200 },
    );
  });

  test('any fields at all read back as written, or are left to the plain hash', () => {
    const names = fc.oneof(fc.constantFrom('userId', 'counts', 'recentItems', '~x', 'firstSeen'), fc.string());
    const fragments = fc.oneof(iso.map((t) => `"${t}"`), fc.constantFrom('{"id":"', '","weight":', ',"at":', '"enc:v1:', '},{', 'a', '7', '"'), fc.string({ maxLength: 3 }));
    const values = fc.oneof(json.map((v) => JSON.stringify(v)), fc.array(fragments, { maxLength: 6 }).map((f) => f.join('')), fc.string());
    fc.assert(
      fc.property(fc.dictionary(names, values), fc.string(), fc.boolean(), (some, userId, own) => {
        // With the key's own user id (else the plain hash is kept, and there is nothing to check).
        const fields = own ? { ...some, userId: JSON.stringify(userId) } : some;
        const packed = compactProfile(fields, userId);
        if (packed !== undefined) sameFields(expandProfile(packed, userId), fields);
      }),
      { numRuns: 2000 },
    );
  });

  test('a profile whose user id is not the key’s stays plain', () => {
    const fields = plainForm.profile(profile('u1'));
    expect(compactProfile(fields, 'u2')).toBeUndefined();
    expect(compactProfile(fields, 'u1')).toBeDefined();
  });
});
