/**
 * Adaptive allocation over time: when a bandit experiment is due for an update, its arms'
 * stats give new Thompson weights (with the floor), and the point joins its history. Pure; the
 * registry reads the stats and persists the history.
 */

import type { ArmStats } from './bandit';
import { thompsonWeights } from './bandit';
import { type Experiment, variantWeights } from './definition';
import { fnv1a32 } from './hash';

/** One point of an experiment's allocation history. */
export interface AllocationPoint {
  /** ISO time the weights took effect. */
  at: string;
  /** Traffic share per variant, in the definition's order. */
  weights: number[];
  /** Per arm, the estimated probability of being the best (bandits only). */
  bestArmProbabilities?: number[];
  /** The stats the weights were computed from (bandits only). */
  arms?: ArmStats[];
}

/** Where a bandit's per-arm stats come from (counters, the event log, a metrics service). */
export type ArmStatsSource = (experiment: Experiment) => Promise<ArmStats[]>;

/** How many points of history are kept per experiment. */
export const MAX_ALLOCATION_POINTS = 500;

/** The weights in force: the history's latest point for a bandit, the configured ones otherwise. */
export function currentWeights(e: Experiment, history: readonly AllocationPoint[] | undefined): number[] {
  const last = history?.[history.length - 1];
  if (e.allocation.mode === 'bandit' && last && last.weights.length === e.variants.length) return last.weights;
  return variantWeights(e);
}

/** Whether a bandit experiment needs new weights at `now` (epoch ms). */
export function isDue(e: Experiment, history: readonly AllocationPoint[] | undefined, now: number): boolean {
  if (e.allocation.mode !== 'bandit') return false;
  const last = history?.[history.length - 1];
  return !last || last.weights.length !== e.variants.length || now - Date.parse(last.at) >= e.allocation.updateEveryMinutes * 60_000;
}

/**
 * The next allocation point of a bandit. The draws are seeded by the experiment and the update
 * period, so replicas that update in the same period from the same stats agree on the weights.
 *
 * ```ts
 * const point = reallocate(experiment, [{ successes: 40, trials: 1000 }, { successes: 70, trials: 1000 }], Date.now());
 * ```
 */
export function reallocate(e: Experiment, arms: readonly ArmStats[], now: number): AllocationPoint {
  if (e.allocation.mode !== 'bandit') return { at: new Date(now).toISOString(), weights: variantWeights(e) };
  if (arms.length !== e.variants.length) throw new RangeError(`reallocate: ${arms.length} arms for ${e.variants.length} variants of "${e.id}"`);
  const period = Math.floor(now / (e.allocation.updateEveryMinutes * 60_000));
  // A floor too high for the number of arms is capped at an equal split.
  const floor = Math.min(e.allocation.floor, 1 / e.variants.length);
  const r = thompsonWeights(arms, { seed: fnv1a32(`${e.id}:${period}`), floor });
  return { at: new Date(now).toISOString(), weights: r.weights, bestArmProbabilities: r.bestArmProbabilities, arms: arms.map((a) => ({ successes: a.successes, trials: a.trials })) };
}
