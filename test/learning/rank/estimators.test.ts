import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../../../src/core/random';
import { epsilonGreedy } from '../../../src/learning/rank/epsilon-greedy';
import { type LoggedSample, offPolicyEstimates } from '../../../src/learning/rank/estimators';
import { evaluatePolicy, type LoggedDecision, uniformPolicy } from '../../../src/learning/rank/evaluate';
import { argmax } from '../../../src/learning/rank/policy';
import { RidgeRegression } from '../../../src/learning/rank/ridge';
import { banditEnv } from '../../../bench/lib/bandit-env';

/*
 * The off-policy estimators against numpy (bench/reference/ope_numpy.py wrote the fixture),
 * and their intervals against the true value of a policy in a seeded environment whose reward
 * function is known.
 */

interface Reference {
  samples: LoggedSample[];
  estimates: Record<'ips' | 'snips' | 'dr', { value: number; stdError: number; ci: [number, number] }> & { effectiveSampleSize: number };
}
const reference = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'ope-reference.json'), 'utf8')) as Reference;

describe('offPolicyEstimates', () => {
  it('matches numpy for IPS, SNIPS and doubly robust, intervals included', () => {
    const e = offPolicyEstimates(reference.samples);
    for (const k of ['ips', 'snips', 'dr'] as const) {
      const got = e[k];
      const want = reference.estimates[k];
      expect(got).toBeDefined();
      expect(got?.value).toBeCloseTo(want.value, 10);
      expect(got?.stdError).toBeCloseTo(want.stdError, 10);
      expect(got?.ci[0]).toBeCloseTo(want.ci[0], 10);
      expect(got?.ci[1]).toBeCloseTo(want.ci[1], 10);
    }
    expect(e.effectiveSampleSize).toBeCloseTo(reference.estimates.effectiveSampleSize, 8);
  });

  it('leaves DR out when predictions are missing, and refuses propensities outside (0, 1]', () => {
    const plain = reference.samples.map(({ propensity, reward, target }) => ({ propensity, reward, target }));
    expect(offPolicyEstimates(plain).dr).toBeUndefined();
    expect(() => offPolicyEstimates([{ propensity: 0, reward: 1, target: 1 }])).toThrow(/propensity/);
    expect(() => offPolicyEstimates([])).toThrow(/no logged decisions/);
  });

  it('estimates the logging policy itself exactly: every weight is 1', () => {
    const samples = [0.2, 0.5, 1].map((p, i) => ({ propensity: p, target: p, reward: i }));
    const e = offPolicyEstimates(samples);
    expect(e.ips.value).toBeCloseTo(1, 12);
    expect(e.snips.value).toBeCloseTo(1, 12);
    expect(e.effectiveSampleSize).toBeCloseTo(3, 12);
  });
});

describe('evaluatePolicy on a seeded bandit with a known reward function', () => {
  function run(seed: number) {
    const env = banditEnv(500 + seed, { actions: 10 });
    const rng = mulberry32(seed);
    // The target: greedy over a model fitted on uniformly logged rounds.
    const fit = new RidgeRegression(env.dims);
    for (let i = 0; i < 1000; i++) {
      const arms = env.arms(env.context());
      const a = arms[Math.floor(rng() * arms.length)];
      fit.observe(a, env.reward(a));
    }
    const target = (arms: readonly Float64Array[]) => {
      const p = new Array<number>(arms.length).fill(0);
      p[argmax(arms.map((x) => fit.predict(x)))] = 1;
      return p;
    };
    // Logged by ε-greedy over an untrained model: nearly uniform, with exact propensities.
    const logger = epsilonGreedy(0.6);
    const blank = new RidgeRegression(env.dims);
    const logs: LoggedDecision[] = [];
    for (let i = 0; i < 3000; i++) {
      const arms = env.arms(env.context());
      const d = logger.decide(arms.map((x) => ({ model: blank, x })), rng);
      logs.push({ arms, chosen: d.chosen, propensity: d.probabilities[d.chosen], reward: env.reward(arms[d.chosen]) });
    }
    let truth = 0;
    for (let i = 0; i < 2000; i++) {
      const arms = env.arms(env.context());
      truth += env.mean(arms[target(arms).indexOf(1)]);
    }
    return { truth: truth / 2000, estimate: evaluatePolicy(logs, target), uniform: evaluatePolicy(logs, (arms) => uniformPolicy(arms.length)) };
  }

  it('covers the true value in at least 90 % of 20 seeded runs with each estimator, DR tightest', () => {
    const runs = Array.from({ length: 20 }, (_, i) => run(i));
    for (const k of ['ips', 'snips', 'dr'] as const) {
      const covered = runs.filter((r) => {
        const ci = r.estimate[k]?.ci ?? [Number.NaN, Number.NaN];
        return ci[0] <= r.truth && r.truth <= ci[1];
      }).length;
      expect(covered).toBeGreaterThanOrEqual(18);
    }
    const width = (k: 'ips' | 'dr') => runs.reduce((s, r) => s + ((r.estimate[k]?.ci[1] ?? 0) - (r.estimate[k]?.ci[0] ?? 0)), 0);
    expect(width('dr')).toBeLessThan(width('ips'));
    // The learned target is far better than playing at random, and the estimates see it.
    for (const r of runs) expect(r.estimate.snips.value).toBeGreaterThan(r.uniform.snips.value);
  });
});
