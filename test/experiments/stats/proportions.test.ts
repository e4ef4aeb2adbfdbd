import { chiSquareTest, twoProportionZTest } from '../../../src/experiments';
import { sampler } from '../simulate';

describe('conversion tests', () => {
  it('the χ² test of two variants is the z-test squared', () => {
    const a = { successes: 87, trials: 900 };
    const b = { successes: 110, trials: 910 };
    const z = twoProportionZTest(a, b);
    const chi = chiSquareTest([a, b]);
    expect(chi.statistic).toBeCloseTo(z.statistic ** 2, 10);
    expect(chi.pValue).toBeCloseTo(z.pValue, 10);
  });

  it('uses the unpooled error against a non-zero null', () => {
    const r = twoProportionZTest({ successes: 100, trials: 1000 }, { successes: 130, trials: 1000 }, { nullValue: 0.03 });
    expect(r.statistic).toBeCloseTo(0, 12);
    expect(r.pValue).toBeCloseTo(1, 12);
  });

  it('no conversions anywhere is no evidence', () => {
    expect(twoProportionZTest({ successes: 0, trials: 100 }, { successes: 0, trials: 100 }).pValue).toBe(1);
  });

  it('over 2,000 seeded A/A experiments at a 5 % rate, the false-positive rate is within [3.5 %, 6.5 %]', () => {
    const { binomial } = sampler(71);
    let rejected = 0;
    for (let e = 0; e < 2000; e++) {
      const a = { successes: binomial(2000, 0.05), trials: 2000 };
      const b = { successes: binomial(2000, 0.05), trials: 2000 };
      if (twoProportionZTest(a, b).pValue < 0.05) rejected++;
    }
    expect(rejected / 2000).toBeGreaterThanOrEqual(0.035);
    expect(rejected / 2000).toBeLessThanOrEqual(0.065);
  });
});
