import type { Rng } from '../../core/random';
import { normalSampler } from '../../experiments/sampling';
import { argmax, type ArmView, type ExplorationPolicy, type PolicyDecision } from './policy';
import type { RidgeRegression } from './ridge';

/** Options of {@link thompsonSampling}. */
export interface ThompsonOptions {
  /** Scale v of the posterior: θ̃ ~ N(θ, v²A⁻¹) (default 0.5, the spread of a reward in [0, 1]). */
  scale?: number;
  /**
   * Posterior draws that estimate the propensities (default 16). The probability that Thompson
   * sampling plays an action has no closed form; it is the share of draws in which the action
   * wins, the decision's own draw included, so the action played never has propensity 0.
   */
  draws?: number;
}

/**
 * Lower Cholesky factor L of a symmetric positive definite matrix (LLᵀ = m), flat row-major.
 * Written out rather than ml-matrix's CholeskyDecomposition: it runs on every decision, and
 * on a 36×36 covariance the matrix object's element accessors cost 0.6 ms a factor, longer
 * than all the rest of a decision. The test checks it against ml-matrix.
 */
export function cholesky(m: ArrayLike<number>, d: number): Float64Array | null {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = (m[i * d + j] + m[j * d + i]) / 2;
      for (let k = 0; k < j; k++) s -= l[i * d + k] * l[j * d + k];
      if (i === j) {
        if (!(s > 0)) return null;
        l[i * d + i] = Math.sqrt(s);
      } else l[i * d + j] = s / l[j * d + j];
    }
  }
  return l;
}

/** The factor of A⁻¹, with a little jitter when rounding has broken definiteness. */
function factorOf(model: RidgeRegression): Float64Array {
  const d = model.dims;
  const m = Float64Array.from(model.ainv);
  for (let jitter = 1e-10; jitter <= 1; jitter *= 100) {
    const l = cholesky(m, d);
    if (l) return l;
    for (let i = 0; i < d; i++) m[i * d + i] += jitter;
  }
  throw new RangeError('the covariance is not positive definite');
}

/**
 * Linear Thompson sampling (Agrawal & Goyal, 2013): draws θ̃ from each model's Gaussian
 * posterior and plays the action that θ̃ scores highest.
 *
 * ```ts
 * const policy = thompsonSampling({ scale: 0.5 });
 * ```
 */
export function thompsonSampling(options: ThompsonOptions = {}): ExplorationPolicy {
  const scale = options.scale ?? 0.5;
  const draws = options.draws ?? 16;
  if (!(scale > 0)) throw new RangeError('scale must be positive');
  if (!Number.isInteger(draws) || draws < 1) throw new RangeError('draws must be a positive integer');
  return {
    kind: 'thompson',
    decide(arms: readonly ArmView[], rng: Rng): PolicyDecision {
      const normal = normalSampler(rng);
      // A shared model is factored and sampled once per draw, whatever the number of actions.
      const models = [...new Set(arms.map((a) => a.model))];
      const factors = new Map(models.map((m) => [m, factorOf(m)] as const));
      const z = new Float64Array(Math.max(...models.map((m) => m.dims)));
      const sample = (model: RidgeRegression): Float64Array => {
        const d = model.dims;
        const l = factors.get(model) as Float64Array;
        for (let i = 0; i < d; i++) z[i] = normal();
        const theta = Float64Array.from(model.theta);
        for (let i = 0; i < d; i++) {
          let s = 0;
          for (let j = 0; j <= i; j++) s += l[i * d + j] * z[j];
          theta[i] += scale * s;
        }
        return theta;
      };
      const scoresOfDraw = (): number[] => {
        const thetas = new Map(models.map((m) => [m, sample(m)] as const));
        return arms.map((a) => {
          const t = thetas.get(a.model) as Float64Array;
          let s = 0;
          for (let i = 0; i < t.length; i++) s += t[i] * a.x[i];
          return s;
        });
      };
      const scores = scoresOfDraw();
      const chosen = argmax(scores);
      const wins = new Array<number>(arms.length).fill(0);
      wins[chosen]++;
      for (let k = 1; k < draws; k++) wins[argmax(scoresOfDraw())]++;
      return { chosen, probabilities: wins.map((w) => w / draws), scores };
    },
  };
}
