import { Catalog } from '../../src/core/catalog';
import type { Profile } from '../../src/core/profile';
import type { Interaction, ModelArtifact, Recommender, Scored } from '../../src/recommend/recommender';
import { popularityCounter, RecommendationService } from '../../src/recommend/service';
import type { CounterStore } from '../../src/store/store';
import { smallCatalog } from '../support/catalog';
import { iso, profileAt, T0 } from '../profiles/builders';

/** Counters as a plain map from counter name to keys, most popular first. */
function counters(data: Record<string, string[]>): CounterStore {
  return {
    async topCounters(name, k) {
      const keys = data[name] ?? [];
      return keys.slice(0, k).map((key, i) => ({ key, value: keys.length - i }));
    },
  };
}

/** A model that scores a fixed list for users it was folded in for, and records fold-ins. */
class FakeModel implements Recommender {
  readonly kind = 'fake';
  readonly foldIns: { user: string; items: string[] }[] = [];
  private readonly known = new Set<string>();
  constructor(private readonly scores: Scored[]) {}
  fit(): void {}
  recommend(user: string, k: number): Scored[] {
    return this.known.has(user) ? this.scores.slice(0, k) : [];
  }
  similar(): Scored[] {
    return [];
  }
  foldIn(user: string, interactions: readonly Interaction[]): void {
    this.known.add(user);
    this.foldIns.push({ user, items: interactions.map((i) => i.item) });
  }
  knowsUser(user: string): boolean {
    return this.known.has(user);
  }
  toArtifact(): ModelArtifact {
    return { kind: this.kind, format: 1, params: {}, state: {} };
  }
}

const catalog = Catalog.from(smallCatalog());
const ids = (recs: { itemId: string }[]) => recs.map((r) => r.itemId);
const withHistory = (...items: string[]): Profile => profileAt({ recentItems: items.map((id, i) => ({ id, weight: 1, at: iso(T0 - i) })) });

describe('RecommendationService, cold users', () => {
  test('without any popularity data: the catalog, one category after another', () => {
    const service = new RecommendationService({ catalog, counters: counters({}) });
    const recs = service.recommend({ userId: 'u1', profile: null, k: 3 });
    expect(ids(recs)).toEqual(['running-1', 'yoga-1', 'camping-1']);
    expect(recs.every((r) => r.reason === 'catalog' && r.item?.id === r.itemId)).toBe(true);
    expect(recs[0].explanation).toBe('from our running range');
  });

  test('the catalog-order fallback skips bought items instead of running out', () => {
    const big = Catalog.from(Array.from({ length: 30 }, (_, i) => ({ id: `i${String(i).padStart(2, '0')}`, title: `Item ${i}`, category: 'c' })));
    const service = new RecommendationService({ catalog: big, counters: counters({}) });
    const bought = profileAt({ purchased: Array.from({ length: 20 }, (_, i) => `i${String(i).padStart(2, '0')}`) });
    expect(ids(service.recommend({ userId: 'u1', profile: bought, k: 2 }))).toEqual(['i20', 'i21']);
  });

  test('globally popular items once popularity was read, unknown items left out', async () => {
    const service = new RecommendationService({ catalog, counters: counters({ pop: ['yoga-3', 'not-in-catalog', 'camping-2', 'running-5'] }) });
    await service.refreshPopularity();
    const recs = service.recommend({ userId: 'u1', profile: null, k: 3 });
    expect(ids(recs)).toEqual(['yoga-3', 'camping-2', 'running-5']);
    expect(recs[0].reason).toBe('popular');
  });

  test('popular in their locale when that locale has at least five items of data, else global', async () => {
    const fr = ['camping-6', 'camping-5', 'camping-4', 'camping-3', 'camping-2'];
    const service = new RecommendationService({
      catalog,
      counters: counters({ pop: ['yoga-1', 'yoga-2', 'yoga-3'], [popularityCounter('locale', 'fr-FR')]: fr, [popularityCounter('locale', 'de-DE')]: fr.slice(0, 4) }),
    });
    const ask = (locale: string) => service.recommend({ userId: 'u1', profile: null, k: 2, context: { locale } });
    // The first request asks for the locale's counter; the next refresh reads it.
    expect(ask('fr-FR').map((r) => r.reason)).toEqual(['catalog', 'catalog']);
    ask('de-DE');
    await service.refreshPopularity();
    const french = ask('fr-FR');
    // A newcomer's list holds at most half of one category: the second pick is overall popularity.
    expect(ids(french)).toEqual(['camping-6', 'yoga-1']);
    expect(french.map((r) => r.reason)).toEqual(['popular:locale=fr-FR', 'popular']);
    expect(french[0].explanation).toBe('populaire en fr-FR');
    expect(ids(ask('de-DE'))).toEqual(['yoga-1', 'running-1']);
  });
});

describe('RecommendationService, known users', () => {
  test('affinity steers to the strongest category', () => {
    const service = new RecommendationService({ catalog, counters: counters({}) });
    const recs = service.recommend({ userId: 'u1', profile: profileAt({ affinities: { running: 1, yoga: 4, camping: -2 } }), k: 6 });
    expect(ids(recs)).toEqual(['yoga-1', 'yoga-2', 'yoga-3', 'yoga-4', 'yoga-5', 'yoga-6']);
    expect(recs[0].reason).toBe('affinity:yoga');
  });

  test('affinity outweighs popularity elsewhere', async () => {
    const service = new RecommendationService({ catalog, counters: counters({ pop: ['camping-1', 'camping-2', 'camping-3', 'camping-4', 'camping-5'] }) });
    await service.refreshPopularity();
    const recs = service.recommend({ userId: 'u1', profile: profileAt({ affinities: { running: 2 } }), k: 1 });
    expect(recs[0].item?.category).toBe('running');
  });

  test('bought and excluded items are never returned, whatever scores them', async () => {
    const model = new FakeModel([{ item: 'yoga-1', score: 9 }, { item: 'yoga-2', score: 8 }, { item: 'yoga-3', score: 7 }]);
    const service = new RecommendationService({ catalog, counters: counters({ pop: ['yoga-1', 'yoga-2', 'yoga-3', 'yoga-4', 'yoga-5'] }), model });
    await service.refreshPopularity();
    const profile = { ...withHistory('yoga-6'), affinities: { yoga: 5 }, purchased: ['yoga-1'] };
    const recs = service.recommend({ userId: 'u1', profile, k: 18, exclude: new Set(['yoga-2']) });
    expect(ids(recs)).not.toContain('yoga-1');
    expect(ids(recs)).not.toContain('yoga-2');
    expect(ids(recs)).toContain('yoga-3');
  });

  test("a model's scores count", () => {
    const model = new FakeModel([{ item: 'camping-6', score: 3 }, { item: 'running-4', score: 1 }]);
    const service = new RecommendationService({ catalog, counters: counters({}), model });
    const recs = service.recommend({ userId: 'u1', profile: withHistory('camping-1'), k: 2 });
    expect(ids(recs)).toEqual(['camping-6', 'running-4']);
    expect(recs[0].reason).toBe('model:fake');
  });

  test('folds the history in only when it changed, and again after a model swap', () => {
    const model = new FakeModel([{ item: 'camping-6', score: 1 }]);
    const service = new RecommendationService({ catalog, counters: counters({}), model });
    service.recommend({ userId: 'u1', profile: withHistory('yoga-1', 'yoga-2'), k: 3 });
    service.recommend({ userId: 'u1', profile: withHistory('yoga-1', 'yoga-2'), k: 3 });
    expect(model.foldIns).toEqual([{ user: 'u1', items: ['yoga-1', 'yoga-2'] }]);
    service.recommend({ userId: 'u1', profile: withHistory('camping-2', 'yoga-1', 'yoga-2'), k: 3 });
    expect(model.foldIns).toHaveLength(2);
    service.setModel(model);
    service.recommend({ userId: 'u1', profile: withHistory('camping-2', 'yoga-1', 'yoga-2'), k: 3 });
    expect(model.foldIns).toHaveLength(3);
  });

  test('a user without history is not folded in', () => {
    const model = new FakeModel([{ item: 'camping-6', score: 1 }]);
    const service = new RecommendationService({ catalog, counters: counters({}), model });
    expect(ids(service.recommend({ userId: 'u1', profile: profileAt(), k: 1 }))).toEqual(['running-1']);
    expect(model.foldIns).toEqual([]);
  });
});

describe('popularity refresh', () => {
  test('a background refresh waits for the interval and reports errors instead of throwing', async () => {
    let now = 0;
    let reads = 0;
    const errors: unknown[] = [];
    const failing: CounterStore = {
      async topCounters() {
        reads += 1;
        throw new Error('down');
      },
    };
    const service = new RecommendationService({ catalog, counters: failing, clock: () => now, popularityRefreshMs: 1000 });
    service.refreshInBackground((e) => errors.push(e));
    await new Promise((r) => setImmediate(r));
    expect([reads, errors.length]).toEqual([1, 1]);
    now = 999;
    service.refreshInBackground((e) => errors.push(e));
    await new Promise((r) => setImmediate(r));
    expect(reads).toBe(1);
    now = 1000;
    service.refreshInBackground((e) => errors.push(e));
    await new Promise((r) => setImmediate(r));
    expect(reads).toBe(2);
  });

  test('counter names keep only safe characters', () => {
    expect(popularityCounter()).toBe('pop');
    expect(popularityCounter('locale', 'de DE/x')).toBe('pop.locale.de_DE_x');
  });
});

describe('RecommendationService, popularity snapshot', () => {
  test('a burst of fresh-snapshot requests reads the counters once, and again once stale', async () => {
    let now = T0;
    let reads = 0;
    const store: CounterStore = {
      async topCounters() {
        reads++;
        return [{ key: 'yoga-1', value: 3 }];
      },
    };
    const service = new RecommendationService({ catalog: Catalog.from(smallCatalog()), counters: store, clock: () => now, popularityRefreshMs: 5000 });
    await Promise.all([service.refreshIfStale(), service.refreshIfStale(), service.refreshIfStale()]);
    await service.refreshIfStale();
    expect(reads).toBe(1);
    now += 6000;
    await service.refreshIfStale();
    expect(reads).toBe(2);
  });
});
