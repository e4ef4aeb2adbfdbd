import { evaluate, protocolSplits } from '../../src/evaluate';
import { GROUP_PRIOR, groupBlend, type GroupBlendOptions } from '../../src/fairness';
import { createRecommender } from '../../src/recommend/models';
import type { Recommender } from '../../src/recommend/recommender';
import { plantedBias } from './planted';

// Planted: a third of the users ('niche') like a corner of the long tail, which the shared
// popularity model never shows them; the others ('mainstream') like the head, which it does.
const data = plantedBias();
const [{ train, test }] = protocolSplits('user', data.interactions, 3);
const groupOf = (u: string) => data.users?.get(u)?.taste;
const byGroup = (model: Recommender, fit: boolean) => {
  const result = evaluate(model, train, test, { k: 10, seed: 3, fit });
  const ndcg = (g: string) => {
    const mine = result.perUser.filter((u) => groupOf(u.user) === g);
    return mine.reduce((s, u) => s + u.metrics.ndcg, 0) / mine.length;
  };
  return { niche: ndcg('niche'), mainstream: ndcg('mainstream'), perUser: result.perUser };
};
const blend = (options: Partial<GroupBlendOptions> = {}) => groupBlend([() => createRecommender('pop')], { groupOf, ...options });

describe('groupBlend: a group-aware ensemble', () => {
  const base = createRecommender('pop');
  base.fit({ interactions: train }, { seed: 3 });
  const before = byGroup(base, false);

  it('lifts the under-served group with its own popularity and shrinks the gap by far more than 30 %', () => {
    expect(before.mainstream - before.niche).toBeGreaterThan(0.2);
    const model = blend();
    const after = byGroup(model, true);
    expect(after.niche).toBeGreaterThan(before.niche + 0.2);
    expect(after.mainstream - after.niche).toBeLessThan(0.7 * (before.mainstream - before.niche));
    const niche = model.groups.find((g) => g.group === 'niche');
    expect(model.parts).toEqual(['pop', GROUP_PRIOR]);
    expect(niche?.weights[1]).toBeGreaterThan(0);
    expect(niche?.tunedNdcg).toBeGreaterThan(niche?.baseNdcg ?? 1);
  });

  it('never levels the best-served group down: with lift "underserved" its lists are the base model\'s, list for list', () => {
    const model = blend({ lift: 'underserved' });
    const after = byGroup(model, true);
    expect(model.groups.find((g) => g.group === 'mainstream')?.weights).toEqual([1, 0]);
    const lists = new Map(before.perUser.map((u) => [u.user, u.recommended]));
    for (const u of after.perUser) if (groupOf(u.user) === 'mainstream') expect(u.recommended).toEqual(lists.get(u.user));
    expect(after.mainstream).toBe(before.mainstream);
    expect(after.niche).toBeGreaterThan(before.niche + 0.2);
  });

  it('keeps the base model for groups too small to tune on and for users without a group', () => {
    const model = groupBlend([() => createRecommender('pop')], { groupOf: (u) => (u === 'u0' ? undefined : groupOf(u)), minGroupUsers: 1000 });
    model.fit({ interactions: train }, { seed: 3 });
    expect(model.groups.every((g) => g.weights.join() === '1,0')).toBe(true);
    for (const u of ['u0', 'u3', 'u4']) expect(model.recommend(u, 10)).toEqual(base.recommend(u, 10));
  });

  it('is deterministic under a seed and never recommends what the user has seen', () => {
    const a = blend();
    const b = blend();
    a.fit({ interactions: train }, { seed: 5 });
    b.fit({ interactions: train }, { seed: 5 });
    expect(a.groups).toEqual(b.groups);
    const seen = new Set(train.filter((x) => x.user === 'u0').map((x) => x.item));
    const list = a.recommend('u0', 10);
    expect(list).toEqual(b.recommend('u0', 10));
    expect(list).toHaveLength(10);
    expect(list.some((s) => seen.has(s.item))).toBe(false);
  });
});
