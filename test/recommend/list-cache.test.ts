import fc from 'fast-check';
import { Catalog, type CatalogItem } from '../../src/core/catalog';
import type { Profile } from '../../src/core/profile';
import { mulberry32 } from '../../src/core/random';
import type { ServingGate } from '../../src/recommend/gate';
import { listKey } from '../../src/recommend/list-cache';
import { ItemKnn } from '../../src/recommend/models/itemknn';
import type { Interaction } from '../../src/recommend/recommender';
import { type OnlineAdjustment, RecommendationService } from '../../src/recommend/service';
import type { CounterStore } from '../../src/store/store';
import { iso, profileAt, T0 } from '../profiles/builders';

/**
 * A service that remembers lists against one that computes every list, both fed the same
 * seeded synthetic shop and the same changes (profiles, models, popularity, online
 * adjustments, the review gate): after any sequence of changes, every list the first serves is
 * the one the second computes.
 */

const CATEGORIES = ['running', 'yoga', 'camping', 'cycling'];

function shop(seed: number): CatalogItem[] {
  const rng = mulberry32(seed);
  const items: CatalogItem[] = [];
  CATEGORIES.forEach((category, c) => {
    for (let i = 0; i < 8; i++) items.push({ id: `${category}-${i}`, title: `${category} ${i}`, category, price: Math.round(5 + rng() * 100), description: '', tags: [i % 2 ? 'a' : 'b', `t${c}`] });
  });
  return items;
}

/** A model trained on `seed`'s interactions: the same seed trains the same model. */
function model(items: readonly CatalogItem[], seed: number): ItemKnn {
  const rng = mulberry32(seed);
  const interactions: Interaction[] = [];
  for (let u = 0; u < 30; u++) for (let j = 0; j < 5; j++) interactions.push({ user: `t${u}`, item: items[Math.floor(rng() * items.length)].id, weight: 1, time: T0 - j });
  const m = new ItemKnn();
  m.fit({ interactions });
  return m;
}

/** Counters whose counts the test changes between refreshes. */
function counters(items: readonly CatalogItem[]): CounterStore & { seed: number } {
  return {
    seed: 1,
    async topCounters(name, k) {
      const rng = mulberry32(this.seed * 31 + name.length);
      return items.slice(0, 12).map((i) => ({ key: i.id, value: Math.floor(rng() * 50) })).sort((a, b) => b.value - a.value).slice(0, k);
    },
  };
}

/** A review gate holding a set of items that the test changes. */
function gate(): ServingGate & { heldNow: Set<string>; told: string[][] } {
  const heldNow = new Set<string>();
  const told: string[][] = [];
  return { heldNow, told, holds: (id) => heldNow.has(id), held: (ids) => void told.push([...ids]) };
}

type Op =
  | { op: 'again' }
  | { op: 'ask'; user: number; k: number; locale?: string; maxPrice?: number; diversity?: number; propensity?: number }
  | { op: 'view'; user: number; item: number; minutes: number }
  | { op: 'buy'; user: number; item: number }
  | { op: 'affinity'; user: number; category: number; score: number }
  | { op: 'model'; seed: number }
  | { op: 'popularity'; seed: number }
  | { op: 'online'; user: number; item: number }
  | { op: 'hold'; item: number }
  | { op: 'release'; item: number }
  | { op: 'gate'; on: boolean };

const arbOp: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ op: 'again' as const }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('ask' as const), user: fc.nat(2), k: fc.constantFrom(3, 8), locale: fc.option(fc.constant('de-DE'), { nil: undefined }), maxPrice: fc.option(fc.constant(50), { nil: undefined }), diversity: fc.option(fc.constant(0.9), { nil: undefined }), propensity: fc.option(fc.constantFrom(0.2, 0.9), { nil: undefined }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('view' as const), user: fc.nat(2), item: fc.nat(31), minutes: fc.nat(600) }) },
  fc.record({ op: fc.constant('buy' as const), user: fc.nat(2), item: fc.nat(31) }),
  fc.record({ op: fc.constant('affinity' as const), user: fc.nat(2), category: fc.nat(3), score: fc.integer({ min: 1, max: 5 }) }),
  { weight: 2, arbitrary: fc.record({ op: fc.constant('model' as const), seed: fc.nat(3) }) },
  fc.record({ op: fc.constant('popularity' as const), seed: fc.nat(3) }),
  { weight: 2, arbitrary: fc.record({ op: fc.constant('online' as const), user: fc.integer({ min: 1, max: 2 }), item: fc.nat(31) }) },
  fc.record({ op: fc.constant('hold' as const), item: fc.nat(31) }),
  fc.record({ op: fc.constant('release' as const), item: fc.nat(31) }),
  fc.record({ op: fc.constant('gate' as const), on: fc.boolean() }),
);

/** One user's online adjustments, with a revision that changes with them. */
function onlineSource() {
  const byUser = new Map<string, OnlineAdjustment>();
  return {
    forUser: (userId: string) => byUser.get(userId),
    demote(userId: string, item: string) {
      const before = byUser.get(userId);
      const demoted = new Map(before?.demoted ?? []).set(item, 0.8);
      byUser.set(userId, { revision: `${userId}:${demoted.size}:${item}`, positives: [], demoted });
    },
  };
}

async function replay(ops: readonly Op[]): Promise<{ asked: number; hits: number }> {
  const items = shop(7);
  const catalog = Catalog.from(items);
  const now = { ms: T0 };
  const clock = () => now.ms;
  const pop = counters(items);
  const cached = new RecommendationService({ catalog, counters: pop, model: model(items, 0), clock });
  const fresh = new RecommendationService({ catalog, counters: pop, model: model(items, 0), clock, listCache: false });
  const computed = countCompute(cached);
  const review = gate();
  const online = onlineSource();
  for (const s of [cached, fresh]) s.setOnline(online);
  await Promise.all([cached.refreshPopularity(), fresh.refreshPopularity()]);
  const profiles: (Profile | null)[] = [null, profileAt({}, 'u1'), profileAt({ affinities: { yoga: 2 } }, 'u2')];
  let asked = 0;
  let last: Op | undefined;
  for (const step of ops) {
    // `again` asks what was asked last, with whatever changed since.
    const o = step.op === 'again' ? last ?? step : step;
    if (o.op === 'ask') last = o;
    now.ms += 1000;
    const user = 'user' in o ? `u${o.user}` : '';
    const p = 'user' in o ? profiles[o.user] ?? profileAt({}, user) : null;
    switch (o.op) {
      case 'ask': {
        const req = { userId: user, profile: profiles[o.user], k: o.k, context: o.locale ? { locale: o.locale } : undefined, filter: o.maxPrice === undefined ? undefined : { maxPrice: o.maxPrice }, diversity: o.diversity, propensity: o.propensity === undefined ? undefined : { camping: o.propensity }, propensityBoost: o.propensity === undefined ? undefined : 2 };
        const before = review.told.length;
        const remembered = cached.recommend(req);
        const toldCached = review.told.slice(before);
        const computed = fresh.recommend(req);
        const toldFresh = review.told.slice(before + toldCached.length);
        expect(remembered).toEqual(computed);
        // The gate hears the same about a remembered list as about a computed one.
        expect(toldCached).toEqual(toldFresh);
        asked++;
        break;
      }
      case 'again':
        break;
      case 'view':
        profiles[o.user] = { ...p!, recentItems: [{ id: items[o.item].id, weight: 1, at: iso(now.ms - o.minutes * 60_000) }, ...p!.recentItems].slice(0, 5) };
        break;
      case 'buy':
        profiles[o.user] = { ...p!, purchased: [...p!.purchased, items[o.item].id] };
        break;
      case 'affinity':
        profiles[o.user] = { ...p!, affinities: { ...p!.affinities, [CATEGORIES[o.category]]: o.score } };
        break;
      case 'model':
        cached.setModel(model(items, o.seed));
        fresh.setModel(model(items, o.seed));
        break;
      case 'popularity':
        pop.seed = o.seed;
        await Promise.all([cached.refreshPopularity(), fresh.refreshPopularity()]);
        break;
      case 'online':
        online.demote(user, items[o.item].id);
        break;
      case 'hold':
        review.heldNow.add(items[o.item].id);
        break;
      case 'release':
        review.heldNow.delete(items[o.item].id);
        break;
      case 'gate':
        for (const s of [cached, fresh]) s.setGate(o.on ? review : undefined);
        break;
    }
  }
  return { asked, hits: asked - computed.count };
}

/** Counts the lists `service` computes (not served from memory). */
function countCompute(service: RecommendationService): { count: number } {
  const counted = { count: 0 };
  const spied = service as unknown as { compute: (...args: unknown[]) => unknown };
  const compute = spied.compute.bind(service);
  spied.compute = (...args: unknown[]) => (counted.count++, compute(...args));
  return counted;
}

describe('lists served from memory', () => {
  test('equal the freshly computed list after any change of profile, model, popularity, online adjustment or gate', async () => {
    const total = { asked: 0, hits: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(arbOp, { minLength: 1, maxLength: 40 }), async (ops) => {
        const { asked, hits } = await replay(ops);
        total.asked += asked;
        total.hits += hits;
      }),
      { seed: 14, numRuns: 150 },
    );
    // The property says something only if lists were served from memory, and often.
    expect(total.hits).toBeGreaterThan(total.asked / 5);
  });

  test('planted: each kind of change, between two equal asks, is seen', async () => {
    const ask = { op: 'ask' as const, user: 1, k: 8 };
    for (const change of [{ op: 'model' as const, seed: 2 }, { op: 'online' as const, user: 1, item: 0 }, { op: 'popularity' as const, seed: 3 }, { op: 'hold' as const, item: 0 }]) {
      await replay([{ op: 'view', user: 1, item: 3, minutes: 60 }, { op: 'gate', on: true }, ask, change, ask]);
    }
  });

  test('a list asked for again, with nothing changed, is remembered, and a copy is served', () => {
    const items = shop(3);
    const service = new RecommendationService({ catalog: Catalog.from(items), counters: counters(items), model: model(items, 1), clock: () => T0 });
    const computed = countCompute(service);
    const profile = Object.freeze(profileAt({ affinities: { camping: 3 } }));
    const first = service.recommend({ userId: 'u1', profile, k: 5 });
    first[0].score = -1;
    const again = service.recommend({ userId: 'u1', profile, k: 5 });
    expect(computed.count).toBe(1);
    expect(again[0].score).not.toBe(-1);
    expect(again.map((r) => r.itemId)).toEqual(first.map((r) => r.itemId));
    service.recommend({ userId: 'u1', profile: { ...profile, purchased: [again[0].itemId] }, k: 5 });
    expect(computed.count).toBe(2);
  });

  test("an erased user's lists are forgotten, and only theirs", () => {
    const items = shop(3);
    const service = new RecommendationService({ catalog: Catalog.from(items), counters: counters(items), model: model(items, 1), clock: () => T0 });
    const computed = countCompute(service);
    const profile = Object.freeze(profileAt({ affinities: { camping: 3 } }));
    // 'u1' is a prefix of 'u10': forgetting one must not drop the other.
    for (const userId of ['u1', 'u10']) service.recommend({ userId, profile, k: 5 });
    expect(computed.count).toBe(2);
    service.forgetUser('u1');
    service.recommend({ userId: 'u10', profile, k: 5 });
    expect(computed.count).toBe(2);
    service.recommend({ userId: 'u1', profile, k: 5 });
    expect(computed.count).toBe(3);
  });

  test('a list is recomputed once its time is up', () => {
    const items = shop(3);
    const now = { ms: T0 };
    const service = new RecommendationService({ catalog: Catalog.from(items), counters: counters(items), clock: () => now.ms, listCache: { ttlMs: 1000 } });
    const computed = countCompute(service);
    service.recommend({ userId: 'u1', profile: null, k: 3 });
    now.ms += 999;
    service.recommend({ userId: 'u1', profile: null, k: 3 });
    now.ms += 1;
    service.recommend({ userId: 'u1', profile: null, k: 3 });
    expect(computed.count).toBe(2);
  });

  test('a request\'s purchase propensity is part of its key', () => {
    const items = shop(3);
    const service = new RecommendationService({ catalog: Catalog.from(items), counters: counters(items), clock: () => T0 });
    const fresh = new RecommendationService({ catalog: Catalog.from(items), counters: counters(items), clock: () => T0, listCache: false });
    const propensities: (Record<string, number> | undefined)[] = [undefined, { camping: 0.9 }, { yoga: 0.9 }, { yoga: 0.1 }];
    for (const propensity of propensities) {
      const req = { userId: 'u1', profile: profileAt({}, 'u1'), k: 5, propensity, propensityBoost: 3 };
      expect(service.recommend(req)).toEqual(fresh.recommend(req));
    }
  });

  test('keys tell apart what JSON would not (NaN and the infinities, 0 and -0) and what a separator would not', () => {
    const base = { userId: 'u1', profile: null, k: 5 };
    const keys = [listKey({ ...base, diversity: NaN }, undefined), listKey({ ...base, diversity: Infinity }, undefined), listKey({ ...base, diversity: 0 }, undefined), listKey({ ...base, diversity: -0 }, undefined), listKey({ ...base, userId: 'u1|5' }, undefined), listKey(base, 'r1'), listKey(base, undefined)];
    expect(new Set(keys).size).toBe(keys.length);
  });
});
