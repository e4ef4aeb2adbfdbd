/**
 * The one seeded pseudo-random generator of the project: splits, model initialization and
 * benchmarks must be reproducible from a seed alone (same seed, same result, on every
 * machine), which `Math.random` cannot give.
 */

// Bound once: under a vm context (Jest runs tests in one) every lookup of the global `Math` is
// slow, and simulations call the generator millions of times.
const { imul } = Math;

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

/**
 * mulberry32: a 32-bit generator, tiny and fast, with a period of 2^32, plenty for shuffling
 * data sets of millions of rows and initializing factors (reproducibility matters here, not
 * cryptographic quality).
 *
 * ```ts
 * const rng = mulberry32(42);
 * rng(); // 0.6011037519201636, on every run
 * ```
 */
export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
