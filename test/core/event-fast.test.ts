import fc from 'fast-check';
import { EventInputSchema, normalizeEvent } from '../../src/core/event';
import { fastTrack } from '../../src/core/event-fast';
import { ValidationError } from '../../src/core/errors';

/*
 * The fast path through a plain `track` call is only a shortcut through the schema: whatever it
 * takes, the schema takes too and parses to the same fields (in the same order, where the
 * stored event keeps an order); whatever it leaves, the schema decides, errors included.
 */

const text = (max: number) => fc.oneof(fc.string({ maxLength: max }), fc.string({ minLength: max - 1, maxLength: max + 1 }), fc.constant(''));
const id = fc.oneof({ weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 12 }) }, fc.string({ minLength: 511, maxLength: 513 }), fc.constant(''), fc.constant(7));
const times = fc.oneof(
  fc.date({ min: new Date(-1e13), max: new Date(3e14), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2026-02-30T00:00:00.000Z', '2026-13-01T00:00:00.000Z', '2026-01-01T24:00:00.000Z', '2026-01-01', '2026-01-01T00:00:00Z', 'soon'),
  fc.oneof(fc.nat(), fc.double(), fc.constant(-1)),
);
const scalar = fc.oneof(fc.string({ maxLength: 8 }), fc.string({ minLength: 512, maxLength: 513 }), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.constant({ nested: 1 }), fc.constant([1]));
const key = fc.oneof({ weight: 5, arbitrary: fc.constantFrom('product_id', 'category', 'price', 'sku', 'id', 'products') }, fc.string({ maxLength: 66 }), fc.constant('__proto__'));
const properties = fc.oneof({ weight: 5, arbitrary: fc.dictionary(key, scalar, { maxKeys: 6, noNullPrototype: true }) }, fc.dictionary(fc.string({ maxLength: 3 }), fc.constant(1), { minKeys: 31, maxKeys: 34, noNullPrototype: true }), fc.constant(null), fc.constant('x'), fc.constant([]));
const context = fc.oneof(
  { weight: 5, arbitrary: fc.record({ locale: text(35), channel: text(64), timezone: text(64) }, { requiredKeys: [], noNullPrototype: true }) },
  fc.record({ locale: fc.constant('en'), device: fc.constant({ type: 'mobile' }) }, { requiredKeys: [] }),
  fc.constant({ locale: 7 }),
  fc.constant(null),
);
/** Plain track calls as trackers send them, which the fast path is for. */
const plain = fc.record(
  {
    type: fc.constant('track'),
    event: fc.string({ minLength: 1, maxLength: 20 }),
    userId: fc.string({ minLength: 1, maxLength: 12 }),
    anonymousId: fc.string({ minLength: 1, maxLength: 12 }),
    messageId: fc.string({ minLength: 1, maxLength: 12 }),
    timestamp: fc.oneof(fc.date({ min: new Date(-6e13), max: new Date(2.5e14), noInvalidDate: true }).map((d) => d.toISOString()), fc.nat()),
    properties: fc.dictionary(fc.constantFrom('product_id', 'category', 'price', 'sku', 'id', 'products', 'x'), fc.oneof(fc.string({ maxLength: 8 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null)), { maxKeys: 5, noNullPrototype: true }),
    context: fc.record({ locale: fc.string({ maxLength: 5 }), channel: fc.string({ maxLength: 5 }), timezone: fc.string({ maxLength: 5 }) }, { requiredKeys: [], noNullPrototype: true }),
  },
  { requiredKeys: ['type', 'event', 'userId'], noNullPrototype: true },
);
/** Calls a little off in every way the fast path checks. */
const off = fc.record(
  {
    type: fc.oneof({ weight: 8, arbitrary: fc.constant('track') }, fc.constantFrom('identify', 'page', 'Track')),
    event: fc.oneof({ weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 20 }) }, text(200), fc.constant(3)),
    userId: id,
    anonymousId: id,
    messageId: id,
    timestamp: times,
    properties,
    context,
    sentAt: fc.constant('2026-01-01T00:00:00.000Z'),
    traits: fc.constant({ a: 1 }),
  },
  { requiredKeys: ['type', 'event'], noNullPrototype: true },
);
/** A plain call with one field taken from an off one. */
const inputs = fc.oneof(plain, off, fc.tuple(plain, off, fc.constantFrom('type', 'event', 'userId', 'anonymousId', 'messageId', 'timestamp', 'properties', 'context', 'sentAt', 'traits')).map(([p, o, k]) => ({ ...p, [k]: (o as Record<string, unknown>)[k] })));

describe('fastTrack', () => {
  test('takes only what the schema takes, and gives what the schema gives', () => {
    let taken = 0;
    fc.assert(
      fc.property(fc.oneof({ weight: 9, arbitrary: inputs }, fc.anything()), (input) => {
        const fast = fastTrack(input);
        if (fast === undefined) return;
        taken += 1;
        const parsed = EventInputSchema.safeParse(input);
        expect(parsed.success).toBe(true);
        if (!parsed.success) return;
        const data = parsed.data as Record<string, unknown>;
        for (const field of ['type', 'event', 'userId', 'anonymousId', 'messageId', 'timestamp']) expect([field, fast[field]]).toEqual([field, data[field]]);
        // Key order too: the stored event spells its properties and context in this order.
        expect(JSON.stringify(fast.properties)).toBe(JSON.stringify(data.properties));
        expect(Object.keys(fast.properties ?? {})).toEqual(Object.keys((data.properties as object | undefined) ?? {}));
        expect(JSON.stringify(fast.context)).toBe(JSON.stringify(data.context));
        expect(Object.keys(fast)).toEqual(expect.arrayContaining(Object.keys(data).filter((k) => data[k] !== undefined)));
      }),
      { numRuns: 3000 },
    );
    // The generator reaches the fast path often, so the property says something.
    expect(taken).toBeGreaterThan(300);
  });

  test('a plain track call is normalized as before; a bad one is the same 400', () => {
    const now = new Date(Date.UTC(2026, 0, 5));
    const input = { type: 'track', userId: 'u1', messageId: 'm1', event: 'Product Viewed', properties: { product_id: 'p1', price: 9.5 }, context: { locale: 'en-US', channel: 'web' }, timestamp: '2026-01-01T00:00:00.000Z' };
    expect(fastTrack(input)).toBeDefined();
    const e = normalizeEvent(input, now);
    expect(JSON.stringify(e)).toBe(
      '{"type":"track","messageId":"m1","userId":"u1","properties":{"product_id":"p1","price":9.5},"traits":{},"context":{"channel":"web","locale":"en-US"},"timestamp":"2026-01-01T00:00:00.000Z","receivedAt":"2026-01-05T00:00:00.000Z","event":"Product Viewed"}',
    );
    // A copy: what the store freezes is not the caller's object.
    expect(e.properties).not.toBe(input.properties);
    expect(e.context).not.toBe(input.context);
    for (const bad of [{ ...input, userId: '' }, { ...input, event: '' }, { ...input, timestamp: '2026-02-30T00:00:00.000Z' }, { ...input, userId: undefined }]) {
      expect(fastTrack(bad)).toBeUndefined();
      expect(() => normalizeEvent(bad, now)).toThrow(ValidationError);
    }
  });
});
