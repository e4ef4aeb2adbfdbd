/**
 * What every matrix-based model shares: id indexes, the per-user rows that say what a user has
 * seen, recommend/similar plumbing (seen-item exclusion, caller filter, partial top-k), fold-in
 * bookkeeping and the common part of the artifact. A model only says how it scores.
 */
import type { FitOptions, Interaction, ModelArtifact, RecommendOptions, Recommender, Scored, TrainingData } from '../recommender';
import { ArtifactReader, encodeArray } from '../artifact';
import { IdIndex } from './ids';
import { csrOf, rowFrom, rowsOf, type Row } from './matrix';
import { topK } from './topk';

/** Base of the models in this folder; see the file comment. */
export abstract class RowModel implements Recommender {
  /** Model kind; selects the loader. */
  abstract readonly kind: string;
  /** User ids ↔ row indices (training users first, then folded-in ones). */
  protected users = new IdIndex();
  /** Item ids ↔ column indices. */
  protected items = new IdIndex();
  /** Per user, the items seen in training or fold-in, with their matrix values. */
  protected rows: Row[] = [];

  /**
   * @param format artifact format version of this kind
   * @param params parsed hyper-parameters, saved in the artifact as given
   * @param binary whether fold-in rows ignore weights (must match how training built the matrix)
   */
  protected constructor(
    private readonly format: number,
    readonly params: Readonly<Record<string, number | boolean>>,
    protected readonly binary: boolean,
  ) {}

  /** Trains from scratch; see {@link Recommender.fit}. */
  abstract fit(data: TrainingData, options?: FitOptions): void;

  /** Scores every item for user index `u` (undefined: a user the model never saw), or null when it cannot. The caller may mutate the array. */
  protected abstract scoreUser(u: number | undefined, options: RecommendOptions): Float32Array | null;

  /** Similarity of every item to item `i`, or null; the caller may mutate the array. */
  protected abstract scoreItem(i: number): Float32Array | null;

  /** Model state beyond ids and rows, JSON-safe. */
  protected abstract saveState(): Record<string, unknown>;

  /** Hook after a user's row was replaced by fold-in (solve factors, build a profile). */
  protected afterFoldIn(_u: number): void {}

  /** Top-k items for a user; see {@link Recommender.recommend}. */
  recommend(user: string, k: number, options: RecommendOptions = {}): Scored[] {
    if (!(k > 0)) return [];
    const u = this.users.get(user);
    const scores = this.scoreUser(u, options);
    if (!scores) return [];
    if ((options.excludeSeen ?? true) && u !== undefined) for (const i of this.rows[u].indices) scores[i] = -Infinity;
    return this.ranked(scores, k, options.filter);
  }

  /** Items most like `item`; see {@link Recommender.similar}. */
  similar(item: string, k: number): Scored[] {
    const i = this.items.get(item);
    if (i === undefined || !(k > 0)) return [];
    const scores = this.scoreItem(i);
    if (!scores) return [];
    scores[i] = -Infinity;
    return this.ranked(scores, k);
  }

  /** Adds or replaces a user; items the model does not know are ignored. */
  foldIn(user: string, interactions: readonly Interaction[]): void {
    const u = this.users.add(user);
    this.rows[u] = rowFrom(interactions, this.items, this.binary);
    this.afterFoldIn(u);
  }

  /**
   * The items in a user's row (from training or fold-in) with their matrix values; [] for a
   * user the model never saw. Online updates merge new interactions into it, since fold-in
   * replaces the row.
   */
  seenBy(user: string): { item: string; weight: number }[] {
    const u = this.users.get(user);
    if (u === undefined) return [];
    const { indices, values } = this.rows[u];
    return Array.from(indices, (i, k) => ({ item: this.items.id(i), weight: values[k] }));
  }

  /** True when the user has at least one known item. */
  knowsUser(user: string): boolean {
    const u = this.users.get(user);
    return u !== undefined && this.rows[u].indices.length > 0;
  }

  /** Serializes ids, rows, params and the model's own state. */
  toArtifact(): ModelArtifact {
    const seen = csrOf(this.rows, this.items.size);
    return {
      kind: this.kind,
      format: this.format,
      params: { ...this.params },
      state: {
        users: this.users.ids(),
        items: this.items.ids(),
        indptr: encodeArray(seen.indptr),
        indices: encodeArray(seen.indices),
        values: encodeArray(seen.values),
        ...this.saveState(),
      },
    };
  }

  /** Restores ids and rows from an artifact (the subclass restores the rest). */
  protected loadRows(r: ArtifactReader): void {
    this.users = new IdIndex(r.strings('users'));
    this.items = new IdIndex(r.strings('items'));
    const indptr = r.i32('indptr', this.users.size + 1);
    const nnz = indptr[this.users.size];
    this.rows = rowsOf({ rows: this.users.size, cols: this.items.size, indptr, indices: r.i32('indices', nnz), values: r.f32('values', nnz) });
  }

  /** Sets the training state shared by all models. */
  protected setTraining(users: IdIndex, items: IdIndex, rows: Row[]): void {
    this.users = users;
    this.items = items;
    this.rows = rows;
  }

  private ranked(scores: Float32Array, k: number, filter?: (item: string) => boolean): Scored[] {
    const top = topK(scores, k, filter ? (i) => filter(this.items.id(i)) : undefined);
    return Array.from(top, (i) => ({ item: this.items.id(i), score: scores[i] }));
  }
}

/** Calls `onProgress` if given; keeps model loops free of optional chaining noise. */
export function progress(options: FitOptions | undefined, stage: string, done: number, total: number): void {
  options?.onProgress?.({ stage, done, total });
}
