import fc from 'fast-check';
import { packSegments, segmentIds } from '../../../src/store/data/redis-segments';

/*
 * Packed memberships are held to the SET they replace: whatever ids are written, what is read
 * back is what SMEMBERS then sort gave (each id once, sorted), unicode and empty ids included;
 * no ids is no key.
 */

describe('packed segment memberships', () => {
  test('read back as SMEMBERS then sort would, from the string and from its bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom('', 'new-visitors', '"', '\x1f')), { maxLength: 12 }), (ids) => {
        const packed = packSegments(ids);
        const asSet = [...new Set(ids)].sort();
        expect(packed === '').toBe(ids.length === 0);
        if (packed === '') return;
        expect(segmentIds(packed)).toEqual(asSet);
        expect(segmentIds(Buffer.from(packed, 'utf8'))).toEqual(asSet);
      }),
      { numRuns: 300 },
    );
  });

  test('a SET of the earlier form reads as its members; damage is an error', () => {
    expect(segmentIds([Buffer.from('b'), 'a'])).toEqual(['b', 'a']);
    expect(segmentIds(null)).toEqual([]);
    expect(() => segmentIds('{"a":1}')).toThrow();
  });
});
