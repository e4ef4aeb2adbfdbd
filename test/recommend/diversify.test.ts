import fc from 'fast-check';
import { Catalog, type CatalogItem } from '../../src/core/catalog';
import { mulberry32 } from '../../src/core/random';
import { diversify, type DiversityCandidate, itemSimilarity } from '../../src/recommend/diversify';
import { RecommendationService } from '../../src/recommend/service';
import type { CounterStore } from '../../src/store/store';
import { profileAt } from '../profiles/builders';

const categoriesOf = (list: readonly DiversityCandidate[]) => new Set(list.map((c) => c.category)).size;

/** Planted: the 12 most relevant candidates are all of category `a`; 4 other categories follow. */
function planted(seed: number): DiversityCandidate[] {
  const rng = mulberry32(seed);
  const out: DiversityCandidate[] = [];
  for (let i = 0; i < 12; i++) out.push({ itemId: `a${i}`, score: 0.9 + rng() * 0.1, category: 'a', tags: ['x'] });
  for (const c of ['b', 'c', 'd', 'e']) for (let i = 0; i < 3; i++) out.push({ itemId: `${c}${i}`, score: 0.5 + rng() * 0.3, category: c, tags: ['y'] });
  return out;
}

describe('diversify', () => {
  test('strength 0 and no cap keep the relevance order', () => {
    const list = diversify(planted(1), 6);
    expect(list.every((c) => c.category === 'a')).toBe(true);
  });

  test('the category spread grows with the MMR strength, and the top item stays the most relevant', () => {
    const candidates = planted(2);
    const best = [...candidates].sort((x, y) => y.score - x.score)[0].itemId;
    const spread = [0, 0.3, 0.6, 0.9].map((strength) => {
      const list = diversify(candidates, 6, { strength });
      expect(list[0].itemId).toBe(best);
      expect(list).toHaveLength(6);
      return categoriesOf(list);
    });
    for (let i = 1; i < spread.length; i++) expect(spread[i]).toBeGreaterThanOrEqual(spread[i - 1]);
    expect(spread[0]).toBe(1);
    expect(spread[3]).toBe(5);
  });

  test('a per-category cap holds, and gives way only when the list could not be full otherwise', () => {
    const capped = diversify(planted(3), 6, { maxPerCategory: 2 });
    const perCategory = (list: DiversityCandidate[]) => Math.max(...[...new Set(list.map((c) => c.category))].map((cat) => list.filter((c) => c.category === cat).length));
    expect(perCategory(capped)).toBe(2);
    const onlyA = planted(3).filter((c) => c.category === 'a');
    expect(diversify(onlyA, 6, { maxPerCategory: 2 })).toHaveLength(6);
  });
});

describe('tag sets given with the candidates', () => {
  const arbCandidates = fc.uniqueArray(
    fc.record({
      itemId: fc.string({ minLength: 1, maxLength: 4 }),
      score: fc.double({ min: -1, max: 1, noNaN: true }),
      category: fc.option(fc.constantFrom('a', 'b', 'c'), { nil: undefined }),
      tags: fc.option(fc.array(fc.constantFrom('x', 'y', 'z', 'w'), { maxLength: 5 }), { nil: undefined }),
    }),
    { selector: (c) => c.itemId, maxLength: 30 },
  );

  test('the list and every similarity are the same as from the tags alone (duplicates in the tags counted once)', () => {
    fc.assert(
      fc.property(arbCandidates, fc.integer({ min: 1, max: 12 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }), (plain, k, strength, maxPerCategory) => {
        const withSets = plain.map((c) => ({ ...c, tagSet: c.tags?.length ? new Set(c.tags) : undefined }));
        const ids = (list: readonly DiversityCandidate[]) => list.map((c) => c.itemId);
        expect(ids(diversify(withSets, k, { strength, maxPerCategory }))).toEqual(ids(diversify(plain, k, { strength, maxPerCategory })));
        for (let i = 1; i < plain.length; i++) expect(itemSimilarity(withSets[i - 1], withSets[i])).toBe(itemSimilarity(plain[i - 1], plain[i]));
      }),
      { seed: 14, numRuns: 300 },
    );
  });

  test('two items sharing one of three distinct tags, in one category, are 0.6 + 0.4 / 3 alike', () => {
    expect(itemSimilarity({ itemId: 'p', score: 1, category: 'a', tags: ['x', 'y', 'y'] }, { itemId: 'q', score: 1, category: 'a', tagSet: new Set(['y', 'z']) })).toBeCloseTo(0.6 + 0.4 / 3);
  });
});

describe('diversity in the service', () => {
  function catalog(): CatalogItem[] {
    const items: CatalogItem[] = [];
    for (const category of ['running', 'yoga', 'camping', 'cycling', 'tennis']) for (let i = 0; i < 8; i++) items.push({ id: `${category}-${i}`, title: `${category} ${i}`, category, description: '' });
    return items;
  }
  // Popularity all on running: without diversity a newcomer would see nothing else.
  const counters: CounterStore = {
    async topCounters(name) {
      return name === 'pop' ? Array.from({ length: 8 }, (_, i) => ({ key: `running-${i}`, value: 100 - i })) : [];
    },
  };

  test('a newcomer gets a mix across categories, most popular first', async () => {
    const service = new RecommendationService({ catalog: Catalog.from(catalog()), counters });
    await service.refreshPopularity();
    const recs = service.recommend({ userId: 'u', profile: null, k: 5 });
    expect(recs[0].itemId).toBe('running-0');
    expect(recs.filter((r) => r.item?.category === 'running').length).toBeLessThanOrEqual(3);
    expect(new Set(recs.map((r) => r.item?.category)).size).toBeGreaterThanOrEqual(3);
  });

  test('after interest in one category, the list shifts to it', async () => {
    const service = new RecommendationService({ catalog: Catalog.from(catalog()), counters });
    await service.refreshPopularity();
    const before = service.recommend({ userId: 'u', profile: null, k: 5 });
    const after = service.recommend({ userId: 'u', profile: profileAt({ affinities: { camping: 2 } }), k: 5 });
    const camping = (list: typeof before) => list.filter((r) => r.item?.category === 'camping').length;
    expect(camping(after)).toBe(5);
    expect(camping(before)).toBeLessThan(2);
    expect(after[0].explanation).toBe('because you showed interest in camping');
  });

  test('the configured cap and strength change the spread', async () => {
    const service = new RecommendationService({ catalog: Catalog.from(catalog()), counters, newcomerMaxPerCategory: 5, diversity: 0 });
    await service.refreshPopularity();
    expect(new Set(service.recommend({ userId: 'u', profile: null, k: 5 }).map((r) => r.item?.category))).toEqual(new Set(['running']));
    const varied = service.recommend({ userId: 'u', profile: null, k: 5, maxPerCategory: 1 });
    expect(new Set(varied.map((r) => r.item?.category)).size).toBe(5);
  });
});
