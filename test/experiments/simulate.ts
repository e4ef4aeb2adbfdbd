import { mulberry32 } from '../../src/core/random';
import { normalSampler, type Moments } from '../../src/experiments';

/** Seeded draws for the simulations: one generator per test, so each test is reproducible alone. */
export function sampler(seed: number) {
  const rng = mulberry32(seed);
  const normal = normalSampler(rng);
  return {
    rng,
    normal,
    /** n draws of N(mean, sd²). */
    normals(n: number, mean = 0, sd = 1): Float64Array {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = mean + sd * normal();
      return out;
    },
    /** Number of successes in n Bernoulli(p) trials. */
    binomial(n: number, p: number): number {
      let s = 0;
      for (let i = 0; i < n; i++) if (rng() < p) s++;
      return s;
    },
  };
}

/** Running sums of one arm, for simulations that look at the data repeatedly. */
export class Accumulator {
  n = 0;
  private sum = 0;
  private sumSq = 0;

  add(values: Float64Array): void {
    for (let i = 0; i < values.length; i++) {
      this.sum += values[i];
      this.sumSq += values[i] * values[i];
    }
    this.n += values.length;
  }

  moments(): Moments {
    const mean = this.sum / this.n;
    return { n: this.n, mean, variance: (this.sumSq - this.n * mean * mean) / (this.n - 1) };
  }
}
