import { moments, pairedMoments, proportionMoments } from '../../../src/experiments';

describe('moments', () => {
  it('are exact for large means (two passes, no Σx² − n·x̄² cancellation)', () => {
    const xs = [1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 4];
    expect(moments(xs).variance).toBeCloseTo(5 / 3, 10);
  });

  it('say NaN rather than guess for empty or single samples', () => {
    expect(moments([]).mean).toBeNaN();
    expect(moments([3]).variance).toBeNaN();
  });

  it('pair two columns and refuse columns of different lengths', () => {
    expect(pairedMoments([1, 2, 3], [2, 4, 7])).toEqual({ n: 3, meanX: 2, meanY: 13 / 3, varianceX: 1, varianceY: 19 / 3, covariance: 2.5 });
    expect(() => pairedMoments([1, 2], [1])).toThrow(RangeError);
  });

  it('give conversions the Bernoulli variance', () => {
    expect(proportionMoments(30, 200)).toEqual({ n: 200, mean: 0.15, variance: 0.15 * 0.85 });
  });
});
