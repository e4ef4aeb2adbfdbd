/**
 * Fast λ tuning for EASE: the validation nDCG@k of any λ from ONE Gram matrix, with no model
 * objects, no id maps and no B ever formed, and a local search that asks for few λ.
 *
 * A fitted EASE scores an unseen item j for user u as (XB)_uj = −Y_uj / d_j, in either form:
 *
 * - item form, P = (XᵀX + λI)⁻¹: Y = XP and d_j = P_jj;
 * - user form (Woodbury), W = (XXᵀ + λI)⁻¹: since XXᵀW = I − λW, Y = λ·WX and
 *   d_j = 1 − X_jᵀWX_j; the constant λ does not change a ranking, so Y = WX.
 *
 * Each λ costs one Cholesky inverse of the smaller side (min(users, items)³/2 multiply-adds)
 * plus a sparse product per validation user. An eigendecomposition G = V·diag(s)·Vᵀ would turn
 * the inverse into one product V·diag(1/(s+λ))·Vᵀ, but that product costs as much as the
 * Cholesky inverse and the decomposition itself several times more, so it never pays here.
 */
import { emphasisScale, gatherRow, lowerGram, scaleColumns } from './ease-solve';
import { spdInverse } from './linalg';
import { transpose, type Csr } from './matrix';
import { topK } from './topk';

/** One validation user: their row in the fit matrix and the columns held out from it. */
export interface ValidationRow {
  /** Row of the fit matrix, or -1 when the user has nothing left in it (scores 0). */
  row: number;
  /** Held-out items that are columns of the fit matrix. */
  held: ReadonlySet<number>;
  /** Every held-out item, including those the fit matrix lacks (the ideal DCG counts them). */
  size: number;
}

/**
 * The validation nDCG@k of EASE as a function of λ (> 0) and EDLAE's dropout p (default 0): the
 * same figure a fitted `Ease` gets on these users. Without dropout the Gram matrix is built once
 * for every λ asked; with it, once per call (its columns are scaled by λ_j^(-1/2), ease-solve.ts).
 *
 * ```ts
 * const ndcgOf = easeValidator(fitMatrix, rows, 10);
 * [100, 200, 400].map(ndcgOf);
 * ```
 */
export function easeValidator(x: Csr, users: readonly ValidationRow[], k: number): (lambda: number, dropout?: number) => number {
  const dual = x.rows < x.cols;
  const plain = { x, xt: transpose(x) };
  const dim = dual ? x.rows : x.cols;
  const gramOf = (m: Csr, mt: Csr): Float64Array => (dual ? lowerGram(mt, x.rows) : lowerGram(m, x.cols));
  const plainGram = gramOf(plain.x, plain.xt);
  const scores = new Float32Array(x.cols);
  const y = new Float64Array(x.cols);
  return (lambda, dropout = 0) => {
    // With EDLAE's per-item λ_j, solve plain EASE (λ = 1) on X·diag(s) and rescale, s_j = λ_j^(-1/2).
    const s = dropout > 0 ? emphasisScale(x, lambda, dropout) : undefined;
    const m = s ? scaleColumns(x, s) : plain.x;
    const mt = s ? transpose(m) : plain.xt;
    const a = s ? gramOf(m, mt) : plainGram.slice();
    const ridge = s ? 1 : lambda;
    for (let i = 0; i < dim; i++) a[i * dim + i] += ridge;
    const inv = spdInverse(a, dim);
    const d = dual ? userFormDenominators(mt, inv, x.rows) : diagonal(inv, dim);
    if (s) for (let j = 0; j < d.length; j++) d[j] *= s[j];
    let sum = 0;
    for (const v of users) {
      if (v.row < 0 || v.size === 0) continue;
      if (dual) gatherRow(inv, v.row * dim, mt, y, 0);
      else sparseRowTimesDense(m, v.row, inv, y);
      for (let j = 0; j < scores.length; j++) scores[j] = -y[j] / d[j];
      for (let p = x.indptr[v.row]; p < x.indptr[v.row + 1]; p++) scores[x.indices[p]] = -Infinity;
      sum += ndcgOfTop(topK(scores, k), v.held, v.size, k);
    }
    return users.length ? sum / users.length : 0;
  };
}

/** What {@link searchLambda} tried, in the order it tried them, and the winner. */
export interface LambdaSearch {
  best: number;
  tried: { lambda: number; ndcg: number }[];
}

/**
 * A local search for the best λ on the grid start·2^(h/2), h ∈ [lowHalfSteps, highHalfSteps]:
 * whole doublings from `start` in the direction that improves, then the two half-steps around
 * the best. Validation nDCG is close to unimodal in log λ, so this finds the grid's best in
 * about 5 evaluations instead of 11; ties keep the earlier point (the start first).
 *
 * ```ts
 * searchLambda((l) => ndcgOf(l), 700, -6, 4).best;
 * ```
 */
export function searchLambda(score: (lambda: number) => number, start: number, lowHalfSteps: number, highHalfSteps: number): LambdaSearch {
  const tried: { lambda: number; ndcg: number }[] = [];
  const memo = new Map<number, number>();
  const at = (h: number): number => {
    let v = memo.get(h);
    if (v === undefined) {
      const lambda = start * Math.pow(2, h / 2);
      v = score(lambda);
      memo.set(h, v);
      tried.push({ lambda, ndcg: v });
    }
    return v;
  };
  let best = 0;
  const consider = (h: number): boolean => {
    if (h < lowHalfSteps || h > highHalfSteps || at(h) <= at(best)) return false;
    best = h;
    return true;
  };
  at(0);
  const up = consider(2);
  if (!up) consider(-2);
  const dir = best > 0 ? 2 : best < 0 ? -2 : 0;
  if (dir !== 0) while (consider(best + dir));
  const centre = best;
  consider(centre + 1);
  consider(centre - 1);
  return { best: start * Math.pow(2, best / 2), tried };
}

/** q_j = X_jᵀWX_j over each item's users; returns 1 − q, the user form's diag(P)·λ. */
function userFormDenominators(xt: Csr, w: Float64Array, m: number): Float64Array {
  const out = new Float64Array(xt.rows);
  for (let j = 0; j < xt.rows; j++) {
    let s = 0;
    const end = xt.indptr[j + 1];
    for (let p = xt.indptr[j]; p < end; p++) {
      const ru = xt.indices[p] * m;
      let t = 0;
      for (let r = xt.indptr[j]; r < end; r++) t += w[ru + xt.indices[r]] * xt.values[r];
      s += xt.values[p] * t;
    }
    out[j] = 1 - s;
  }
  return out;
}

function diagonal(a: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = a[i * n + i];
  return out;
}

/** out = X_u·P for row u of sparse X and dense symmetric n×n P (a weighted sum of P's rows). */
function sparseRowTimesDense(x: Csr, u: number, p: Float64Array, out: Float64Array): void {
  const n = x.cols;
  out.fill(0);
  for (let t = x.indptr[u]; t < x.indptr[u + 1]; t++) {
    const ri = x.indices[t] * n;
    const c = x.values[t];
    for (let j = 0; j < n; j++) out[j] += c * p[ri + j];
  }
}

function ndcgOfTop(top: Int32Array, held: ReadonlySet<number>, size: number, k: number): number {
  let dcg = 0;
  top.forEach((j, r) => {
    if (held.has(j)) dcg += 1 / Math.log2(r + 2);
  });
  let ideal = 0;
  for (let r = 0; r < Math.min(k, size); r++) ideal += 1 / Math.log2(r + 2);
  return dcg / ideal;
}
