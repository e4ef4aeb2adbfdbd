/**
 * Eigen-decomposition of a small dense symmetric matrix by cyclic Jacobi rotations. Used on
 * f×f Gram matrices of factor models (f ≤ a few hundred), where Jacobi's O(f³) per sweep is
 * a few milliseconds and its eigenvectors come out orthogonal to machine precision, which the
 * exact pruning bounds of mips.ts rely on.
 */

/** Eigenvalues (descending) and the matching unit eigenvectors, as the columns of a row-major n×n matrix. */
export interface SymmetricEigen {
  values: Float64Array;
  /** vectors[r·n + c] is component r of eigenvector c. */
  vectors: Float64Array;
}

/**
 * Eigen-decomposition of the symmetric n×n row-major matrix `a` (left unchanged).
 *
 * ```ts
 * const { values, vectors } = symmetricEigen(Float64Array.of(2, 1, 1, 2), 2); // values [3, 1]
 * ```
 */
export function symmetricEigen(a: ArrayLike<number>, n: number): SymmetricEigen {
  const m = Float64Array.from({ length: n * n }, (_, k) => a[k]);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let scale = 0;
  for (let k = 0; k < n * n; k++) scale += m[k] * m[k];
  // Sweeps until the off-diagonal mass is negligible next to the whole matrix; Jacobi converges
  // quadratically, so this is typically 6–10 sweeps.
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p * n + q] * m[p * n + q];
    if (!(off > 1e-30 * scale)) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q];
        if (apq === 0) continue;
        rotate(m, v, n, p, q, apq);
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => m[y * n + y] - m[x * n + x] || x - y);
  const values = Float64Array.from(order, (i) => m[i * n + i]);
  const vectors = new Float64Array(n * n);
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) vectors[r * n + c] = v[r * n + order[c]];
  return { values, vectors };
}

/** One Jacobi rotation zeroing m[p][q] (Golub & Van Loan's symmetric Schur step); v accumulates the rotations. */
function rotate(m: Float64Array, v: Float64Array, n: number, p: number, q: number, apq: number): void {
  const tau = (m[q * n + q] - m[p * n + p]) / (2 * apq);
  const t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
  const c = 1 / Math.sqrt(1 + t * t);
  const s = t * c;
  for (let k = 0; k < n; k++) {
    const mkp = m[k * n + p];
    const mkq = m[k * n + q];
    m[k * n + p] = c * mkp - s * mkq;
    m[k * n + q] = s * mkp + c * mkq;
  }
  for (let k = 0; k < n; k++) {
    const mpk = m[p * n + k];
    const mqk = m[q * n + k];
    m[p * n + k] = c * mpk - s * mqk;
    m[q * n + k] = s * mpk + c * mqk;
  }
  for (let k = 0; k < n; k++) {
    const vkp = v[k * n + p];
    const vkq = v[k * n + q];
    v[k * n + p] = c * vkp - s * vkq;
    v[k * n + q] = s * vkp + c * vkq;
  }
}
