import fc from 'fast-check';
import { Catalog, type CatalogItem } from '../../src/core/catalog';
import type { RecommendFilter } from '../../src/core/filter';
import { mulberry32 } from '../../src/core/random';
import { passesFilter } from '../../src/recommend/filter';
import { popularityCounter, RecommendationService } from '../../src/recommend/service';
import type { CounterStore } from '../../src/store/store';
import { profileAt } from '../profiles/builders';

/**
 * Seeded synthetic shops: categories of uneven size, prices spread 5..150, popularity on only
 * a handful of items (the case where lists used to shrink), purchases and filters.
 */
function shop(seed: number): { items: CatalogItem[]; popular: string[]; localePopular: string[] } {
  const rng = mulberry32(seed);
  const items: CatalogItem[] = [];
  const categories = ['running', 'yoga', 'camping', 'cycling', 'tennis'];
  categories.forEach((category, c) => {
    const n = 3 + Math.floor(rng() * 12);
    for (let i = 0; i < n; i++) items.push({ id: `${category}-${i}`, title: `${category} ${i}`, category, price: Math.round(5 + rng() * 145), description: '', tags: [i % 2 ? 'a' : 'b', `t${c}`] });
  });
  const pick = (n: number) => Array.from({ length: n }, () => items[Math.floor(rng() * items.length)].id).filter((id, i, all) => all.indexOf(id) === i);
  return { items, popular: pick(2), localePopular: pick(6) };
}

function counters(data: Record<string, string[]>): CounterStore {
  return {
    async topCounters(name, k) {
      const keys = data[name] ?? [];
      return keys.slice(0, k).map((key, i) => ({ key, value: keys.length - i }));
    },
  };
}

const arbFilter: fc.Arbitrary<RecommendFilter> = fc.record(
  {
    maxPrice: fc.integer({ min: 0, max: 160 }),
    minPrice: fc.integer({ min: 0, max: 80 }),
    categories: fc.subarray(['running', 'yoga', 'camping', 'cycling', 'tennis'], { minLength: 1 }),
    tags: fc.subarray(['a', 'b', 't0', 't3'], { minLength: 1 }),
  },
  { requiredKeys: [] },
);

describe('recommendation lists are full', () => {
  test('k items whenever the catalog has k eligible ones, for any filter, purchases, affinities and locale', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 25 }), arbFilter, fc.boolean(), fc.boolean(), async (seed, k, filter, known, german) => {
        const { items, popular, localePopular } = shop(seed);
        const service = new RecommendationService({
          catalog: Catalog.from(items),
          counters: counters({ pop: popular, [popularityCounter('locale', 'de-DE')]: localePopular }),
        });
        service.recommend({ userId: 'warm-up', profile: null, k: 1, context: { locale: 'de-DE' } });
        await service.refreshPopularity();
        const purchased = items.filter((_, i) => i % 7 === 0).map((i) => i.id);
        const profile = known ? profileAt({ purchased, affinities: { yoga: 3, tennis: 1 } }) : null;
        const recs = service.recommend({ userId: 'u', profile, k, filter, context: german ? { locale: 'de-DE' } : {} });
        const eligible = items.filter((i) => passesFilter(i, filter) && !(profile?.purchased ?? []).includes(i.id));
        expect(recs).toHaveLength(Math.min(k, eligible.length));
        expect(new Set(recs.map((r) => r.itemId)).size).toBe(recs.length);
        for (const r of recs) {
          expect(eligible.map((i) => i.id)).toContain(r.itemId);
          expect(r.reason).toMatch(/^(model:|affinity:|popular|catalog)/);
          expect(r.explanation.length).toBeGreaterThan(5);
        }
      }),
      { numRuns: 150, seed: 42 },
    );
  });

  test('two popular items in a catalog of thirty still give a list of ten, popular first', async () => {
    const items = Array.from({ length: 30 }, (_, i) => ({ id: `i${i}`, title: `Item ${i}`, category: `c${i % 3}`, description: '' }));
    const service = new RecommendationService({ catalog: Catalog.from(items), counters: counters({ pop: ['i7', 'i8'] }) });
    await service.refreshPopularity();
    const recs = service.recommend({ userId: 'u', profile: null, k: 10 });
    expect(recs).toHaveLength(10);
    expect(recs.slice(0, 2).map((r) => r.reason)).toEqual(['popular', 'popular']);
    expect(recs.slice(2).every((r) => r.reason === 'catalog')).toBe(true);
  });

  test('a category-filtered list is filled back from the catalog of that category', async () => {
    const items = Array.from({ length: 30 }, (_, i) => ({ id: `i${i}`, title: `Item ${i}`, category: `c${i % 3}`, price: i, description: '' }));
    const service = new RecommendationService({ catalog: Catalog.from(items), counters: counters({ pop: ['i0', 'i1', 'i2', 'i3', 'i4', 'i5'] }) });
    await service.refreshPopularity();
    const recs = service.recommend({ userId: 'u', profile: null, k: 8, filter: { categories: ['c1'], maxPrice: 25 } });
    expect(recs.map((r) => r.itemId).sort()).toEqual(['i1', 'i4', 'i7', 'i10', 'i13', 'i16', 'i19', 'i22'].sort());
    expect(recs.every((r) => (r.item?.price ?? Infinity) <= 25 && r.item?.category === 'c1')).toBe(true);
  });
});
