import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { mulberry32 } from '../../../src/core/random';
import { epsilonGreedy } from '../../../src/learning/rank/epsilon-greedy';
import { fnv1a, hashed, jointVector } from '../../../src/learning/rank/features';
import { linUcb } from '../../../src/learning/rank/linucb';
import { type ArmView, rankingOf } from '../../../src/learning/rank/policy';
import { RidgeRegression } from '../../../src/learning/rank/ridge';
import { cholesky, thompsonSampling } from '../../../src/learning/rank/thompson';
import { banditEnv, simulate } from '../../../bench/lib/bandit-env';

/*
 * The pure policy code: the ridge model against numpy, the propensities each policy reports
 * (a distribution, matching how often it really plays each action), and a smaller version of
 * the benchmark's regret comparison on the seeded environment with a known reward function.
 */

const reference = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'ope-reference.json'), 'utf8')) as {
  ridge: { x: number[][]; y: number[]; theta: number[]; probe: number[]; width: number };
};

describe('RidgeRegression', () => {
  it('matches numpy: θ = (I + XᵀX)⁻¹Xᵀy and the confidence width, also after a save and load', () => {
    const { x, y, theta, probe, width } = reference.ridge;
    const m = new RidgeRegression(x[0].length);
    x.forEach((row, i) => m.observe(row, y[i]));
    theta.forEach((t, i) => expect(m.theta[i]).toBeCloseTo(t, 9));
    expect(m.width(probe)).toBeCloseTo(width, 9);
    const back = RidgeRegression.fromJSON(JSON.parse(JSON.stringify(m.toJSON())));
    theta.forEach((t, i) => expect(back.theta[i]).toBeCloseTo(t, 8));
    expect(back.width(probe)).toBeCloseTo(width, 8);
    expect(back.n).toBe(x.length);
  });

  it('factors A⁻¹ as ml-matrix does', () => {
    const { x, y } = reference.ridge;
    const m = new RidgeRegression(x[0].length);
    x.forEach((row, i) => m.observe(row, y[i]));
    const want = new CholeskyDecomposition(m.covariance()).lowerTriangularMatrix.to1DArray();
    const got = cholesky(m.ainv, m.dims) as Float64Array;
    want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 10));
    expect(cholesky(Matrix.from1DArray(2, 2, [1, 2, 2, 1]).to1DArray(), 2)).toBeNull();
  });
});

describe('features', () => {
  it('hashes names stably and builds [1, c] ⊗ [1, a]', () => {
    expect(fnv1a('mobile')).toBe(fnv1a('mobile'));
    expect(fnv1a('a')).not.toBe(fnv1a('b'));
    const v = hashed({ mobile: 2 }, 8);
    expect(v[fnv1a('mobile') % 8]).toBe(2);
    expect([...jointVector([2], [3])]).toEqual([1, 3, 2, 6]);
  });
});

function armsOf(seed: number, k: number): ArmView[] {
  const env = banditEnv(seed, { actions: k });
  const model = new RidgeRegression(env.dims);
  for (let i = 0; i < 50; i++) {
    const phis = env.arms(env.context());
    model.observe(phis[i % k], env.reward(phis[i % k]));
  }
  return env.arms(env.context()).map((x) => ({ model, x }));
}

describe('propensities', () => {
  const policies = [epsilonGreedy(0.3), linUcb(1), thompsonSampling({ draws: 16 })];

  it('are a distribution over the actions, with the action played given a positive probability', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 12 }), fc.constantFrom(...policies), (seed, k, policy) => {
        const d = policy.decide(armsOf(seed, k), mulberry32(seed));
        expect(d.probabilities).toHaveLength(k);
        expect(Math.abs(d.probabilities.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
        expect(d.probabilities.every((p) => p >= 0 && p <= 1)).toBe(true);
        expect(d.probabilities[d.chosen]).toBeGreaterThan(0);
        const ranking = rankingOf(d);
        expect(ranking[0]).toBe(d.chosen);
        expect([...ranking].sort((a, b) => a - b)).toEqual([...Array(k).keys()]);
      }),
      { numRuns: 60 },
    );
  });

  it('match how often ε-greedy and Thompson sampling really play each action', () => {
    const arms = armsOf(3, 5);
    for (const policy of [epsilonGreedy(0.3), thompsonSampling({ draws: 50 })]) {
      const rng = mulberry32(9);
      const counts = new Array<number>(5).fill(0);
      const n = 2000;
      for (let i = 0; i < n; i++) counts[policy.decide(arms, rng).chosen]++;
      const reported = policy.decide(arms, mulberry32(10)).probabilities;
      // Binomial standard error at n = 2000 is under 0.012; Thompson's 50 draws add up to 0.07.
      counts.forEach((c, a) => expect(Math.abs(c / n - reported[a])).toBeLessThan(policy.kind === 'thompson' ? 0.1 : 0.03));
    }
  });

  it('give ε-greedy its exact ε/K and 1 − ε + ε/K', () => {
    const d = epsilonGreedy(0.2).decide(armsOf(4, 4), mulberry32(1));
    expect([...d.probabilities].sort()).toEqual([0.05, 0.05, 0.05, 0.85].map((p) => expect.closeTo(p, 12)).sort());
  });
});

describe('regret on the seeded environment (the bench runs 50,000 rounds)', () => {
  it('LinUCB and Thompson sampling regret below 0.5× ε-greedy and 0.1× uniform over 5,000 rounds of 20 actions', () => {
    const env = () => banditEnv(1, { actions: 20 });
    const uniform = simulate(env(), 'uniform', 5000, 2).regret;
    const eps = simulate(env(), epsilonGreedy(0.1), 5000, 2).regret;
    for (const policy of [linUcb(1), thompsonSampling({ draws: 4 })]) {
      const r = simulate(env(), policy, 5000, 2).regret;
      expect(r).toBeLessThan(0.5 * eps);
      expect(r).toBeLessThan(0.1 * uniform);
    }
  });
});
