import { runAudit, reweigh, type AuditReport } from '../../src/fairness';
import { popularityOf } from '../../src/evaluate';
import { plantedBias } from './planted';

const data = plantedBias();
const audit = (mitigation: 'none' | 'reweigh' | 'rerank' | 'calibrate', strength?: number, tailTarget?: number): AuditReport =>
  runAudit(data, { model: 'pop', mitigation, strength, tailTarget, split: 'user', bootstrap: 0, seed: 3 });
const ndcgGap = (r: AuditReport) => r.gaps.find((g) => g.attribute === 'taste' && g.metric === 'ndcg');

describe('a planted bias against long-tail tastes', () => {
  const baseline = audit('none');

  it('is found: the niche group is the worst served, and the four-fifths rule raises an alert', () => {
    const gap = ndcgGap(baseline);
    expect(gap?.worst).toBe('niche');
    expect(gap?.ratio).toBeLessThan(0.5);
    expect(baseline.alerts.find((a) => a.metric === 'taste.ndcg')?.alert).toBe(true);
    // Almost all exposure goes to the popular head.
    expect(baseline.exposure.popularity.groups.head.share).toBeGreaterThan(0.6);
  });

  it.each([
    ['the exposure-aware re-ranker', 'rerank', 8, 0.5],
    ['the calibrated re-ranker', 'calibrate', 0.9, undefined],
  ] as const)('narrows with %s', (_name, mitigation, strength, tailTarget) => {
    const mitigated = audit(mitigation, strength, tailTarget);
    expect(ndcgGap(mitigated)?.difference).toBeLessThan(0.85 * (ndcgGap(baseline)?.difference ?? 0));
    expect(mitigated.beyond.longTailShare).toBeGreaterThan(baseline.beyond.longTailShare);
  });

  it('narrows with the group-aware ensemble, by lifting the under-served group (the best served is not levelled down)', () => {
    const mitigated = runAudit(data, { model: 'pop', mitigation: 'blend', lift: 'underserved', split: 'user', bootstrap: 0, seed: 3 });
    const gap = ndcgGap(mitigated);
    expect(gap?.difference).toBeLessThan(0.7 * (ndcgGap(baseline)?.difference ?? 0));
    const ndcgOf = (r: AuditReport, g: string) => r.frames.taste.byGroup[g].values.ndcg;
    expect(ndcgOf(mitigated, 'niche')).toBeGreaterThan(ndcgOf(baseline, 'niche'));
    expect(ndcgOf(mitigated, 'mainstream')).toBe(ndcgOf(baseline, 'mainstream'));
    expect(mitigated.blend?.groups.find((g) => g.group === 'niche')?.weights.some((w, p) => p > 0 && w > 0)).toBe(true);
  });

  it('reweighing makes the item group independent of the user group in the weighted data', () => {
    const pop = popularityOf(data.interactions);
    const labelOf = (item: string) => (pop.tail.has(item) ? 'tail' : 'head');
    const groupOf = (u: string) => data.users?.get(u)?.taste;
    const tailShare = (xs: typeof data.interactions, group: string) => {
      const mine = xs.filter((x) => groupOf(x.user) === group);
      const total = mine.reduce((s, x) => s + x.weight, 0);
      return mine.filter((x) => labelOf(x.item) === 'tail').reduce((s, x) => s + x.weight, 0) / total;
    };
    // Planted: the niche group's interactions are mostly tail, the mainstream's mostly head.
    expect(tailShare(data.interactions, 'niche') - tailShare(data.interactions, 'mainstream')).toBeGreaterThan(0.5);
    const weighted = reweigh(data.interactions, { groupOf, labelOf: (x) => labelOf(x.item) });
    expect(tailShare(weighted, 'niche')).toBeCloseTo(tailShare(weighted, 'mainstream'), 10);
  });
});
