/**
 * A seeded contextual-bandit environment with a known reward function, for the rank/reward
 * benchmark and its tests: contexts x ~ N(0, I/d), K actions with fixed features z ~ N(0, I/d),
 * and mean reward μ(x, a) = w · ([1, x] ⊗ [1, z_a]), observed with Gaussian noise. The linear
 * policies can represent μ exactly, so regret measures exploration alone.
 */
import { mulberry32, type Rng } from '../../src/core/random';
import { normalSampler } from '../../src/experiments/sampling';
import { jointVector } from '../../src/learning/rank/features';
import type { ExplorationPolicy } from '../../src/learning/rank/policy';
import { RidgeRegression } from '../../src/learning/rank/ridge';

/** The environment's shape. */
export interface EnvOptions {
  actions: number;
  contextDims?: number;
  actionDims?: number;
  /** Standard deviation of the reward noise (default 0.5). */
  noise?: number;
}

/** One environment: its actions, its true weights and its random source. */
export interface BanditEnv {
  readonly actions: readonly Float64Array[];
  readonly contextDims: number;
  readonly dims: number;
  /** A fresh context. */
  context(): Float64Array;
  /** The joint feature vector of every action in a context. */
  arms(x: Float64Array): Float64Array[];
  /** True mean reward of a joint vector. */
  mean(phi: Float64Array): number;
  /** A noisy reward for a joint vector. */
  reward(phi: Float64Array): number;
}

const gaussianVector = (normal: () => number, d: number, sd: number) => Float64Array.from({ length: d }, () => sd * normal());

/** The environment of a seed. */
export function banditEnv(seed: number, options: EnvOptions): BanditEnv {
  const dx = options.contextDims ?? 5;
  const dz = options.actionDims ?? 5;
  const noise = options.noise ?? 0.5;
  const normal = normalSampler(mulberry32(seed));
  const actions = Array.from({ length: options.actions }, () => gaussianVector(normal, dz, 1 / Math.sqrt(dz)));
  const dims = (dx + 1) * (dz + 1);
  // Scaled so that the mean reward has a spread of about 0.5 across contexts and actions.
  const w = gaussianVector(normal, dims, 0.25);
  const dot = (phi: Float64Array) => {
    let s = 0;
    for (let i = 0; i < dims; i++) s += w[i] * phi[i];
    return s;
  };
  return {
    actions,
    contextDims: dx,
    dims,
    context: () => gaussianVector(normal, dx, 1 / Math.sqrt(dx)),
    arms: (x) => actions.map((z) => jointVector(x, z)),
    mean: dot,
    reward: (phi) => dot(phi) + noise * normal(),
  };
}

/** What a simulated run measured. */
export interface RunResult {
  /** Σ over rounds of (best mean reward − mean reward of the action played). */
  regret: number;
  /** Mean reward observed. */
  meanReward: number;
  /** Largest |Σ propensities − 1| over the rounds. */
  propensityError: number;
}

/**
 * Runs a policy (or uniform random, `'uniform'`) for `rounds` rounds with one shared ridge
 * model, learning from each reward as it comes.
 */
export function simulate(env: BanditEnv, policy: ExplorationPolicy | 'uniform', rounds: number, seed: number): RunResult {
  const rng: Rng = mulberry32(seed);
  const model = new RidgeRegression(env.dims);
  let regret = 0;
  let rewards = 0;
  let propensityError = 0;
  for (let t = 0; t < rounds; t++) {
    const phis = env.arms(env.context());
    let chosen: number;
    if (policy === 'uniform') chosen = Math.floor(rng() * phis.length);
    else {
      const d = policy.decide(phis.map((x) => ({ model, x })), rng);
      chosen = d.chosen;
      propensityError = Math.max(propensityError, Math.abs(d.probabilities.reduce((a, b) => a + b, 0) - 1));
    }
    let best = -Infinity;
    for (const phi of phis) best = Math.max(best, env.mean(phi));
    regret += best - env.mean(phis[chosen]);
    const r = env.reward(phis[chosen]);
    rewards += r;
    if (policy !== 'uniform') model.observe(phis[chosen], r);
  }
  return { regret, meanReward: rewards / rounds, propensityError };
}
