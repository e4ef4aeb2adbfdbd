import { Catalog } from '../../src/core/catalog';
import { emptyProfile } from '../../src/core/profile';
import { OnlineUpdates } from '../../src/learning/online';
import { ItemKnn } from '../../src/recommend/models';
import type { Interaction } from '../../src/recommend/recommender';
import { Rng } from '../../src/recommend/models/rng';
import { RecommendationService } from '../../src/recommend/service';
import { MemoryStore } from '../../src/store/memory';

/** Planted structure: 4 groups of 15 items; users keep to their group. */
function model(): ItemKnn {
  const rng = new Rng(11);
  const interactions: Interaction[] = [];
  for (let u = 0; u < 200; u++) for (let n = 0; n < 8; n++) interactions.push({ user: `t${u}`, item: `g${u % 4}-${Math.floor(rng.next() * 15)}`, weight: 1, time: n });
  const m = new ItemKnn();
  m.fit({ interactions });
  return m;
}

function serve() {
  const store = new MemoryStore();
  const service = new RecommendationService({ catalog: Catalog.empty(), counters: store, model: model() });
  const online = new OnlineUpdates({ store });
  service.setOnline(online);
  const list = (userId: string) => service.recommend({ userId, profile: emptyProfile(userId, '2026-01-01T00:00:00.000Z'), k: 5, diversity: 0, maxPerCategory: 5 });
  return { online, list, service };
}

describe('online updates at serving', () => {
  it('folds a thumbs up into a new user at once: their list comes from that item group', async () => {
    const { online, list } = serve();
    expect(list('new').filter((r) => r.reason.startsWith('model:'))).toEqual([]);
    await online.record('new', online.classify([{ source: 'reaction', name: 'like', items: ['g2-3'], at: Date.now() }]));
    const after = list('new');
    expect(after).toHaveLength(5);
    expect(after.every((r) => r.itemId.startsWith('g2-'))).toBe(true);
  });

  it('demotes a not-interested item out of the list, and its nearest neighbours more lightly', async () => {
    const { online, service } = serve();
    await online.record('u', online.classify([{ source: 'helpful', name: 'yes', items: ['g1-0', 'g1-1'], at: Date.now() }]));
    const all = () => service.recommend({ userId: 'u', profile: emptyProfile('u', '2026-01-01T00:00:00.000Z'), k: 60, diversity: 0, maxPerCategory: 60 });
    const before = all();
    const top = before[0].itemId;
    const neighbour = service.model!.similar(top, 10).find((n) => !['g1-0', 'g1-1'].includes(n.item))!.item;
    const scoreOf = (l: typeof before, id: string) => l.find((r) => r.itemId === id)?.score ?? -Infinity;
    await online.record('u', online.classify([{ source: 'intent', name: 'not_interested', items: [top], at: Date.now() }]));
    const after = all();
    expect(after.slice(0, 5).map((r) => r.itemId)).not.toContain(top);
    // Lightly: the neighbour loses some score but still ranks above every item of other groups; the item itself loses far more.
    const lost = scoreOf(before, neighbour) - scoreOf(after, neighbour);
    expect(lost).toBeGreaterThan(0);
    expect(lost).toBeLessThan(scoreOf(before, top) - scoreOf(after, top));
    const rank = (id: string) => after.findIndex((r) => r.itemId === id);
    const firstOther = after.findIndex((r) => !r.itemId.startsWith('g1-'));
    expect(rank(neighbour)).toBeLessThan(firstOther);
    expect(rank(top)).toBeGreaterThan(rank(neighbour));
  });
});
