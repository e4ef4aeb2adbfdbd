import { bayesianEffect, expectedShortfall } from '../../../src/experiments';

describe('Bayesian reading of an effect', () => {
  it('is a toss-up at a zero estimate, with equal risks', () => {
    const r = bayesianEffect({ estimate: 0, se: 0.1, df: Infinity });
    expect(r.chanceToWin).toBeCloseTo(0.5, 12);
    expect(r.risk.variant).toBeCloseTo(r.risk.control, 12);
  });

  it('risk of keeping the control minus risk of shipping is the expected gain', () => {
    const r = bayesianEffect({ estimate: 0.03, se: 0.02, df: Infinity });
    expect(r.risk.control - r.risk.variant).toBeCloseTo(0.03, 12);
  });

  it('a proper prior shrinks the estimate towards the prior mean', () => {
    const flat = bayesianEffect({ estimate: 0.1, se: 0.05, df: Infinity });
    const shrunk = bayesianEffect({ estimate: 0.1, se: 0.05, df: Infinity }, { prior: { mean: 0, variance: 0.05 ** 2 } });
    expect(shrunk.mean).toBeCloseTo(0.05, 12); // equal precisions: halfway
    expect(shrunk.sd).toBeCloseTo(0.05 / Math.SQRT2, 12);
    expect(shrunk.chanceToWin).toBeLessThan(flat.chanceToWin);
  });

  it('for inverse metrics a negative effect wins', () => {
    const r = bayesianEffect({ estimate: -0.2, se: 0.1, df: Infinity }, { inverse: true });
    expect(r.chanceToWin).toBeCloseTo(0.9772498680518208, 12);
    expect(r.risk.variant).toBeCloseTo(expectedShortfall(0.2, 0.1), 15);
  });

  it('without uncertainty, decides by the sign', () => {
    expect(bayesianEffect({ estimate: 0.01, se: 0, df: Infinity }).chanceToWin).toBe(1);
    expect(bayesianEffect({ estimate: 0, se: 0, df: Infinity }).chanceToWin).toBe(0.5);
    expect(expectedShortfall(-2, 0)).toBe(2);
  });
});
