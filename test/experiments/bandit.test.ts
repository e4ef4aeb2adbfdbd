import { applyFloor, thompsonWeights } from '../../src/experiments';
import { sampler } from './simulate';

describe('the floor', () => {
  it('raises small arms to exactly the floor and shares the rest in proportion', () => {
    expect(applyFloor([0.995, 0.005, 0], 0.01)).toEqual([0.98, 0.01, 0.01]);
    applyFloor([0.6, 0.3, 0.1], 0.05).forEach((w, i) => expect(w).toBeCloseTo([0.6, 0.3, 0.1][i], 15));
    // Pinning one arm can push another under the floor: both end on it.
    const w = applyFloor([0.9, 0.095, 0.005], 0.1);
    expect(w[1]).toBe(0.1);
    expect(w[2]).toBe(0.1);
    expect(w[0]).toBeCloseTo(0.8, 12);
  });

  it('where GrowthBook clips and renormalizes, an arm would end below the floor', () => {
    const clipped = [0.99, 0.01, 0.01].map((x) => x / 1.01);
    expect(clipped[1]).toBeLessThan(0.01);
    expect(Math.min(...applyFloor([0.99, 0.005, 0.005], 0.01))).toBe(0.01);
  });

  it('refuses a floor that cannot be met', () => {
    expect(() => thompsonWeights([{ successes: 1, trials: 2 }, { successes: 1, trials: 2 }], { seed: 1, floor: 0.6 })).toThrow(RangeError);
  });
});

describe('Thompson sampling', () => {
  it('is reproducible from the seed, and even without data', () => {
    const arms = [
      { successes: 10, trials: 100 },
      { successes: 12, trials: 100 },
    ];
    expect(thompsonWeights(arms, { seed: 5 })).toEqual(thompsonWeights(arms, { seed: 5 }));
    const none = thompsonWeights([{ successes: 0, trials: 0 }, { successes: 0, trials: 0 }, { successes: 0, trials: 0 }], { seed: 1 });
    none.weights.forEach((w) => expect(w).toBeCloseTo(1 / 3, 1));
  });

  it('shifts allocation to a planted best arm over 12 seeded rounds, never below the floor', () => {
    const rates = [0.04, 0.05, 0.07];
    const floor = 0.05;
    const { rng } = sampler(81);
    const arms = rates.map(() => ({ successes: 0, trials: 0 }));
    let weights = [1 / 3, 1 / 3, 1 / 3];
    const history: number[][] = [];
    for (let round = 0; round < 12; round++) {
      for (let u = 0; u < 2000; u++) {
        // A user lands in the arm whose cumulative weight first exceeds a uniform draw.
        const x = rng();
        let arm = 0;
        for (let acc = weights[0]; x >= acc && arm < weights.length - 1; acc += weights[++arm]);
        arms[arm].trials++;
        if (rng() < rates[arm]) arms[arm].successes++;
      }
      weights = thompsonWeights(arms, { seed: round + 1, floor }).weights;
      history.push(weights);
    }
    for (const w of history) {
      expect(Math.min(...w)).toBeGreaterThanOrEqual(floor);
      expect(w.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
    }
    expect(history[history.length - 1][2]).toBeGreaterThan(0.85);
    expect(arms[2].trials).toBeGreaterThan(arms[0].trials + arms[1].trials);
  });
});
