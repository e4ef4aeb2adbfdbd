import fc from 'fast-check';
import { BINARY_EVENT_FIELD, binaryEvent, expandBinaryEvent } from '../../../src/store/data/redis-event-binary';
import { COMPACT_EVENT_FIELD, compactEvent, expandEvent } from '../../../src/store/data/redis-event-codec';
import { ByteReader, ByteWriter } from '../../../src/store/data/redis-bytes';
import { StoredForm } from '../../../src/store/sealed';
import { createCipher, DEVELOPMENT_ENCRYPTION_KEY, parseEncryptionKeys } from '../../../src/privacy/cipher';
import { normalizedEvents } from './normalized-events';

/*
 * The binary form of a stored event is held to the plain one: whatever JSON goes in, at
 * whatever receipt time, what a reader gets back is that JSON, byte for byte; events as
 * ingestion writes them (sealed or not) take the binary form, which is shorter than the text
 * form. The varints under it are held to the numbers they write.
 */

const sealedForm = new StoredForm(createCipher(parseEncryptionKeys(DEVELOPMENT_ENCRYPTION_KEY)));
const plainForm = new StoredForm();

/** Times on both sides of 1970, to the limits of what a Date holds. */
const iso = fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((d) => d.toISOString());
const json = fc.jsonValue({ maxDepth: 2 });
const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom('u-1', 'pid.dev.KuVGDvapCvyXEJAwlYpK7g', 'pid.k1.KuVGDvapCvyXEJAwlYpK7h', 'a\x1fb', ''));
/** Receipt times as the store's clock gives them, and some no clock should (the form must still read back or step aside). */
const at = fc.oneof(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }), fc.double({ noNaN: true }));

const normalized = normalizedEvents({ iso, text, eventName: fc.string({ unit: 'grapheme' }) });

/** What a reader makes of a stored field (as redis-layout.ts's entryEvent reads it). */
function read({ field, value }: { field: string; value: string | Buffer }, receivedAt: number): string {
  if (field === BINARY_EVENT_FIELD) return expandBinaryEvent(value as Buffer, receivedAt);
  return field === COMPACT_EVENT_FIELD ? expandEvent(value as string) : (value as string);
}

describe('the binary form of stored events', () => {
  test('gives back the stored JSON exactly, sealed and in clear, at any receipt time', () => {
    fc.assert(
      fc.property(normalized, fc.boolean(), at, (e, sealed, received) => {
        const stored = (sealed ? sealedForm : plainForm).event(structuredClone(e));
        expect(read(binaryEvent(stored, received), received)).toBe(stored);
      }),
      { numRuns: 400 },
    );
  });

  test('any JSON at all, of any key order, reads back as it was written (in whichever form took it)', () => {
    const anyObject = fc.dictionary(fc.constantFrom('type', 'messageId', 'userId', 'timestamp', 'receivedAt', 'sealed', 'x', '__proto__'), fc.oneof(json, iso, fc.constant('enc:v1:k:abc'), fc.constant('enc:v1:dev:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA:')));
    fc.assert(
      fc.property(fc.oneof(anyObject.map((o) => JSON.stringify(o)), fc.string()), at, (stored, received) => {
        expect(read(binaryEvent(stored, received), received)).toBe(stored);
      }),
      { numRuns: 500 },
    );
  });

  test('events as ingestion stores them take the binary form, shorter than the text form', () => {
    // Event times within a few thousand years of receipt (a distance past 2^52 ms is left to the text form).
    const near = fc.date({ min: new Date(-6e13), max: new Date(2.5e14), noInvalidDate: true }).map((d) => d.toISOString());
    fc.assert(
      fc.property(normalized, near, fc.integer({ min: 0, max: 4_102_444_800_000 }), (event, timestamp, received) => {
        const e = { ...event, timestamp };
        fc.pre(!JSON.stringify(e).includes('\\u001f'));
        const stored = sealedForm.event(structuredClone({ ...e, receivedAt: new Date(received).toISOString() }));
        const b = binaryEvent(stored, received);
        expect(b.field).toBe(BINARY_EVENT_FIELD);
        expect(b.value.length).toBeLessThan(Buffer.byteLength(compactEvent(stored).value));
      }),
      { numRuns: 200 },
    );
  });

  test('a damaged value is an error, never another event', () => {
    const stored = sealedForm.event({ type: 'track', event: 'Viewed', messageId: 'm1', userId: 'u1', properties: {}, traits: {}, context: {}, timestamp: '2024-05-01T10:00:00.000Z', receivedAt: '2024-05-01T10:00:00.000Z' });
    const received = Date.parse('2024-05-01T10:00:00.000Z');
    const { value } = binaryEvent(stored, received);
    expect(() => expandBinaryEvent(Buffer.from([99]), received)).toThrow();
    expect(() => expandBinaryEvent((value as Buffer).subarray(0, 5), received)).toThrow();
  });
});

describe('varints', () => {
  test('every safe integer reads back as written, signed and unsigned, one after another', () => {
    fc.assert(
      fc.property(fc.array(fc.maxSafeNat()), fc.array(fc.integer({ min: -(2 ** 52) + 1, max: 2 ** 52 - 1 })), fc.string({ unit: 'grapheme' }), (us, ss, s) => {
        const w = new ByteWriter();
        for (const u of us) w.uint(u);
        for (const n of ss) w.int(n);
        w.text(s);
        const r = new ByteReader(w.done());
        expect(us.map(() => r.uint())).toEqual(us);
        expect(ss.map(() => r.int())).toEqual(ss);
        expect(r.text()).toBe(s);
        expect(r.ended).toBe(true);
      }),
    );
  });

  test('a small number takes one byte, an epoch millisecond six', () => {
    expect(new ByteWriter().uint(127).done()).toHaveLength(1);
    expect(new ByteWriter().int(-64).done()).toHaveLength(1);
    expect(new ByteWriter().uint(Date.UTC(2026, 0, 1)).done()).toHaveLength(6);
    expect(() => new ByteWriter().uint(-1)).toThrow(RangeError);
    expect(() => new ByteWriter().uint(0.5)).toThrow(RangeError);
  });
});
