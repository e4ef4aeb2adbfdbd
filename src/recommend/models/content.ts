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

const SPEC = {
  /** Scale of category tokens against text tokens before normalization. */
  categoryWeight: { type: 'number', default: 1, min: 0 },
  /** Weight every interaction 1 in the profile instead of by its weight. */
  binary: { type: 'boolean', default: true },
} as const;

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
  private vectors: Csr = { rows: 0, cols: 0, indptr: new Int32Array(1), indices: new Int32Array(0), values: new Float32Array(0) };

  /** @param params see {@link ContentBasedParams}; ConfigError when out of range. */
  constructor(params?: Record<string, unknown>) {
    const p = readParams('content', params, SPEC);
    super(1, p, p.binary);
  }

  /** Indexes every described item (even ones without interactions) and builds their vectors. */
  fit(data: TrainingData, options?: FitOptions): void {
    const features = new Map<string, ItemFeatures>();
    for (const it of data.items ?? []) features.set(it.id, it);
    // Described items first so cold items (no interactions) are in the catalog too.
    const items = new IdIndex(features.keys());
    const m = buildMatrix(data.interactions, { binary: this.params.binary }, items);
    this.setTraining(m.users, m.items, rowsOf(m.csr));
    const t = buildTfIdf(m.items, features, this.params.categoryWeight);
    this.terms = t.terms;
    this.vectors = t.vectors;
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
    return prof && this.against(prof);
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
    };
  }

  /** Restores a model saved by {@link ContentBased.toArtifact}. */
  static fromArtifact(a: ModelArtifact): ContentBased {
    const r = new ArtifactReader(a, 'content', 1);
    const m = new ContentBased(r.params);
    m.loadRows(r);
    m.terms = new IdIndex(r.strings('terms'));
    const n = m.items.size;
    const indptr = r.i32('vecIndptr', n + 1);
    m.vectors = { rows: n, cols: m.terms.size, indptr, indices: r.i32('vecIndices', indptr[n]), values: r.f32('vecValues', indptr[n]) };
    return m;
  }
}
