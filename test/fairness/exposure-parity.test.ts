import { exposureParityModel, exposureShare, planExposureParity, runAudit, type AuditGap, type AuditReport } from '../../src/fairness';
import { popularityOf, protocolSplits } from '../../src/evaluate';
import { createRecommender } from '../../src/recommend/models';
import type { Scored } from '../../src/recommend/recommender';
import { plantedBias } from './planted';

// Planted: popularity serves the niche group (which has seen few head items) head items, and the
// mainstream group (which has seen most of the head) the tail beyond it, so the niche group gets
// the lower long-tail share of exposure.
const data = plantedBias();
const audit = (mitigation: 'none' | 'parity', strength?: number): AuditReport =>
  runAudit(data, { model: 'pop', mitigation, strength, split: 'user', bootstrap: 0, seed: 3 });
const tailGap = (r: AuditReport): AuditGap | undefined => r.gaps.find((g) => g.attribute === 'taste' && g.metric === 'tailExposure');

describe('exposure parity across user groups, on a planted tail-exposure gap', () => {
  const baseline = audit('none');
  const mitigated = audit('parity', 1);
  const before = tailGap(baseline);
  const after = tailGap(mitigated);

  it('finds the planted gap at baseline', () => {
    expect(before?.worst).toBe('niche');
    expect(before?.ratio).toBeLessThan(0.7);
  });

  it('shrinks best − worst and 1 − worst/best by at least 30 %', () => {
    expect(after?.difference).toBeLessThan(0.7 * (before?.difference ?? 0));
    expect(1 - (after?.ratio ?? 0)).toBeLessThan(0.7 * (1 - (before?.ratio ?? 1)));
    // By lifting the worst group, not by lowering the best.
    const tailOf = (r: AuditReport, g: string) => r.frames.taste.byGroup[g].values.tailExposure;
    expect(tailOf(mitigated, 'niche')).toBeGreaterThan(tailOf(baseline, 'niche'));
    expect(tailOf(mitigated, 'mainstream')).toBe(tailOf(baseline, 'mainstream'));
    expect(mitigated.parity?.groups.find((g) => g.group === 'niche')?.weight).toBeGreaterThan(0);
  });

  it('leaves the best-served group lists as the model made them, and re-ranks the under-served group', () => {
    const [{ train }] = protocolSplits('user', data.interactions, 3);
    const tail = popularityOf(train).tail;
    const model = createRecommender('pop');
    model.fit({ interactions: train, items: data.items }, { seed: 3 });
    const groupOf = (u: string) => data.users?.get(u)?.taste;
    const fair = exposureParityModel(model, train, { groupOf, isTail: (i) => tail.has(i), strength: 1 });
    const users = [...new Set(train.map((x) => x.user))];
    const items = (xs: readonly Scored[]) => xs.map((s) => s.item);
    const mainstream = users.filter((u) => groupOf(u) === 'mainstream');
    const niche = users.filter((u) => groupOf(u) === 'niche');
    for (const u of mainstream) expect(fair.recommend(u, 10)).toEqual(model.recommend(u, 10));
    expect(niche.filter((u) => items(fair.recommend(u, 10)).join() !== items(model.recommend(u, 10)).join()).length).toBeGreaterThan(0);
    // On the lists it was planned on, the niche group's mean share reaches the mainstream group's.
    const mean = (us: readonly string[], m: typeof model) => us.reduce((s, u) => s + exposureShare(items(m.recommend(u, 10)), (i) => tail.has(i)), 0) / us.length;
    expect(mean(niche, fair)).toBeGreaterThanOrEqual(fair.plan.reference - 1e-12);
    expect(fair.plan.reference).toBeCloseTo(mean(mainstream, model), 12);
  });
});

describe('planExposureParity', () => {
  // Group a: lists whose top 2 are tail items (t…); group b: head-only tops with tail candidates below.
  const list = (tailTop: boolean): Scored[] =>
    Array.from({ length: 30 }, (_, i) => ({ item: (tailTop ? i < 2 : i >= 20) ? `t${i}` : `h${i}`, score: 30 - i }));
  const lists = new Map<string, Scored[]>([
    ...Array.from({ length: 10 }, (_, u) => [`a${u}`, list(true)] as [string, Scored[]]),
    ...Array.from({ length: 10 }, (_, u) => [`b${u}`, list(false)] as [string, Scored[]]),
  ]);
  const groupOf = (u: string) => u[0];
  const isTail = (i: string) => i.startsWith('t');
  const plan = (strength: number, reference?: 'best' | 'overall') => planExposureParity(lists, groupOf, isTail, { k: 10, strength, reference });

  it('takes the best-served group as reference and moves only the groups below it', () => {
    const p = plan(1);
    const a = p.groups.find((g) => g.group === 'a');
    const b = p.groups.find((g) => g.group === 'b');
    expect(p.reference).toBeCloseTo(a?.baseline ?? NaN, 12);
    expect(a?.weight).toBe(0);
    expect(b?.baseline).toBe(0);
    expect(b?.weight).toBeGreaterThan(0);
    expect(b?.reached).toBeGreaterThanOrEqual(p.reference);
  });

  it('closes the given fraction of the gap, toward the overall share when asked', () => {
    const half = plan(0.5).groups.find((g) => g.group === 'b');
    expect(half?.goal).toBeCloseTo(0.5 * plan(1).reference, 12);
    const overall = plan(1, 'overall');
    expect(overall.reference).toBeCloseTo(plan(1).reference / 2, 12);
    expect(plan(0).groups.every((g) => g.weight === 0)).toBe(true);
  });

  it('rejects a strength outside [0, 1]', () => {
    expect(() => plan(1.5)).toThrow(/\[0, 1\]/);
  });
});
