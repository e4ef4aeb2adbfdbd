/**
 * Dense symmetric positive-definite linear algebra on row-major Float64Array, written so every
 * inner loop walks contiguous memory (a generic inverse is several times slower at n ≈ 2000).
 */
import { ConfigError } from '../../core/errors';

/**
 * Overwrites the lower triangle of the n×n matrix `a` with its Cholesky factor L (a = L·Lᵀ),
 * row by row (Cholesky–Banachiewicz: each entry is a dot product of two row prefixes).
 * The strict upper triangle is left as it was.
 *
 * @throws ConfigError when `a` is not positive definite (regularization too small)
 */
export function choleskyInPlace(a: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = a[ri + j];
      for (let k = 0; k < j; k++) s -= a[ri + k] * a[rj + k];
      if (j === i) {
        if (!(s > 0)) throw new ConfigError('matrix is not positive definite: increase the regularization');
        a[ri + i] = Math.sqrt(s);
      } else {
        a[ri + j] = s / a[rj + j];
      }
    }
  }
}

/**
 * The inverse of the SPD n×n matrix `a` (which is destroyed), as a full symmetric matrix:
 * Cholesky, then M = L⁻¹ by row recurrences, then A⁻¹ = Mᵀ·M by rank-1 row updates;
 * about n³/2 multiply-adds in all.
 *
 * ```ts
 * const inv = spdInverse(Float64Array.from([4, 2, 2, 3]), 2);
 * ```
 */
export function spdInverse(a: Float64Array, n: number): Float64Array {
  choleskyInPlace(a, n);
  // M = L⁻¹, lower triangular: row i of M is (e_i − Σ_{k<i} L[i][k]·M[k]) / L[i][i].
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let k = 0; k < i; k++) {
      const c = a[ri + k];
      if (c === 0) continue;
      const rk = k * n;
      for (let t = 0; t <= k; t++) m[ri + t] -= c * m[rk + t];
    }
    const d = 1 / a[ri + i];
    for (let t = 0; t < i; t++) m[ri + t] *= d;
    m[ri + i] = d;
  }
  // A⁻¹ = Mᵀ·M: row k of M contributes M[k][p]·M[k][q] to every (p, q) with q ≤ p ≤ k.
  const out = a.fill(0);
  for (let k = 0; k < n; k++) {
    const rk = k * n;
    for (let p = 0; p <= k; p++) {
      const c = m[rk + p];
      if (c === 0) continue;
      const rp = p * n;
      for (let q = 0; q <= p; q++) out[rp + q] += c * m[rk + q];
    }
  }
  for (let p = 0; p < n; p++) for (let q = 0; q < p; q++) out[q * n + p] = out[p * n + q];
  return out;
}

/**
 * Solves a·x = b for SPD `a` (n×n, destroyed) and returns x (b is left unchanged). For the small
 * f×f systems of ALS fold-in.
 */
export function solveSpd(a: Float64Array, b: ArrayLike<number>, n: number): Float64Array {
  choleskyInPlace(a, n);
  const x = Float64Array.from({ length: n }, (_, i) => b[i]);
  for (let i = 0; i < n; i++) {
    let s = x[i];
    for (let k = 0; k < i; k++) s -= a[i * n + k] * x[k];
    x[i] = s / a[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < n; k++) s -= a[k * n + i] * x[k];
    x[i] = s / a[i * n + i];
  }
  return x;
}
