import { mulberry32 } from '../../src/core/random';
import { betaSampler, gammaSampler, moments, normalSampler } from '../../src/experiments';

describe('seeded samplers', () => {
  const draws = (f: () => number, n = 100_000) => moments(Float64Array.from({ length: n }, f));

  it('normal draws have mean 0 and variance 1, and a seed reproduces them', () => {
    const m = draws(normalSampler(mulberry32(1)));
    expect(Math.abs(m.mean)).toBeLessThan(0.01);
    expect(Math.abs(m.variance - 1)).toBeLessThan(0.015);
    const a = normalSampler(mulberry32(9));
    const b = normalSampler(mulberry32(9));
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });

  it.each([0.3, 1, 2.5, 40])('gamma(%p) draws have mean and variance equal to the shape', (shape) => {
    const gamma = gammaSampler(mulberry32(2));
    const m = draws(() => gamma(shape));
    expect(Math.abs(m.mean / shape - 1)).toBeLessThan(0.02);
    expect(Math.abs(m.variance / shape - 1)).toBeLessThan(0.05);
  });

  it('beta(31, 171) draws have the posterior mean and variance of 30 conversions in 200 trials', () => {
    const beta = betaSampler(mulberry32(3));
    const m = draws(() => beta(31, 171));
    const mean = 31 / 202;
    const variance = (31 * 171) / (202 * 202 * 203);
    expect(Math.abs(m.mean / mean - 1)).toBeLessThan(0.01);
    expect(Math.abs(m.variance / variance - 1)).toBeLessThan(0.05);
  });
});
