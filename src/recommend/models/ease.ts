/**
 * EASE^R (Steck, 2019): a closed-form item-item linear model with a zero diagonal,
 * B = I − P·diag(1/diag(P)), P = (XᵀX + λI)⁻¹, on a catalog of any size:
 *
 * - **item form** (the default): the dense n×n inverse, as in the paper.
 *   Beyond `maxItems` items the model keeps the `maxItems` most-interacted ones (the inverse
 *   grows as n³) and scores the pruned tail by popularity, below every kept item.
 * - **user form** (users ≤ `maxUsers`, and items over `maxItems` or over twice the users): the
 *   same B without ever forming it, by Woodbury: P = (I − Xᵀ(XXᵀ + λI)⁻¹X)/λ, so only the m×m
 *   inverse W = (XXᵀ + λI)⁻¹ is kept.
 *   A user's scores are x·B = x − (x − xXᵀWX) / (1 − q) with q_j = X_jᵀWX_j; exact, and it is what
 *   makes a 17,000-artist catalog with 2,000 listeners cheap.
 *
 * λ is tuned on a validation split carved from the training data (`tune`), never on test data.
 *
 * With `dropout` p > 0 the model is full-rank EDLAE (Steck 2020): the ridge on item j becomes
 * λ_j = λ + p/(1 − p)·G_jj (G = XᵀX). Both forms solve it as plain EASE with λ = 1 on
 * X̃ = X·diag(s), s_j = λ_j^(-1/2), since then B_ij = B̃_ij·s_i/s_j: the user form keeps X̃ and s,
 * scores x̃ = x∘s and divides item j's score by s_j.
 */
import type { FitOptions, ModelArtifact, RecommendOptions, TrainingData } from '../recommender';
import { ArtifactReader, encodeArray } from '../artifact';
import { RowModel, progress } from './base';
import { buildMatrix, rowsOf, transpose, type Csr, type Row } from './matrix';
import { spdInverse } from './linalg';
import { readParams, type ParamValues } from './params';
import { holdout } from './blend';
import { easeWeights, emphasisScale, lowerGram, scaleColumns } from './ease-solve';
import { easeValidator, searchLambda, type LambdaSearch, type ValidationRow } from './ease-tune';

const SPEC = {
  /** L2 regularization λ added to the Gram diagonal (the start of the tuning grid when `tune`). */
  lambda: { type: 'number', default: 700, min: 0 },
  /** Treat every interaction as 1 (implicit feedback) instead of using weights. */
  binary: { type: 'boolean', default: true },
  /** Largest item-item system solved: a bigger catalog is pruned to its most-interacted items. */
  maxItems: { type: 'number', default: 3000, min: 1, integer: true },
  /** Largest user-user system solved when users are fewer than items (each request costs users²). */
  maxUsers: { type: 'number', default: 2500, min: 1, integer: true },
  /** Choose λ on a validation split of the training data, on the grid λ·2^(h/2) from ⅛λ to 4λ. */
  tune: { type: 'boolean', default: true },
  /**
   * EDLAE's emphasized dropout p (Steck 2020, "Autoencoders that don't overfit towards the
   * identity"): item j's ridge is λ + p/(1 − p)·G_jj instead of λ, so a popular item's weights are
   * shrunk harder, as if each input were dropped with probability p and the model had to rebuild
   * it from the others. 0 is plain EASE^R. Off by default: on a validation split of MovieLens
   * 100K's training part the best p (0.67, λ tuned) gained only 0.6 % nDCG@10 over the best λ alone.
   */
  dropout: { type: 'number', default: 0, min: 0, max: 0.95 },
} as const;

/** The tuning grid, in half-octaves around `lambda`: from ⅛λ (−6) to 4λ (+4). */
const LOW_HALF_STEPS = -6;
const HIGH_HALF_STEPS = 4;

/** Validation users scored when tuning (the first ones in input order; cost is linear in them). */
const TUNE_USERS = 1000;

/** Parameters of {@link Ease}. */
export type EaseParams = ParamValues<typeof SPEC>;

/** Which closed form the model was solved in; see the file comment. */
type Form = 'item' | 'user';

/**
 * EASE^R recommender: a user's scores are their row times B; fold-in needs no solve at all.
 *
 * ```ts
 * const ease = new Ease({ lambda: 300 });
 * ease.fit({ interactions });
 * ease.recommend('u1', 10);
 * ```
 */
export class Ease extends RowModel {
  /** Always `ease`. */
  readonly kind = 'ease';
  declare readonly params: EaseParams;
  private form: Form = 'item';
  /** The λ the model was solved with (the tuned one when `tune`). */
  private solvedLambda = 0;
  // Item form: kept items' column in B (-1: pruned), B row-major over kept items, tail popularity.
  private column: Int32Array = new Int32Array(0);
  private kept = 0;
  private b: Float32Array = new Float32Array(0);
  private counts: Float32Array = new Float32Array(0);
  // User form: the training matrix X and its transpose, W = (XXᵀ + λI)⁻¹ and q_j = X_jᵀWX_j.
  private x: Csr = emptyCsr();
  private xt: Csr = emptyCsr();
  private w: Float32Array = new Float32Array(0);
  private q: Float64Array = new Float64Array(0);
  /** User form with dropout: the column scale s_j = λ_j^(-1/2) that X was stored with (empty: none). */
  private scale: Float64Array = new Float64Array(0);

  /** @param params see {@link EaseParams}; ConfigError when out of range. */
  constructor(params?: Record<string, unknown>) {
    const p = readParams('ease', params, SPEC);
    super(2, p, p.binary);
  }

  /** The λ used and the closed form solved, with how many items were kept (for reports). */
  get solved(): { lambda: number; form: Form; items: number; kept: number } {
    return { lambda: this.solvedLambda, form: this.form, items: this.items.size, kept: this.form === 'user' ? this.items.size : this.kept };
  }

  /** The parameters that refit this model without tuning again (the tuned λ fixed). */
  get tunedParams(): Record<string, unknown> {
    return { ...this.params, lambda: this.solvedLambda, tune: false };
  }

  /**
   * Tunes λ on a validation split of `data` when `tune` (a few λ from one Gram matrix, see
   * ease-tune.ts), then solves for B in closed form.
   */
  fit(data: TrainingData, options?: FitOptions): void {
    const lambda = this.params.tune && this.params.lambda > 0 ? this.tune(data, options?.seed ?? 0).best : this.params.lambda;
    this.solve(data, lambda, options);
  }

  /**
   * Searches λ on the grid λ·2^(h/2) (⅛λ … 4λ) for the best validation nDCG@10 on a seeded 20 %
   * per-user holdout of `data`, on the columns the final model would keep (a pruned model is
   * tuned on its kept items); see {@link searchLambda}.
   */
  tune(data: TrainingData, seed: number): LambdaSearch {
    const { fit, validation } = holdout(data.interactions, 0.2, seed);
    const m = buildMatrix(fit, { binary: this.params.binary });
    const all = new Set(data.interactions.map((x) => x.item)).size;
    const prune = !this.userForm(new Set(data.interactions.map((x) => x.user)).size, all) && m.items.size > this.params.maxItems;
    const column = prune ? mostInteracted(m.csr, this.params.maxItems).column : undefined;
    const x = column ? keepColumns(m.csr, column, this.params.maxItems) : m.csr;
    const rows: ValidationRow[] = [];
    for (const [user, held] of validation) {
      if (rows.length >= TUNE_USERS) break;
      const cols = new Set<number>();
      for (const item of held) {
        const i = m.items.get(item);
        const c = i === undefined ? -1 : column ? column[i] : i;
        if (c >= 0) cols.add(c);
      }
      rows.push({ row: m.users.get(user) ?? -1, held: cols, size: held.size });
    }
    const ndcgOf = easeValidator(x, rows, 10);
    return searchLambda((lambda) => ndcgOf(lambda, this.params.dropout), this.params.lambda, LOW_HALF_STEPS, HIGH_HALF_STEPS);
  }

  /** The user form is chosen only where it pays: the item form would prune, or users are far fewer (its solve is (users/items)³ as long). */
  private userForm(users: number, items: number): boolean {
    return users <= this.params.maxUsers && (items > this.params.maxItems || 2 * users < items);
  }

  private solve(data: TrainingData, lambda: number, options?: FitOptions): void {
    const m = buildMatrix(data.interactions, { binary: this.params.binary });
    this.setTraining(m.users, m.items, rowsOf(m.csr));
    this.solvedLambda = lambda;
    if (this.userForm(m.users.size, m.items.size)) this.solveUserForm(m.csr, lambda, options);
    else this.solveItemForm(m.csr, lambda, options);
  }

  /** B over the most-interacted `maxItems` items (all of them when the catalog is small enough). */
  private solveItemForm(x: Csr, lambda: number, options?: FitOptions): void {
    this.form = 'item';
    this.x = emptyCsr();
    this.xt = emptyCsr();
    this.w = new Float32Array(0);
    this.q = new Float64Array(0);
    this.scale = new Float64Array(0);
    const { column, counts } = mostInteracted(x, this.params.maxItems);
    const k = Math.min(x.cols, this.params.maxItems);
    this.column = column;
    this.kept = k;
    this.counts = counts;
    progress(options, 'weights', 0, 1);
    this.b = easeWeights(keepColumns(x, column, k), lambda, this.params.dropout);
    progress(options, 'weights', 1, 1);
  }

  /** W = (XXᵀ + λI)⁻¹ and q, for catalogs with more items than users. */
  private solveUserForm(x0: Csr, lambda: number, options?: FitOptions): void {
    this.form = 'user';
    this.column = new Int32Array(0);
    this.b = new Float32Array(0);
    this.counts = new Float32Array(0);
    this.kept = 0;
    const dropout = this.params.dropout;
    this.scale = dropout > 0 ? emphasisScale(x0, lambda, dropout) : new Float64Array(0);
    const x = dropout > 0 ? scaleColumns(x0, this.scale) : x0;
    const ridge = dropout > 0 ? 1 : lambda;
    const m = x.rows;
    const xt = transpose(x);
    progress(options, 'gram', 0, 3);
    // XXᵀ from the item side: every pair of an item's users (user rows ascend in xt).
    const k = lowerGram(xt, m);
    for (let u = 0; u < m; u++) k[u * m + u] += ridge;
    progress(options, 'inverse', 1, 3);
    // Stored in single precision like B is; q is computed from the stored W so that a loaded
    // model scores exactly as the trained one.
    const w = Float32Array.from(spdInverse(k, m));
    progress(options, 'weights', 2, 3);
    const q = new Float64Array(xt.rows);
    for (let j = 0; j < xt.rows; j++) {
      let s = 0;
      for (let p = xt.indptr[j]; p < xt.indptr[j + 1]; p++) {
        const ru = xt.indices[p] * m;
        let t = 0;
        for (let r = xt.indptr[j]; r < xt.indptr[j + 1]; r++) t += w[ru + xt.indices[r]] * xt.values[r];
        s += xt.values[p] * t;
      }
      q[j] = s;
    }
    this.x = x;
    this.xt = xt;
    this.w = w;
    this.q = q;
    progress(options, 'weights', 3, 3);
  }

  protected scoreUser(u: number | undefined, _options: RecommendOptions): Float32Array | null {
    if (u === undefined || this.rows[u].indices.length === 0) return null;
    return this.scoreRow(this.rows[u]);
  }

  protected scoreItem(i: number): Float32Array | null {
    if (this.form === 'user') return this.scoreRow({ indices: Int32Array.of(i), values: Float32Array.of(1) });
    const c = this.column[i];
    if (c < 0) return null;
    const out = new Float32Array(this.items.size).fill(-Infinity);
    const k = this.kept;
    for (let j = 0; j < this.column.length; j++) if (this.column[j] >= 0) out[j] = this.b[c * k + this.column[j]];
    return out;
  }

  /** x·B for a (sparse) row x over all items. */
  private scoreRow(row: Row): Float32Array {
    return this.form === 'user' ? this.userFormScores(row) : this.itemFormScores(row);
  }

  private itemFormScores({ indices, values }: Row): Float32Array {
    const n = this.items.size;
    const k = this.kept;
    const dense = new Float64Array(k);
    for (let t = 0; t < indices.length; t++) {
      const c = this.column[indices[t]];
      if (c < 0) continue;
      const rc = c * k;
      const v = values[t];
      for (let j = 0; j < k; j++) dense[j] += v * this.b[rc + j];
    }
    const out = new Float32Array(n);
    if (k === n) {
      out.set(dense);
      return out;
    }
    // The pruned tail ranks below every kept item, most interacted first.
    let floor = Infinity;
    for (let j = 0; j < k; j++) floor = Math.min(floor, dense[j]);
    let top = 0;
    for (let i = 0; i < n; i++) if (this.column[i] < 0) top = Math.max(top, this.counts[i]);
    for (let i = 0; i < n; i++) {
      const c = this.column[i];
      out[i] = c >= 0 ? dense[c] : floor - 1 + this.counts[i] / (top + 1);
    }
    return out;
  }

  private userFormScores(row: Row): Float32Array {
    const { x, xt, w, q, scale } = this;
    const scaled = scale.length > 0;
    // With dropout, x̃ = x∘s is scored against X̃ and item j's score divided by s_j.
    const indices = row.indices;
    const values = scaled ? Float64Array.from(row.values, (v, t) => v * scale[indices[t]]) : row.values;
    const m = x.rows;
    // c = X·xᵀ: how much each training user shares with this row.
    const c = new Float64Array(m);
    for (let t = 0; t < indices.length; t++) {
      const j = indices[t];
      for (let p = xt.indptr[j]; p < xt.indptr[j + 1]; p++) c[xt.indices[p]] += values[t] * xt.values[p];
    }
    // d = W·c (W symmetric: a sum of its rows).
    const d = new Float64Array(m);
    for (let v = 0; v < m; v++) {
      const cv = c[v];
      if (cv === 0) continue;
      const rv = v * m;
      for (let t = 0; t < m; t++) d[t] += cv * w[rv + t];
    }
    // s = d·X, then (xB)_j = x_j − (x_j − s_j)/(1 − q_j).
    const s = new Float64Array(x.cols);
    for (let v = 0; v < m; v++) {
      const dv = d[v];
      if (dv === 0) continue;
      for (let p = x.indptr[v]; p < x.indptr[v + 1]; p++) s[x.indices[p]] += dv * x.values[p];
    }
    const xj = new Float64Array(x.cols);
    for (let t = 0; t < indices.length; t++) xj[indices[t]] = values[t];
    const out = new Float32Array(x.cols);
    for (let j = 0; j < out.length; j++) out[j] = (xj[j] - (xj[j] - s[j]) / (1 - q[j])) / (scaled ? scale[j] : 1);
    return out;
  }

  protected saveState(): Record<string, unknown> {
    const common = { form: this.form, lambda: this.solvedLambda };
    if (this.form === 'user') {
      return {
        ...common,
        xIndptr: encodeArray(this.x.indptr),
        xIndices: encodeArray(this.x.indices),
        xValues: encodeArray(this.x.values),
        w: encodeArray(this.w),
        q: encodeArray(this.q),
        ...(this.scale.length ? { scale: encodeArray(this.scale) } : {}),
      };
    }
    return { ...common, column: encodeArray(this.column), counts: encodeArray(this.counts), b: encodeArray(this.b) };
  }

  /** Restores a model saved by {@link Ease.toArtifact} (format 2; format 1 had only the full B). */
  static fromArtifact(a: ModelArtifact): Ease {
    const r = new ArtifactReader(a, 'ease', a.format === 1 ? 1 : 2);
    const m = new Ease(r.params);
    m.loadRows(r);
    const n = m.items.size;
    if (a.format === 1) {
      m.form = 'item';
      m.column = Int32Array.from({ length: n }, (_, i) => i);
      m.kept = n;
      m.counts = new Float32Array(n);
      m.b = r.f32('b', n * n);
      m.solvedLambda = m.params.lambda;
      return m;
    }
    m.solvedLambda = r.num('lambda');
    if (r.raw('form') === 'user') {
      m.form = 'user';
      const indptr = r.i32('xIndptr');
      const rows = indptr.length - 1;
      m.x = { rows, cols: n, indptr, indices: r.i32('xIndices', indptr[rows]), values: r.f32('xValues', indptr[rows]) };
      m.xt = transpose(m.x);
      m.w = r.f32('w', rows * rows);
      m.q = r.f64('q', n);
      m.scale = m.params.dropout > 0 ? r.f64('scale', n) : new Float64Array(0);
      return m;
    }
    m.form = 'item';
    m.column = r.i32('column', n);
    m.kept = m.column.reduce((s, c) => s + (c >= 0 ? 1 : 0), 0);
    m.counts = r.f32('counts', n);
    m.b = r.f32('b', m.kept * m.kept);
    return m;
  }
}

/**
 * The `maxItems` most-interacted columns of `x` (ties to the lower index), numbered in item-index
 * order so that an unpruned model is laid out exactly as the full catalog: column[i] is item i's
 * kept column, or -1 when pruned. Also the per-item interaction counts the tail is ranked by.
 */
function mostInteracted(x: Csr, maxItems: number): { column: Int32Array; counts: Float32Array } {
  const n = x.cols;
  const counts = new Float32Array(n);
  for (let p = 0; p < x.indices.length; p++) counts[x.indices[p]]++;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => counts[b] - counts[a] || a - b);
  const column = new Int32Array(n).fill(-1);
  order
    .subarray(0, Math.min(n, maxItems))
    .slice()
    .sort()
    .forEach((i, c) => (column[i] = c));
  return { column, counts };
}

/** `x` restricted to the kept columns (column[i] ≥ 0), renumbered; ascending order is preserved. */
function keepColumns(x: Csr, column: Int32Array, kept: number): Csr {
  const indptr = new Int32Array(x.rows + 1);
  const indices: number[] = [];
  const values: number[] = [];
  for (let u = 0; u < x.rows; u++) {
    for (let p = x.indptr[u]; p < x.indptr[u + 1]; p++) {
      const c = column[x.indices[p]];
      if (c < 0) continue;
      indices.push(c);
      values.push(x.values[p]);
    }
    indptr[u + 1] = indices.length;
  }
  return { rows: x.rows, cols: kept, indptr, indices: Int32Array.from(indices), values: Float32Array.from(values) };
}

function emptyCsr(): Csr {
  return { rows: 0, cols: 0, indptr: new Int32Array(1), indices: new Int32Array(0), values: new Float32Array(0) };
}
