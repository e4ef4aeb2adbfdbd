/**
 * Seeded draws from the distributions the bandit and the simulations need, on the project's
 * generator, so that a seed alone reproduces an allocation or a simulated experiment.
 */

import { mulberry32, type Rng } from '../core/random';

export { mulberry32, type Rng };

// Bound once: the samplers run millions of times in simulations, and under a vm context (Jest)
// each lookup of the global `Math` is slow.
const { cos, log, pow, sin, sqrt, PI } = Math;

/**
 * A standard normal generator (Box–Muller; both values of each pair are used).
 *
 * ```ts
 * const normal = normalSampler(mulberry32(7));
 * normal(); // a N(0, 1) draw, the same on every run
 * ```
 */
export function normalSampler(rng: Rng): () => number {
  let spare = 0;
  let hasSpare = false;
  return () => {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    const u = 1 - rng(); // in (0, 1]: log(u) is finite
    const r = sqrt(-2 * log(u));
    const t = 2 * PI * rng();
    spare = r * sin(t);
    hasSpare = true;
    return r * cos(t);
  };
}

/**
 * A Gamma(shape, 1) generator (Marsaglia & Tsang 2000; shapes below 1 by the boost
 * Gamma(a) = Gamma(a + 1) · U^(1/a)).
 *
 * ```ts
 * const gamma = gammaSampler(mulberry32(7));
 * gamma(2.5); // mean 2.5, variance 2.5
 * ```
 */
export function gammaSampler(rng: Rng): (shape: number) => number {
  const normal = normalSampler(rng);
  const draw = (shape: number): number => {
    if (shape < 1) return draw(shape + 1) * pow(1 - rng(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = 1 - rng();
      if (log(u) < 0.5 * x * x + d - d * v + d * log(v)) return d * v;
    }
  };
  return draw;
}

/**
 * A Beta(a, b) generator, as the ratio of two gammas.
 *
 * ```ts
 * const beta = betaSampler(mulberry32(7));
 * beta(31, 171); // a draw from the posterior of 30 conversions in 200 trials (uniform prior)
 * ```
 */
export function betaSampler(rng: Rng): (a: number, b: number) => number {
  const gamma = gammaSampler(rng);
  return (a, b) => {
    const x = gamma(a);
    return x / (x + gamma(b));
  };
}
