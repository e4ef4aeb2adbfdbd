import { cupedAdjust, cupedTheta, moments, pairedMoments, welchEstimate, welchTest } from '../../../src/experiments';
import { sampler } from '../simulate';

describe('CUPED', () => {
  it('leaves the metric alone when the covariate is constant', () => {
    const arm = pairedMoments([1, 1, 1, 1], [3, 5, 4, 6]);
    expect(cupedTheta([arm, arm])).toBe(0);
    expect(cupedAdjust([arm]).adjusted[0]).toEqual(moments([3, 5, 4, 6]));
  });

  describe('on 1,000 seeded experiments with a covariate correlated ρ = 0.6 with the metric', () => {
    const RHO = 0.6;
    const EXPERIMENTS = 1000;
    const N = 300;
    const raw: number[] = [];
    const adjusted: number[] = [];
    const seRatios: number[] = [];
    let falsePositives = 0;

    beforeAll(() => {
      const { normals } = sampler(21);
      const arm = (shift: number) => {
        const pre = normals(N, 100, 15);
        const noise = normals(N, 0, 15);
        const post = pre.map((x, i) => 100 + shift + RHO * (x - 100) + Math.sqrt(1 - RHO * RHO) * noise[i]);
        return pairedMoments(pre, post);
      };
      for (let e = 0; e < EXPERIMENTS; e++) {
        const arms = [arm(0), arm(0)]; // A/A: the true effect is 0
        const before = welchEstimate(
          { n: N, mean: arms[0].meanY, variance: arms[0].varianceY },
          { n: N, mean: arms[1].meanY, variance: arms[1].varianceY },
        );
        const { adjusted: adj } = cupedAdjust(arms);
        const after = welchEstimate(adj[0], adj[1]);
        raw.push(before.estimate);
        adjusted.push(after.estimate);
        seRatios.push((after.se * after.se) / (before.se * before.se));
        if (welchTest(adj[0], adj[1]).pValue < 0.05) falsePositives++;
      }
    });

    const variance = (xs: number[]) => moments(xs).variance;

    it('reports a variance of the effect reduced to about 1 − ρ²', () => {
      expect(moments(seRatios).mean).toBeCloseTo(1 - RHO * RHO, 1);
      expect(Math.abs(moments(seRatios).mean - (1 - RHO * RHO))).toBeLessThan(0.02);
    });

    it('and the estimates really do vary that much less across experiments', () => {
      expect(Math.abs(variance(adjusted) / variance(raw) - (1 - RHO * RHO))).toBeLessThan(0.06);
    });

    it('keeps the false-positive rate at α', () => {
      expect(falsePositives / EXPERIMENTS).toBeGreaterThanOrEqual(0.03);
      expect(falsePositives / EXPERIMENTS).toBeLessThanOrEqual(0.07);
    });
  });
});
