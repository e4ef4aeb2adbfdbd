import { equivalenceTest, moments, welchEstimate } from '../../../src/experiments';
import { sampler } from '../simulate';

describe('equivalence (TOST)', () => {
  it('is equivalent exactly when the 1 − 2α interval lies inside the margin', () => {
    for (const estimate of [-0.3, -0.1, 0, 0.05, 0.2, 0.28, 0.35]) {
      const r = equivalenceTest({ estimate, se: 0.1, df: 50 }, 0.5);
      expect(r.equivalent).toBe(r.ci[0] > -0.5 && r.ci[1] < 0.5);
      expect(r.pValue).toBe(Math.max(r.pLower, r.pUpper));
    }
  });

  it('takes an asymmetric margin and rejects an empty one', () => {
    expect(equivalenceTest({ estimate: 0.1, se: 0.05, df: Infinity }, [-0.05, 0.3]).equivalent).toBe(true);
    expect(equivalenceTest({ estimate: 0.1, se: 0.05, df: Infinity }, [-0.3, 0.05]).equivalent).toBe(false);
    expect(() => equivalenceTest({ estimate: 0, se: 1, df: 10 }, [1, -1])).toThrow(RangeError);
  });

  describe('on 2,000 seeded experiments with 1,000 users per arm, margin ±0.2 σ', () => {
    const run = (trueEffect: number, seed: number) => {
      const { normals } = sampler(seed);
      let equivalent = 0;
      for (let e = 0; e < 2000; e++) {
        const est = welchEstimate(moments(normals(1000, 0, 1)), moments(normals(1000, trueEffect, 1)));
        if (equivalenceTest(est, 0.2).equivalent) equivalent++;
      }
      return equivalent / 2000;
    };

    it('calls a true null effect neutral most of the time', () => {
      // Theory: P(|N(0, 2/1000)| < 0.2 − 1.645·√(2/1000)) = 0.995.
      expect(run(0, 31)).toBeGreaterThan(0.98);
    });

    it('calls an effect sitting on the margin neutral at most α of the time', () => {
      expect(run(0.2, 32)).toBeLessThanOrEqual(0.065);
    });
  });
});
