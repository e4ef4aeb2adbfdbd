import fc from 'fast-check';
import { ByteReader, ByteWriter } from '../../../src/store/data/redis-bytes';
import { readJson, writeJson } from '../../../src/store/data/redis-json-bytes';
import { binaryProfile, expandBinaryProfile, isBinaryProfile } from '../../../src/store/data/redis-profile-binary';
import { compactProfile } from '../../../src/store/data/redis-profile-codec';
import { StoredForm } from '../../../src/store/sealed';
import { createCipher, DEVELOPMENT_ENCRYPTION_KEY, parseEncryptionKeys } from '../../../src/privacy/cipher';
import type { Profile } from '../../../src/core/profile';
import { profile } from '../fixtures';

/*
 * The binary form of a stored profile is held to the plain hash: whatever fields go in, the
 * fields read back are those, exactly (or it declines, and the text form or the hash takes
 * them); profiles as the store writes them take it, and it is shorter than the compact text
 * form. Binary JSON, under it, gives back any JSON text exactly.
 */

const sealedForm = new StoredForm(createCipher(parseEncryptionKeys(DEVELOPMENT_ENCRYPTION_KEY)));
const plainForm = new StoredForm();

/** Times on both sides of 1970, to the limits of what a Date holds. */
const iso = fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((d) => d.toISOString());
const number = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.maxSafeInteger(), fc.constant(-0), fc.constant(2 ** 60));
const json = fc.jsonValue({ maxDepth: 3 });
const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constant('__proto__'), fc.constant(''));
const weights = fc.dictionary(text, number, { maxKeys: 5 });

/** Profiles of every shape the profile type allows, with the times and strings profiles repeat. */
const profiles = fc
  .record({
    userId: fc.oneof(text, fc.constant('pid.dev.TYmx4xxD32kOk1NM55zv5g')),
    firstSeen: iso,
    lastSeen: iso,
    traits: fc.dictionary(text, json, { maxKeys: 3 }),
    counts: fc.dictionary(text, fc.nat(), { maxKeys: 3 }),
    affinities: weights,
    affinitiesAt: iso,
    recentItems: fc.array(fc.record({ id: text, weight: number, at: iso }), { maxLength: 10 }),
    purchased: fc.array(text, { maxLength: 4 }),
    recent: fc.dictionary(text, fc.array(fc.nat(), { maxLength: 3 }), { maxKeys: 3 }),
    orders: fc.nat(),
    revenue: number,
    context: fc.dictionary(text, fc.string({ unit: 'grapheme' }), { maxKeys: 2 }),
  })
  .map((p) => ({ ...profile(p.userId), ...p }) as Profile);

const sameFields = (a: Record<string, string>, b: Record<string, string>) => expect({ ...a }).toEqual({ ...b });

describe('the binary form of stored profiles', () => {
  test('gives back the stored fields exactly, sealed or in clear', () => {
    fc.assert(
      fc.property(profiles, fc.boolean(), (p, sealed) => {
        const fields = (sealed ? sealedForm : plainForm).profile(structuredClone(p));
        const packed = binaryProfile(fields, p.userId);
        expect(packed).toBeDefined();
        expect(isBinaryProfile(packed as Buffer)).toBe(true);
        sameFields(expandBinaryProfile(packed as Buffer, p.userId), fields);
      }),
      { numRuns: 300 },
    );
  });

  test('any fields at all read back as they were, or it declines', () => {
    const anyFields = fc.dictionary(fc.oneof(fc.constantFrom('userId', 'traits', 'counts', 'firstSeen', '__proto__', 'toString'), text), fc.oneof(json.map((j) => JSON.stringify(j)), fc.string(), fc.constant('"enc:v1:k:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA:AB"')));
    fc.assert(
      fc.property(anyFields, text, fc.boolean(), (raw, userId, own) => {
        const fields = Object.assign(Object.create(null) as Record<string, string>, raw, own ? { userId: JSON.stringify(userId) } : {});
        const packed = binaryProfile(fields, userId);
        if (packed !== undefined) sameFields(expandBinaryProfile(packed, userId), fields);
        else expect(fields.userId).not.toBe(JSON.stringify(userId));
      }),
      { numRuns: 300 },
    );
  });

  test('is shorter than the compact text form for profiles as the store writes them', () => {
    const p: Profile = {
      ...profile('pid.dev.TYmx4xxD32kOk1NM55zv5g'),
      counts: { 'Product Viewed': 9, 'Order Completed': 1 },
      affinities: { hiking: 0.9999948426682053, running: 8.999967909918094 },
      recentItems: Array.from({ length: 10 }, (_, i) => ({ id: `run-00${i}`, weight: 1, at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString() })),
      recent: { 'Product Viewed': [1, 2, 3] },
    };
    const fields = sealedForm.profile(p);
    const packed = binaryProfile(fields, p.userId) as Buffer;
    expect(packed.length).toBeLessThan(Buffer.byteLength(compactProfile(fields, p.userId) as string) * 0.85);
  });

  test('a compact text profile never reads as binary, and damage is an error', () => {
    const fields = sealedForm.profile(profile('u1'));
    expect(isBinaryProfile(Buffer.from(compactProfile(fields, 'u1') as string))).toBe(false);
    expect(isBinaryProfile(Buffer.from(''))).toBe(false);
    expect(() => expandBinaryProfile(Buffer.from([0, 99]), 'u1')).toThrow();
  });
});

describe('binary JSON', () => {
  test('gives back any JSON text exactly, one after another: JSON.stringify’s own as a tree, any other as it is', () => {
    const anyText = fc.oneof(
      json.map((j) => JSON.stringify(j)),
      fc.jsonValue().map((j) => JSON.stringify(j, null, 1)),
      fc.array(fc.oneof(number, iso, text)).map((a) => JSON.stringify(a)),
      fc.constantFrom('-0', '1e400', '{"__proto__":{"at":1}}', '"2026-01-01T00:00:00.000Z"', '"enc:v1:dev:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA:"', '"+275760-09-13T00:00:00.000Z"', '[1,]'),
    );
    fc.assert(
      fc.property(fc.array(anyText, { maxLength: 6 }), (texts) => {
        // One time reference for the whole run, as a profile shares one across its fields.
        const w = new ByteWriter();
        const wrote = { last: 0 };
        for (const t of texts) writeJson(w, t, wrote);
        const r = new ByteReader(w.done());
        const read = { last: 0 };
        expect(texts.map(() => readJson(r, read))).toEqual(texts);
        expect(read).toEqual(wrote);
        expect(r.ended).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
