/**
 * Adaptive allocation by Thompson sampling: each arm's traffic share is the posterior probability
 * that it is the best, estimated by drawing from each arm's Beta posterior, and no arm falls below
 * a floor, so that every arm keeps getting data (a bad early draw can be undone) and the
 * experiment can still be analysed. This is the allocation GrowthBook's bandits compute between
 * updates.
 *
 * Unlike GrowthBook, which raises small weights to the floor and then renormalizes (which can push
 * them back below it), the floor here is exact: the arms at the floor keep it and the others share
 * the rest in proportion.
 */

import { betaSampler, mulberry32 } from './sampling';

/** What an arm has collected so far. */
export interface ArmStats {
  successes: number;
  trials: number;
}

/** Options of the allocation. */
export interface ThompsonOptions {
  /** Seed of the draws: same seed, same weights. */
  seed: number;
  /** Minimum share of every arm. 0.01 by default; `floor · arms` must not exceed 1. */
  floor?: number;
  /** Monte Carlo draws per arm. 10,000 by default, GrowthBook's figure. */
  draws?: number;
  /** Beta prior of every arm's rate. Beta(1, 1), uniform, by default. */
  prior?: { alpha: number; beta: number };
}

/** New weights, and the estimated probability of each arm being the best. */
export interface ThompsonResult {
  weights: number[];
  bestArmProbabilities: number[];
}

/**
 * Thompson-sampling weights with a floor per arm.
 *
 * ```ts
 * thompsonWeights([{ successes: 40, trials: 1000 }, { successes: 70, trials: 1000 }], { seed: 1 });
 * // { weights: [0.01, 0.99], bestArmProbabilities: [0.0014, 0.9986] }
 * ```
 */
export function thompsonWeights(arms: readonly ArmStats[], options: ThompsonOptions): ThompsonResult {
  const { seed, floor = 0.01, draws = 10_000, prior = { alpha: 1, beta: 1 } } = options;
  const k = arms.length;
  if (k === 0) return { weights: [], bestArmProbabilities: [] };
  if (floor < 0 || floor * k > 1) throw new RangeError(`thompsonWeights: a floor of ${floor} for ${k} arms cannot be met`);
  const beta = betaSampler(mulberry32(seed));
  const a = arms.map((arm) => prior.alpha + arm.successes);
  const b = arms.map((arm) => prior.beta + arm.trials - arm.successes);
  const wins = new Float64Array(k);
  for (let d = 0; d < draws; d++) {
    let best = 0;
    let bestValue = -1;
    for (let i = 0; i < k; i++) {
      const v = beta(a[i], b[i]);
      if (v > bestValue) {
        bestValue = v;
        best = i;
      }
    }
    wins[best]++;
  }
  const bestArmProbabilities = Array.from(wins, (w) => w / draws);
  return { weights: applyFloor(bestArmProbabilities, floor), bestArmProbabilities };
}

/**
 * Weights summing to 1 with none below `floor`: arms under it are raised to it, and the others
 * share what is left in proportion to their weights (repeated until no arm falls under).
 *
 * ```ts
 * applyFloor([0.995, 0.005, 0], 0.01); // [0.98, 0.01, 0.01]
 * ```
 */
export function applyFloor(weights: readonly number[], floor: number): number[] {
  const k = weights.length;
  const pinned = new Array<boolean>(k).fill(false);
  const out = weights.slice();
  for (;;) {
    const free = 1 - floor * pinned.filter(Boolean).length;
    let mass = 0;
    let freeArms = 0;
    for (let i = 0; i < k; i++) {
      if (pinned[i]) continue;
      mass += weights[i];
      freeArms++;
    }
    let changed = false;
    for (let i = 0; i < k; i++) {
      if (pinned[i]) {
        out[i] = floor;
        continue;
      }
      // Free arms with no mass at all share equally.
      out[i] = mass > 0 ? (weights[i] / mass) * free : free / freeArms;
      if (out[i] < floor) {
        pinned[i] = true;
        changed = true;
      }
    }
    if (!changed) return out;
  }
}
