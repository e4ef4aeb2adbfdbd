/**
 * Seeded randomness of the evaluation code: the project generator (src/core/random) and a
 * shuffle on it, so that splits are reproducible from a seed alone.
 */

import { mulberry32, type Rng } from '../core/random';

export { mulberry32, type Rng };

/**
 * Shuffles `values` in place (Fisher–Yates) and returns it; every order is equally likely.
 *
 * ```ts
 * shuffle([1, 2, 3, 4], mulberry32(7));
 * ```
 */
export function shuffle<T>(values: T[], rng: Rng): T[] {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = values[i];
    values[i] = values[j];
    values[j] = tmp;
  }
  return values;
}
