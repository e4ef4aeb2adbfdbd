import fc from 'fast-check';
import { COMPACT_EVENT_FIELD, PLAIN_EVENT_FIELD, compactEvent, expandEvent } from '../../../src/store/data/redis-event-codec';
import { StoredForm } from '../../../src/store/sealed';
import { createCipher, DEVELOPMENT_ENCRYPTION_KEY, parseEncryptionKeys } from '../../../src/privacy/cipher';
import { normalizedEvents } from './normalized-events';

/*
 * The compact form of a stored event is held to the plain one: whatever JSON goes in, what a
 * reader gets back is that JSON, byte for byte, and events as ingestion writes them (sealed
 * or not) take the compact form, which is shorter.
 */

const sealedForm = new StoredForm(createCipher(parseEncryptionKeys(DEVELOPMENT_ENCRYPTION_KEY)));
const plainForm = new StoredForm();

const iso = fc.date({ min: new Date(0), max: new Date(Date.UTC(2200, 0, 1)), noInvalidDate: true }).map((d) => d.toISOString());
const json = fc.jsonValue({ maxDepth: 2 });
const text = fc.oneof(fc.string(), fc.constantFrom('u-1', 'pid.dev.KuVGDvapCvyXEJAwlYpK7g', 'a\x1fb', ''));

const normalized = normalizedEvents({ iso, text, eventName: fc.string() });

describe('the compact form of stored events', () => {
  test('gives back the stored JSON exactly, for events sealed and in clear', () => {
    fc.assert(
      fc.property(normalized, fc.boolean(), (e, sealed) => {
        const stored = (sealed ? sealedForm : plainForm).event(structuredClone(e));
        const { field, value } = compactEvent(stored);
        expect(field === COMPACT_EVENT_FIELD ? expandEvent(value) : value).toBe(stored);
      }),
      { numRuns: 300 },
    );
  });

  test('takes the compact form whenever no value holds its separator, and is then shorter', () => {
    fc.assert(
      fc.property(normalized, (e) => {
        fc.pre(!JSON.stringify(e).includes('\\u001f'));
        const stored = sealedForm.event(structuredClone(e));
        const { field, value } = compactEvent(stored);
        expect(field).toBe(COMPACT_EVENT_FIELD);
        expect(value.length).toBeLessThan(stored.length);
      }),
      { numRuns: 200 },
    );
  });

  test('any JSON at all, of any key order, reads back as it was written (compact or kept plain)', () => {
    const anyObject = fc.dictionary(fc.constantFrom('type', 'messageId', 'userId', 'timestamp', 'receivedAt', 'sealed', 'x', '__proto__'), fc.oneof(json, iso, fc.constant('enc:v1:k:abc')));
    fc.assert(
      fc.property(fc.oneof(anyObject.map((o) => JSON.stringify(o)), fc.string()), (stored) => {
        const { field, value } = compactEvent(stored);
        expect(field === COMPACT_EVENT_FIELD ? expandEvent(value) : value).toBe(stored);
        if (field === PLAIN_EVENT_FIELD) expect(value).toBe(stored);
      }),
      { numRuns: 500 },
    );
  });

  test('a keyed order other than normalizeEvent’s is kept, and times that do not round-trip stay plain', () => {
    const e = { type: 'track', event: 'Viewed', messageId: 'm1', userId: 'u1', properties: {}, timestamp: '2024-05-01T10:00:00.000Z', receivedAt: '2024-05-01T10:00:00.000Z' };
    const stored = JSON.stringify(e);
    expect(compactEvent(stored).field).toBe(COMPACT_EVENT_FIELD);
    expect(expandEvent(compactEvent(stored).value)).toBe(stored);
    const loose = JSON.stringify({ ...e, timestamp: '2024-05-01T10:00:00Z' });
    expect(compactEvent(loose)).toEqual({ field: PLAIN_EVENT_FIELD, value: loose });
  });
});
