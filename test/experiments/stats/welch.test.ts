import { moments, testEstimate, welchDf, welchTest } from '../../../src/experiments';
import { sampler } from '../simulate';

describe('Welch t-test', () => {
  it('reduces to the normal reference when there is no variance, with p = 1 for equal means', () => {
    const same = welchTest({ n: 5, mean: 2, variance: 0 }, { n: 5, mean: 2, variance: 0 });
    expect(same.df).toBe(Infinity);
    expect(same.pValue).toBe(1);
    expect(welchTest({ n: 5, mean: 2, variance: 0 }, { n: 5, mean: 3, variance: 0 }).pValue).toBe(0);
  });

  it('keeps the digits of tiny p-values', () => {
    const r = testEstimate({ estimate: 10, se: 1, df: Infinity });
    expect(r.pValue).toBeGreaterThan(0);
    expect(r.pValue).toBeCloseTo(1.5239706048320995e-23, 30);
  });

  it('has Welch–Satterthwaite degrees of freedom between the smaller n − 1 and n_a + n_b − 2', () => {
    const df = welchDf({ n: 10, mean: 0, variance: 1 }, { n: 30, mean: 0, variance: 9 });
    expect(df).toBeGreaterThan(9);
    expect(df).toBeLessThan(38);
  });

  it('over 2,000 seeded A/A experiments with unequal variances, the false-positive rate is within [3.5 %, 6.5 %]', () => {
    const { normals } = sampler(61);
    let rejected = 0;
    for (let e = 0; e < 2000; e++) {
      if (welchTest(moments(normals(40, 5, 1)), moments(normals(120, 5, 3))).pValue < 0.05) rejected++;
    }
    expect(rejected / 2000).toBeGreaterThanOrEqual(0.035);
    expect(rejected / 2000).toBeLessThanOrEqual(0.065);
  });
});
