import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { ValidationError } from '../core/errors';

/**
 * L2-regularized logistic regression fitted by Newton's method (IRLS). It minimizes
 *
 *   Σᵢ [log(1 + e^{zᵢ}) − yᵢ zᵢ] + (l2 / 2) · ‖w‖²,   zᵢ = b + w·xᵢ,
 *
 * the intercept `b` unpenalized. The objective is strictly convex, so Newton converges in a
 * handful of steps to the one minimum, whatever the start: the fit is deterministic (no seed,
 * no learning rate) and matches any other correct solver of the same objective, which is what
 * the reference check (bench/reference/propensity.py) holds it to. Pure: arrays in, arrays out.
 */

/** A fitted model: z = intercept + weights · x. */
export interface LogisticFit {
  intercept: number;
  weights: number[];
  /** Newton steps taken. */
  iterations: number;
  /** Whether the largest step fell under the tolerance. */
  converged: boolean;
}

/** Options of {@link fitLogistic}. */
export interface LogisticOptions {
  /** Strength of the L2 penalty on the weights (default 1). */
  l2?: number;
  /** Most Newton steps (default 50). */
  maxIterations?: number;
  /** Convergence: the largest change of a coefficient in one step (default 1e-10). */
  tolerance?: number;
}

/**
 * Fits the model to rows `x` (all of one length) and labels `y` (0 or 1).
 *
 * ```ts
 * const fit = fitLogistic([[0], [1], [2], [3]], [0, 0, 1, 1], { l2: 0.1 });
 * predictLogistic(fit, [2.5]); // ≈ 0.9
 * ```
 * @throws ValidationError on no rows, rows of different lengths, or labels other than 0 and 1
 */
export function fitLogistic(x: readonly ArrayLike<number>[], y: readonly number[], options: LogisticOptions = {}): LogisticFit {
  const n = x.length;
  if (!n || y.length !== n) throw new ValidationError('logistic regression needs as many labels as rows, and at least one row');
  const d = x[0].length;
  if (x.some((r) => r.length !== d)) throw new ValidationError('logistic regression rows must all have the same length');
  if (y.some((v) => v !== 0 && v !== 1)) throw new ValidationError('logistic regression labels must be 0 or 1');
  const l2 = options.l2 ?? 1;
  const maxIterations = options.maxIterations ?? 50;
  const tolerance = options.tolerance ?? 1e-10;
  const m = d + 1; // coefficient 0 is the intercept
  const beta = new Float64Array(m);
  // Started at the base rate: the first step is then already a sensible one.
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, y.reduce((a, b) => a + b, 0) / n));
  beta[0] = Math.log(rate / (1 - rate));
  const grad = new Float64Array(m);
  const hess = new Float64Array(m * m);
  const row = new Float64Array(m);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations += 1;
    grad.fill(0);
    hess.fill(0);
    for (let i = 0; i < n; i++) {
      const xi = x[i];
      row[0] = 1;
      for (let j = 0; j < d; j++) row[j + 1] = xi[j];
      let z = 0;
      for (let j = 0; j < m; j++) z += beta[j] * row[j];
      const p = sigmoid(z);
      const r = p - y[i];
      const w = p * (1 - p);
      for (let j = 0; j < m; j++) {
        const rj = row[j];
        if (rj === 0) continue;
        grad[j] += r * rj;
        const wj = w * rj;
        const base = j * m;
        // Upper triangle only; mirrored below.
        for (let k = j; k < m; k++) hess[base + k] += wj * row[k];
      }
    }
    for (let j = 1; j < m; j++) {
      grad[j] += l2 * beta[j];
      hess[j * m + j] += l2;
    }
    // A tiny ridge keeps the system solvable when a feature is constant and l2 is 0.
    for (let j = 0; j < m; j++) hess[j * m + j] += 1e-12;
    const h = new Matrix(m, m);
    for (let j = 0; j < m; j++) for (let k = j; k < m; k++) {
      h.set(j, k, hess[j * m + k]);
      h.set(k, j, hess[j * m + k]);
    }
    const step = new CholeskyDecomposition(h).solve(Matrix.columnVector(Array.from(grad)));
    // Damped Newton: a full step can overshoot far from the minimum (rare outcomes put the
    // start where the curvature is tiny); halving until the objective falls keeps every step a
    // descent, and near the minimum the full step is always taken (quadratic convergence).
    const before = objective(x, y, beta, l2);
    const trial = new Float64Array(m);
    let scale = 1;
    let largest = 0;
    for (let halvings = 0; halvings < 30; halvings++, scale /= 2) {
      largest = 0;
      for (let j = 0; j < m; j++) {
        const s = scale * step.get(j, 0);
        trial[j] = beta[j] - s;
        largest = Math.max(largest, Math.abs(s));
      }
      if (objective(x, y, trial, l2) <= before) break;
    }
    beta.set(trial);
    if (largest < tolerance) {
      converged = true;
      break;
    }
  }
  return { intercept: beta[0], weights: Array.from(beta.subarray(1)), iterations, converged };
}

/** The penalized negative log-likelihood the fit minimizes (intercept first in `beta`). */
function objective(x: readonly ArrayLike<number>[], y: readonly number[], beta: Float64Array, l2: number): number {
  let total = 0;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    let z = beta[0];
    for (let j = 0; j < xi.length; j++) z += beta[j + 1] * xi[j];
    // log(1 + e^z) − y·z, without overflow for large |z|.
    total += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - y[i] * z;
  }
  let penalty = 0;
  for (let j = 1; j < beta.length; j++) penalty += beta[j] * beta[j];
  return total + (l2 / 2) * penalty;
}

/** The probability the model gives a row. */
export function predictLogistic(fit: Pick<LogisticFit, 'intercept' | 'weights'>, x: ArrayLike<number>): number {
  let z = fit.intercept;
  for (let j = 0; j < fit.weights.length; j++) z += fit.weights[j] * x[j];
  return sigmoid(z);
}

/** The logistic function, stable for large |z|. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}
