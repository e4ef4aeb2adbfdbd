import { normalizeBatch, normalizeEvent } from '../../src/core/event';
import { ValidationError } from '../../src/core/errors';

/*
 * What an event may hold is bounded at the edge, so that an accepted event can always be
 * written and read back: ids fit the store's 512-character keys, and an event is at most
 * Segment's 32 KB and 32 levels deep.
 */

const NOW = new Date('2024-06-01T12:00:00.000Z');
const track = (extra: Record<string, unknown>) => ({ type: 'track', userId: 'u1', event: 'Product Viewed', ...extra });

function issuesOf(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    if (e instanceof ValidationError) return e.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('event bounds', () => {
  test('ids of up to 512 characters are accepted, longer ones are refused at their path', () => {
    const id = 'i'.repeat(512);
    expect(normalizeEvent(track({ userId: id, messageId: id, anonymousId: id }), NOW).userId).toBe(id);
    for (const field of ['userId', 'anonymousId', 'messageId']) {
      expect(issuesOf(() => normalizeEvent(track({ [field]: 'i'.repeat(513) }), NOW))).toEqual([`${field}: Too big: expected string to have <=512 characters`]);
    }
  });

  test('a product id longer than a counter key is refused, in properties and in products[]', () => {
    const long = 'p'.repeat(513);
    expect(issuesOf(() => normalizeEvent(track({ properties: { product_id: long } }), NOW))).toEqual(['properties.product_id: a product id may have at most 512 characters']);
    expect(issuesOf(() => normalizeEvent(track({ properties: { products: [{ sku: 'ok' }, { sku: long }] } }), NOW))).toEqual(['properties.products.1.sku: a product id may have at most 512 characters']);
  });

  test('a locale that is not a string, or too long to be a language tag, is refused', () => {
    expect(issuesOf(() => normalizeEvent(track({ context: { locale: 7 } }), NOW))).toEqual(['context.locale: Invalid input: expected string, received number']);
    expect(issuesOf(() => normalizeEvent(track({ context: { locale: 'x'.repeat(36) } }), NOW))).toEqual(['context.locale: Too big: expected string to have <=35 characters']);
  });

  test('properties nested 100,000 levels deep are refused with a ValidationError, not a stack overflow', () => {
    const deep = JSON.parse(`{"type":"identify","userId":"u1","traits":{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`) as unknown;
    expect(issuesOf(() => normalizeEvent(deep, NOW))).toEqual([`traits.a.${Array.from({ length: 30 }, () => 0).join('.')}: nested deeper than 32 levels`]);
  });

  test('an event over 32 KB is refused; one just under is accepted', () => {
    expect(normalizeEvent(track({ properties: { note: 'n'.repeat(30_000) } }), NOW).properties.note).toHaveLength(30_000);
    expect(issuesOf(() => normalizeEvent(track({ properties: { note: 'n'.repeat(33_000) } }), NOW))).toEqual([': larger than 32768 characters as JSON']);
  });

  test('a __proto__ key anywhere is refused; one at the top of a map is dropped by the parser and never becomes a prototype', () => {
    expect(issuesOf(() => normalizeEvent(JSON.parse('{"type":"track","userId":"u1","event":"X","properties":{"products":[{"__proto__":{"admin":true}}]}}'), NOW))).toEqual([
      'properties.products.0.__proto__: the key __proto__ is not allowed',
    ]);
    const e = normalizeEvent(JSON.parse('{"type":"identify","userId":"u1","traits":{"__proto__":{"admin":true},"plan":"pro"}}'), NOW);
    expect(Object.getPrototypeOf(e.traits)).toBe(Object.prototype);
    expect(Object.keys(e.traits)).toEqual(['plan']);
    expect((e.traits as { admin?: unknown }).admin).toBeUndefined();
  });

  test('a batch checks every event and its shared context', () => {
    expect(issuesOf(() => normalizeBatch({ batch: [track({}), track({ userId: 'u'.repeat(600) })] }, NOW))).toEqual(['batch.1.userId: Too big: expected string to have <=512 characters']);
    expect(issuesOf(() => normalizeBatch({ batch: [track({})], context: { locale: ['en'] } }, NOW))).toEqual(['context.locale: Invalid input: expected string, received array']);
  });
});
