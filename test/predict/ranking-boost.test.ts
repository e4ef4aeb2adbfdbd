import { createAttune } from '../../index';
import { Catalog } from '../../src/core/catalog';
import { emptyProfile } from '../../src/core/profile';
import type { Turn } from '../../src/core/turn';
import { RecommendationService } from '../../src/recommend/service';
import { MemoryStore } from '../../src/store/memory';
import { smallCatalog } from '../support/catalog';
import { plantedModel } from './support';

// A user whose interest says running, while the propensity model says they are about to buy yoga.
const profile = { ...emptyProfile('u', '2026-01-01T00:00:00Z'), affinities: { running: 10, camping: 4 } };
const request = { userId: 'u', profile, k: 4, diversity: 0 };
const categories = (list: { item?: { category: string } }[]) => list.map((r) => r.item?.category);

describe('ranking boost by purchase propensity', () => {
  const service = (propensityBoost?: number) => new RecommendationService({ catalog: Catalog.from(smallCatalog()), counters: new MemoryStore(), propensityBoost });

  it('is off by default: the propensity changes nothing', () => {
    const plain = service().recommend(request);
    expect(categories(plain)).toEqual(['running', 'running', 'running', 'running']);
    expect(service().recommend({ ...request, propensity: { yoga: 0.95 } })).toEqual(plain);
  });

  it('with a strength, lifts the category the user is likely to buy, as planted', () => {
    const boosted = service(2).recommend({ ...request, propensity: { yoga: 0.95, running: 0.05 } });
    expect(categories(boosted)).toEqual(['yoga', 'yoga', 'yoga', 'yoga']);
    // A weak boost reorders less: camping (affinity 0.4 of running's) passes running only with enough strength.
    const weak = service(0.3).recommend({ ...request, propensity: { camping: 1 } });
    expect(categories(weak)[0]).toBe('running');
    const strong = service(1).recommend({ ...request, propensity: { camping: 1 } });
    expect(categories(strong)[0]).toBe('camping');
    // The request's own strength wins over the service's.
    expect(categories(service(2).recommend({ ...request, propensity: { yoga: 0.95 }, propensityBoost: 0 }))[0]).toBe('running');
  });

  it('reads the turn\'s predictions when the engine is given predict.boost', async () => {
    const turn = (userId: string): Turn => ({ id: `t-${userId}`, userId, sessionId: 's', channel: 'test', kind: 'message', text: 'hello', signals: {}, timestamp: new Date().toISOString() });
    const run = async (boost?: number) => {
      const attune = createAttune({ store: new MemoryStore(), catalog: smallCatalog(), idKeys: false, predict: { model: plantedModel(), boost }, stages: { recommend: { diversity: 0 } } });
      // Much running interest (orders weigh 5 each) from three weeks ago, and two yoga items seen this week.
      const earlier = new Date(Date.now() - 21 * 86_400_000).toISOString();
      for (const id of ['running-1', 'running-2', 'running-3']) await attune.track({ userId: 'ann', event: 'Order Completed', properties: { products: [{ product_id: id }] }, timestamp: earlier });
      for (const id of ['yoga-1', 'yoga-2']) await attune.track({ userId: 'ann', event: 'Product Viewed', properties: { product_id: id } });
      const ctx = await attune.handle(turn('ann'), () => undefined);
      return { top: ctx.personalization.recommendations[0]?.item?.category, yoga: ctx.personalization.predictions?.byCategory.yoga, running: ctx.personalization.predictions?.byCategory.running };
    };
    const off = await run();
    const on = await run(3);
    expect(off.yoga).toBeGreaterThan(0.5);
    expect(off.running).toBeLessThan(0.1);
    expect(off.top).toBe('running');
    expect(on.top).toBe('yoga');
  });
});
