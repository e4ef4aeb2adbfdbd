/**
 * The EASE weights B = I − P·diag(1/diag(P)), P = (XᵀX + λI)⁻¹, solved on whichever side of X is
 * smaller. With fewer users m than items n, Woodbury gives λP = I − XᵀWX with W = (XXᵀ + λI)⁻¹,
 * so B_ij = C_ij / (1 − C_jj) for C = Xᵀ(WX): one m×m inverse plus two sparse products instead
 * of an n×n inverse (on MovieLens 100K, 943 users and 1,541 items, about 4× less work).
 */
import { spdInverse } from './linalg';
import { transpose, type Csr } from './matrix';

/**
 * The lower triangle of AᵀA for a CSR `a` with `dim` columns (pairs within each row), which is
 * all {@link spdInverse} reads. Columns ascend within a row, so each pair lands below the diagonal.
 *
 * ```ts
 * const g = lowerGram(x, x.cols); // XᵀX; lowerGram(transpose(x), x.rows) is XXᵀ
 * ```
 */
export function lowerGram(a: Csr, dim: number): Float64Array {
  const g = new Float64Array(dim * dim);
  for (let r = 0; r < a.rows; r++) {
    const end = a.indptr[r + 1];
    for (let p = a.indptr[r]; p < end; p++) {
      const rp = a.indices[p] * dim;
      const vp = a.values[p];
      for (let q = a.indptr[r]; q <= p; q++) g[rp + a.indices[q]] += vp * a.values[q];
    }
  }
  return g;
}

/**
 * The n×n EASE weights of `x` (zero diagonal), row-major in single precision, solved on the
 * smaller side of `x`; the same matrix either way up to rounding.
 *
 * ```ts
 * const b = easeWeights(x, 500); // b[i * x.cols + j]: how much item i recommends item j
 * ```
 * @throws ConfigError when λ is too small for the system to be positive definite
 */
export function easeWeights(x: Csr, lambda: number, dropout = 0): Float32Array {
  if (dropout === 0) return x.rows < x.cols ? dualWeights(x, lambda) : primalWeights(x, lambda);
  // Λ = diag(λ_j): B of X is B̃ of X̃ = X·Λ^(-1/2) solved with λ = 1, as B_ij = B̃_ij·s_i/s_j.
  const s = emphasisScale(x, lambda, dropout);
  const b = easeWeights(scaleColumns(x, s), 1);
  const n = x.cols;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) b[i * n + j] *= s[i] / s[j];
  }
  return b;
}

/**
 * EDLAE's per-item regularization (Steck 2020, "Autoencoders that don't overfit towards the
 * identity"): dropping each input with probability p and emphasizing the dropped ones is, for a
 * full-rank model with EASE's zero diagonal, EASE with λ_j = λ + p/(1 − p)·G_jj, G = XᵀX: an
 * item's weights are shrunk in proportion to how often it occurs. Returns s_j = λ_j^(-1/2),
 * the column scale that turns that model into plain EASE with λ = 1 (see {@link scaleColumns}).
 *
 * ```ts
 * const s = emphasisScale(x, 300, 0.25); // s[j] = 1 / sqrt(300 + G_jj / 3)
 * ```
 */
export function emphasisScale(x: Csr, lambda: number, dropout: number): Float64Array {
  const g = new Float64Array(x.cols);
  for (let p = 0; p < x.indices.length; p++) g[x.indices[p]] += x.values[p] * x.values[p];
  const w = dropout / (1 - dropout);
  return g.map((gjj) => 1 / Math.sqrt(lambda + w * gjj));
}

/** X·diag(s): every column j of `x` times s[j]. */
export function scaleColumns(x: Csr, s: Float64Array): Csr {
  return { ...x, values: Float32Array.from(x.values, (v, p) => v * s[x.indices[p]]) };
}

function primalWeights(x: Csr, lambda: number): Float32Array {
  const n = x.cols;
  const g = lowerGram(x, n);
  for (let i = 0; i < n; i++) g[i * n + i] += lambda;
  const p = spdInverse(g, n);
  const b = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) b[i * n + j] = i === j ? 0 : -p[i * n + j] / p[j * n + j];
  }
  return b;
}

function dualWeights(x: Csr, lambda: number): Float32Array {
  const m = x.rows;
  const n = x.cols;
  const xt = transpose(x);
  const k = lowerGram(xt, m);
  for (let u = 0; u < m; u++) k[u * m + u] += lambda;
  const w = spdInverse(k, m);
  const y = new Float64Array(m * n);
  for (let u = 0; u < m; u++) gatherRow(w, u * m, xt, y, u * n);
  // C = Xᵀ·Y, row i the sum of Y's rows of item i's users: each row of C is written once.
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let p = xt.indptr[i]; p < xt.indptr[i + 1]; p++) {
      const ru = xt.indices[p] * n;
      const v = xt.values[p];
      for (let j = 0; j < n; j++) c[ri + j] += v * y[ru + j];
    }
  }
  const b = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) b[i * n + j] = i === j ? 0 : c[i * n + j] / (1 - c[j * n + j]);
  }
  return b;
}

/**
 * out[o + j] = Σ_v w[wo + v]·X_vj for every column j of X, given Xᵀ: the dense row w times X,
 * as a gather per column (reads only), which is much faster than scattering X's rows.
 */
export function gatherRow(w: Float64Array, wo: number, xt: Csr, out: Float64Array, o: number): void {
  for (let j = 0; j < xt.rows; j++) {
    let s = 0;
    for (let p = xt.indptr[j]; p < xt.indptr[j + 1]; p++) s += w[wo + xt.indices[p]] * xt.values[p];
    out[o + j] = s;
  }
}
