import { mulberry32 } from '../../src/core/random';
import { fingerprint, NearDuplicates, stableJson } from '../../src/quality/near-duplicates';

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();
const ev = (userId: string, event: string, properties: Record<string, unknown>, ms: number) => ({ userId, type: 'track', event, properties, traits: {}, timestamp: at(ms) });

describe('near-duplicates', () => {
  it('fingerprints ignore key order and time, and tell apart user, name and properties', () => {
    expect(stableJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"e":3,"f":2}]},"b":1}');
    const base = ev('u1', 'Product Viewed', { product_id: 'p1', price: 5 }, 0);
    expect(fingerprint(base)).toBe(fingerprint(ev('u1', 'Product Viewed', { price: 5, product_id: 'p1' }, 9_999)));
    expect(fingerprint(base)).not.toBe(fingerprint(ev('u2', 'Product Viewed', { product_id: 'p1', price: 5 }, 0)));
    expect(fingerprint(base)).not.toBe(fingerprint(ev('u1', 'Product Clicked', { product_id: 'p1', price: 5 }, 0)));
    expect(fingerprint(base)).not.toBe(fingerprint(ev('u1', 'Product Viewed', { product_id: 'p1', price: 6 }, 0)));
  });

  it('finds exactly the planted resends within the window, and none outside it', () => {
    const near = new NearDuplicates({ windowMs: 10_000, max: 100_000 });
    const rand = mulberry32(5);
    let planted = 0;
    let found = 0;
    let t = 0;
    for (let i = 0; i < 3000; i++) {
      t += 1000;
      // Distinct events: each user views a product of their own, once.
      const e = ev(`u${i % 300}`, 'Product Viewed', { product_id: `p${i}` }, t);
      if (near.seen(e)) found++;
      const r = rand();
      if (r < 0.1) {
        planted++;
        if (near.seen({ ...e, timestamp: at(t + Math.floor(rand() * 10_000)) })) found++;
      } else if (r < 0.2) {
        // The same event again, but long after: a new view, not a resend.
        if (near.seen({ ...e, timestamp: at(t + 10_001 + Math.floor(rand() * 100_000)) })) found++;
      }
    }
    expect(planted).toBeGreaterThan(200);
    expect(found).toBe(planted);
  });

  it('keeps at most its bound of fingerprints, forgetting the oldest', () => {
    const near = new NearDuplicates({ windowMs: 60_000, max: 100 });
    for (let i = 0; i < 150; i++) near.seen(ev('u', 'E', { i }, i));
    expect(near.size).toBe(100);
    expect(near.seen(ev('u', 'E', { i: 0 }, 200))).toBe(false);
    expect(near.seen(ev('u', 'E', { i: 149 }, 200))).toBe(true);
  });
});
