import { minimumDetectableEffect, moments, power, sampleSizePerArm, twoProportionZTest, welchTest } from '../../../src/experiments';
import { sampler } from '../simulate';

describe('power and sample size (normal approximation)', () => {
  it('gives the textbook figures', () => {
    // 2 · (1.96 + 0.8416)² / 0.1² = 1569.8 per arm for a 0.1 σ effect at 80 % power.
    expect(sampleSizePerArm({ effect: 0.1, variance: 1 })).toBe(1570);
    expect(power({ effect: 0.1, variance: 1, nPerArm: 1570 })).toBeCloseTo(0.8, 3);
    expect(minimumDetectableEffect({ variance: 1, nPerArm: 1570 })).toBeCloseTo(0.1, 3);
    expect(sampleSizePerArm({ effect: 0.1, variance: 1, power: 0.9, alpha: 0.01 })).toBe(2976); // 2 · (2.5758 + 1.2816)² / 0.01
  });

  it('power at zero effect is α, and sample size and MDE invert each other', () => {
    expect(power({ effect: 0, variance: 2, nPerArm: 100 })).toBeCloseTo(0.05, 10);
    const n = sampleSizePerArm({ effect: 0.02, variance: 0.25, power: 0.85 });
    expect(minimumDetectableEffect({ variance: 0.25, nPerArm: n, power: 0.85 })).toBeLessThanOrEqual(0.02);
    expect(minimumDetectableEffect({ variance: 0.25, nPerArm: n - 1, power: 0.85 })).toBeGreaterThan(0.02);
  });
});

describe('power on a planted uplift matches theory within ±5 points (2,000 seeded experiments each)', () => {
  const EXPERIMENTS = 2000;

  it('means: a 0.125 σ uplift with 1,000 users per arm', () => {
    const { normals } = sampler(11);
    const effect = 0.125;
    const theory = power({ effect, variance: 1, nPerArm: 1000 });
    let rejected = 0;
    for (let e = 0; e < EXPERIMENTS; e++) {
      if (welchTest(moments(normals(1000, 0, 1)), moments(normals(1000, effect, 1))).pValue < 0.05) rejected++;
    }
    expect(theory).toBeGreaterThan(0.75);
    expect(Math.abs(rejected / EXPERIMENTS - theory)).toBeLessThanOrEqual(0.05);
  });

  it('conversions: 10 % → 12 %, sized for 80 % power', () => {
    const { binomial } = sampler(12);
    const nPerArm = sampleSizePerArm({ effect: 0.02, variance: 0.1 * 0.9, treatmentVariance: 0.12 * 0.88 });
    const theory = power({ effect: 0.02, variance: 0.1 * 0.9, treatmentVariance: 0.12 * 0.88, nPerArm });
    let rejected = 0;
    for (let e = 0; e < EXPERIMENTS; e++) {
      const control = { successes: binomial(nPerArm, 0.1), trials: nPerArm };
      const treatment = { successes: binomial(nPerArm, 0.12), trials: nPerArm };
      if (twoProportionZTest(control, treatment).pValue < 0.05) rejected++;
    }
    expect(Math.abs(rejected / EXPERIMENTS - theory)).toBeLessThanOrEqual(0.05);
  });
});
