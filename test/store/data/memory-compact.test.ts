import fc from 'fast-check';
import type { AttuneEvent } from '../../../src/core/event';
import { createCipher, parseEncryptionKeys } from '../../../src/privacy/cipher';
import { compactJson, compactPieces, expandJson } from '../../../src/store/data/memory-compact';
import { CompactHolding, RECENT_PROFILES } from '../../../src/store/data/memory-holding';
import { StoredForm } from '../../../src/store/sealed';
import { profile, session } from '../fixtures';

/*
 * The compact form a memory store holds values in is the plain stored form, shortened: every
 * text comes back exactly, whatever it holds, and what repeats in stored events (the user's id,
 * timestamps, ciphertext prefixes, field names) is what shrinks.
 */

// Mostly this century's, some from far before and after (which stay as they are).
const dates = fc
  .oneof({ weight: 3, arbitrary: fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }) }, fc.date({ min: new Date(-1e14), max: new Date(2.5e14), noInvalidDate: true }))
  .map((d) => d.toISOString());
const userIds = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('u1', 'pid.dev.ODvdvKEYv_yhlS6i9kD7kg'));
const values = fc.oneof(fc.jsonValue(), dates, fc.string({ unit: 'binary' }), fc.constantFrom('enc:v1:dev:abc:def', '"enc:v1:', '\u0004'));

/** Arbitrary events, with the user's id, timestamps and the odd control character inside. */
const events = fc
  .record({
    userId: userIds,
    messageId: fc.string({ unit: 'binary', maxLength: 20 }),
    event: fc.string({ maxLength: 20 }),
    properties: fc.dictionary(fc.string({ maxLength: 8 }), values, { maxKeys: 4 }),
    timestamp: dates,
    receivedAt: dates,
  })
  .map((r): AttuneEvent => ({ type: 'track', ...r, properties: { ...r.properties, owner: r.userId }, traits: {}, context: {} }));

const cipher = createCipher(parseEncryptionKeys(`k1:${Buffer.alloc(32, 1).toString('base64')}`));

describe('compactJson', () => {
  test('any text comes back exactly, JSON or not', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string({ unit: 'binary' }), values.map((v) => JSON.stringify(v) ?? ''), events.map((e) => JSON.stringify(e))), userIds, (text, userId) => {
        expect(expandJson(compactJson(text, userId), userId)).toBe(text);
      }),
    );
  });

  test('a stored event sheds its user id, its timestamps and its field names', () => {
    const e: AttuneEvent = { type: 'track', messageId: 'm1', userId: 'pid.dev.ODvdvKEYv_yhlS6i9kD7kg', timestamp: '2026-01-02T14:58:09.000Z', receivedAt: '2026-12-03T11:38:39.822Z', event: 'Product Viewed', properties: {}, traits: {}, context: {} };
    const text = JSON.stringify(e);
    const held = compactJson(text, e.userId);
    // The id (30 + 2 quotes), two dates (26 → 18 each) and the field names go.
    expect(held.length).toBeLessThan(text.length - 32 - 2 * 8 - 40);
    expect(held).not.toContain(e.userId);
    expect(held).not.toContain('2026-01-02T');
  });

  test('what only looks like a date (Feb 30, year 0000) is shortened and spelled back all the same', () => {
    for (const date of ['2026-02-30T00:00:00.000Z', '0000-99-99T99:99:99.999Z', '6000-01-01T00:00:00.000Z']) {
      const text = JSON.stringify({ at: date, next: `${date}7` });
      expect(compactJson(text, 'u')).not.toContain(`"${date}"`);
      expect(expandJson(compactJson(text, 'u'), 'u')).toBe(text);
    }
  });
});

describe('compactPieces', () => {
  // Lists of records as a profile's recent items are, and texts of any kind with braces in them.
  const lists = fc.array(fc.oneof(fc.record({ id: fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), userIds), weight: fc.double(), at: dates }), values), { maxLength: 12 });
  const texts = fc.oneof(
    lists.map((l) => JSON.stringify(l)),
    fc.array(fc.constantFrom('}', '{', '"', ',', '"enc:v1:', ',"at":', '2026-01-02T14:58:09.000Z', 'u1', '\u0004', '\u0001'), { maxLength: 30 }).map((a) => a.join('')),
  );

  test('gives compactJson of the whole text, with or without the pieces of texts before', () => {
    fc.assert(
      fc.property(fc.array(texts, { minLength: 1, maxLength: 4 }), userIds, (list, userId) => {
        let known: ReadonlyMap<string, string> | undefined;
        for (const text of list) {
          const cut = compactPieces(text, userId, known);
          expect(cut.held).toBe(compactJson(text, userId));
          known = cut.pieces;
        }
      }),
      { numRuns: 500 },
    );
  });

  test('a list that shares all its items but one with the list before shortens only the new one', () => {
    const item = (i: number) => ({ id: `p-${i}`, weight: i, at: '2026-01-02T14:58:09.000Z' });
    const before = compactPieces(JSON.stringify(Array.from({ length: 50 }, (_, i) => item(i))), 'u1');
    const after = compactPieces(JSON.stringify([item(99), ...Array.from({ length: 49 }, (_, i) => item(i))]), 'u1', before.pieces);
    expect([...after.pieces.values()].filter((short) => ![...before.pieces.values()].includes(short))).toHaveLength(2);
  });
});

describe('CompactHolding holds exactly the stored form', () => {
  test('without a cipher, events, profiles and sessions come back as StoredForm stores them', () => {
    const form = new StoredForm();
    const held = new CompactHolding(new StoredForm());
    fc.assert(
      fc.property(events, (e) => {
        expect(held.storedEvent(held.event(e), e.userId)).toBe(form.event(e));
        expect(held.readEvent(held.event(e), e.userId)).toEqual(form.readEvent(form.event(e)));
        const p = profile(e.userId, { traits: e.properties, firstSeen: e.timestamp, lastSeen: e.receivedAt });
        expect(held.storedProfile(held.profile(p), e.userId)).toEqual(form.profile(p));
        expect(held.readProfile(held.profile(p), e.userId)).toEqual(form.readProfile(form.profile(p)));
        const s = session(e.userId, e.messageId, { slots: e.properties });
        expect(held.storedSession(held.session(s), e.userId)).toBe(form.session(s));
      }),
      { numRuns: 200 },
    );
  });

  test('a profile reads back the same whether it is the one last written (remembered) or not (expanded)', () => {
    const form = new StoredForm();
    const held = new CompactHolding(new StoredForm());
    const first = profile('u1', { orders: 1 });
    const second = profile('u1', { orders: 2, lastSeen: '2026-01-02T14:58:09.000Z' });
    const h1 = held.profile(first);
    const h2 = held.profile(second);
    expect(held.storedProfile(h1, 'u1')).toEqual(form.profile(first));
    expect(held.storedProfile(h2, 'u1')).toEqual(form.profile(second));
    for (let i = 0; i < RECENT_PROFILES + 1; i++) held.profile(profile(`other-${i}`));
    expect(held.readProfile(h2, 'u1')).toEqual(form.readProfile(form.profile(second)));
    held.profile(second);
    held.forget('u1');
    expect(held.storedProfile(h2, 'u1')).toEqual(form.profile(second));
  });

  test('with a cipher, every value reads back as the plain stored form reads', () => {
    const form = new StoredForm(cipher);
    const held = new CompactHolding(new StoredForm(cipher));
    fc.assert(
      fc.property(events, (e) => {
        expect(held.readEvent(held.event(e), e.userId)).toEqual(form.readEvent(form.event(e)));
        const p = profile(e.userId, { traits: e.properties });
        expect(held.readProfile(held.profile(p), e.userId)).toEqual(form.readProfile(form.profile(p)));
        const s = session(e.userId, 's1', { slots: e.properties });
        expect(held.readSession(held.session(s), e.userId)).toEqual(form.readSession(form.session(s)));
        expect(held.stale(held.storedEvent(held.event(e), e.userId))).toBe(false);
      }),
      { numRuns: 100 },
    );
  });
});
