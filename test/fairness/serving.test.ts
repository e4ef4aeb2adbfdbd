import { Catalog } from '../../src/core/catalog';
import { popularityOf } from '../../src/evaluate';
import { exposureShare, mitigatedModel } from '../../src/fairness';
import { createRecommender } from '../../src/recommend/models';
import { RecommendationService } from '../../src/recommend/service';
import type { CounterStore } from '../../src/store/store';
import { plantedBias } from './planted';

const none: CounterStore = { topCounters: async () => [] };

describe('serving a mitigation', () => {
  const data = plantedBias();
  const model = createRecommender('itemknn');
  model.fit({ interactions: data.interactions });
  const { tail } = popularityOf(data.interactions);
  const TARGET = 0.3;
  /** How far a list's long-tail share of exposure is from the target. */
  const miss = (ids: string[]) => Math.abs(exposureShare(ids, (i) => tail.has(i)) - TARGET);
  const users = [...(data.users?.keys() ?? [])];

  it('is served to the variant that names it, and the served model is unchanged for the others', () => {
    const service = new RecommendationService({ catalog: Catalog.empty(), counters: none, model, weights: { affinity: 0, popularity: 0 }, diversity: 0 });
    const fairModel = mitigatedModel(model, { kind: 'rerank', strength: 8, tailTarget: TARGET }, data);
    service.addModel('itemknn:fair', fairModel);
    let plain = 0;
    let fair = 0;
    for (const userId of users) {
      plain += miss(service.recommend({ userId, profile: null, k: 10 }).map((r) => r.itemId));
      fair += miss(service.recommend({ userId, profile: null, k: 10, model: 'itemknn:fair' }).map((r) => r.itemId));
    }
    // Planted: niche users' lists are nearly all tail, mainstream users' nearly all head.
    expect(plain / users.length).toBeGreaterThan(0.2);
    // The catalog is small (60 items), so once seen items are removed a list cannot always reach the target.
    expect(fair / users.length).toBeLessThan(0.9 * (plain / users.length));
    // The variant is shown the mitigated model's own order.
    expect(service.recommend({ userId: 'u1', profile: null, k: 10, model: 'itemknn:fair' }).map((r) => r.itemId)).toEqual(
      fairModel.recommend('u1', 10, { excludeSeen: true }).map((x) => x.item),
    );
    expect(service.recommend({ userId: 'u1', profile: null, k: 10 }).map((r) => r.itemId)).toEqual(model.recommend('u1', 10, { excludeSeen: true }).map((x) => x.item));
  });

  it('is the model itself for none or strength 0', () => {
    expect(mitigatedModel(model, { kind: 'none' }, data)).toBe(model);
    expect(mitigatedModel(model, { kind: 'calibrate', strength: 0 }, data)).toBe(model);
  });
});
