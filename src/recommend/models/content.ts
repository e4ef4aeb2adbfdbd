/**
 * Content-based recommendation: a user's profile is the weighted mean of the TF-IDF vectors of
 * the items they interacted with; items are ranked by cosine with it. Works for items nobody has
 * interacted with yet and for a new user folded in from a few onboarding answers.
 */
import type { FitOptions, ItemFeatures, ModelArtifact, RecommendOptions, TrainingData } from '../recommender';
import { ArtifactReader, encodeArray } from '../artifact';
import { RowModel, progress } from './base';
import { IdIndex } from './ids';
import { buildMatrix, rowsOf, type Csr } from './matrix';
import { readParams, type ParamValues } from './params';
import { buildTfIdf } from './tfidf';
import { tuneOnValidation } from './tune';

const SPEC = {
  /** Scale of category tokens against text tokens before normalization. */
  categoryWeight: { type: 'number', default: 1, min: 0 },
  /** Weight every interaction 1 in the profile instead of by its weight. */
  binary: { type: 'boolean', default: true },
  /**
   * Exponent β of a popularity prior: scores are cosine × (share of the most-interacted item's
   * count)^β, so among items equally close to the profile the ones people actually take come
   * first. 0 is pure content (and the only choice for items nobody has interacted with yet).
   */
  popularityExponent: { type: 'number', default: 1, min: 0 },
  /** Choose β on a validation split of the training data, among β × {1, 0, ¼, ½, 2}. */
  tune: { type: 'boolean', default: true },
} as const;

/** Multiples of `popularityExponent` tried when tuning; the given value first, so it wins ties. */
const BETA_GRID = [1, 0, 0.25, 0.5, 2];

/** Parameters of {@link ContentBased}. */
export type ContentBasedParams = ParamValues<typeof SPEC>;

/**
 * TF-IDF content recommender over `TrainingData.items` (text and categories).
 *
 * ```ts
 * const content = new ContentBased();
 * content.fit({ interactions, items });
 * content.foldIn('new-user', [{ user: 'new-user', item: 'i3', weight: 1, time: Date.now() }]);
 * content.recommend('new-user', 5);
 * ```
 */
export class ContentBased extends RowModel {
  /** Always `content`. */
  readonly kind = 'content';
  declare readonly params: ContentBasedParams;
  private terms = new IdIndex();
  /** Per item, the popularity prior (1 for every item when β = 0). */
  private prior: Float32Array = new Float32Array(0);
  private solvedBeta = 0;
  private vectors: Csr = { rows: 0, cols: 0, indptr: new Int32Array(1), indices: new Int32Array(0), values: new Float32Array(0) };

  /** @param params see {@link ContentBasedParams}; ConfigError when out of range. */
  constructor(params?: Record<string, unknown>) {
    const p = readParams('content', params, SPEC);
    super(2, p, p.binary);
  }

  /** The popularity exponent in use (the tuned one when `tune`). */
  get beta(): number {
    return this.solvedBeta;
  }

  /** The parameters that refit this model without tuning again (the tuned β fixed). */
  get tunedParams(): Record<string, unknown> {
    return { ...this.params, popularityExponent: this.solvedBeta, tune: false };
  }

  /** Indexes every described item (even ones without interactions) and builds their vectors; tunes β first when `tune`. */
  fit(data: TrainingData, options?: FitOptions): void {
    let beta = this.params.popularityExponent;
    if (this.params.tune) {
      const fixed = { ...this.params, tune: false };
      const grid = BETA_GRID.map((f) => f * beta);
      beta = tuneOnValidation(data, grid, (b) => new ContentBased({ ...fixed, popularityExponent: b }), { fraction: 0.2, seed: options?.seed ?? 0, k: 10, maxUsers: 1000 }).best;
    }
    this.solvedBeta = beta;
    const features = new Map<string, ItemFeatures>();
    for (const it of data.items ?? []) features.set(it.id, it);
    // Described items first so cold items (no interactions) are in the catalog too.
    const items = new IdIndex(features.keys());
    const m = buildMatrix(data.interactions, { binary: this.params.binary }, items);
    this.setTraining(m.users, m.items, rowsOf(m.csr));
    const t = buildTfIdf(m.items, features, this.params.categoryWeight);
    this.terms = t.terms;
    this.vectors = t.vectors;
    this.prior = popularityPrior(m.csr.indices, m.items.size, beta);
    progress(options, 'items', m.items.size, m.items.size);
  }

  /** True when the user has at least one item that has features. */
  override knowsUser(user: string): boolean {
    const u = this.users.get(user);
    return u !== undefined && this.profile(u) !== null;
  }

  /** The user's profile over terms, L2-normalized, or null when none of their items has features. */
  private profile(u: number): Float64Array | null {
    const v = this.vectors;
    const prof = new Float64Array(v.cols);
    const { indices, values } = this.rows[u];
    let any = false;
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k];
      for (let p = v.indptr[i]; p < v.indptr[i + 1]; p++) {
        prof[v.indices[p]] += values[k] * v.values[p];
        any = true;
      }
    }
    if (!any) return null;
    let norm = 0;
    for (const x of prof) norm += x * x;
    norm = Math.sqrt(norm);
    for (let t = 0; t < prof.length; t++) prof[t] /= norm;
    return prof;
  }

  /** Cosine of every item's vector with a unit profile. */
  private against(prof: Float64Array): Float32Array {
    const v = this.vectors;
    const out = new Float32Array(v.rows);
    for (let i = 0; i < v.rows; i++) {
      let s = 0;
      for (let p = v.indptr[i]; p < v.indptr[i + 1]; p++) s += prof[v.indices[p]] * v.values[p];
      out[i] = s;
    }
    return out;
  }

  protected scoreUser(u: number | undefined, _options: RecommendOptions): Float32Array | null {
    if (u === undefined) return null;
    const prof = this.profile(u);
    if (!prof) return null;
    const out = this.against(prof);
    for (let i = 0; i < out.length; i++) out[i] *= this.prior[i];
    return out;
  }

  protected scoreItem(i: number): Float32Array | null {
    const v = this.vectors;
    if (v.indptr[i] === v.indptr[i + 1]) return null;
    const prof = new Float64Array(v.cols);
    for (let p = v.indptr[i]; p < v.indptr[i + 1]; p++) prof[v.indices[p]] = v.values[p];
    return this.against(prof);
  }

  protected saveState(): Record<string, unknown> {
    return {
      terms: this.terms.ids(),
      vecIndptr: encodeArray(this.vectors.indptr),
      vecIndices: encodeArray(this.vectors.indices),
      vecValues: encodeArray(this.vectors.values),
      prior: encodeArray(this.prior),
      beta: this.solvedBeta,
    };
  }

  /** Restores a model saved by {@link ContentBased.toArtifact}. */
  static fromArtifact(a: ModelArtifact): ContentBased {
    const old = a.format === 1;
    const r = new ArtifactReader(a, 'content', old ? 1 : 2);
    // Format 1 had no popularity prior.
    const m = new ContentBased(old ? { ...r.params, popularityExponent: 0 } : r.params);
    m.loadRows(r);
    m.terms = new IdIndex(r.strings('terms'));
    const n = m.items.size;
    const indptr = r.i32('vecIndptr', n + 1);
    m.vectors = { rows: n, cols: m.terms.size, indptr, indices: r.i32('vecIndices', indptr[n]), values: r.f32('vecValues', indptr[n]) };
    m.prior = old ? new Float32Array(n).fill(1) : r.f32('prior', n);
    m.solvedBeta = old ? 0 : r.num('beta');
    return m;
  }
}

/**
 * (count_i / max count)^β per item. An item nobody has interacted with yet is treated as a
 * typical one (the median count of the others), so a new item still surfaces on its content.
 */
function popularityPrior(itemColumns: Int32Array, items: number, beta: number): Float32Array {
  const out = new Float32Array(items).fill(1);
  if (beta === 0) return out;
  const counts = new Float64Array(items);
  for (const i of itemColumns) counts[i]++;
  const taken = Array.from(counts)
    .filter((c) => c > 0)
    .sort((a, b) => a - b);
  if (!taken.length) return out;
  const top = taken[taken.length - 1];
  const typical = taken[Math.floor(taken.length / 2)];
  for (let i = 0; i < items; i++) out[i] = Math.pow((counts[i] > 0 ? counts[i] : typical) / top, beta);
  return out;
}
