/**
 * TF-IDF vectors of item text and categories: the item side of the content model. Categories
 * become tokens of their own (`cat:comedy`) so a genre never collides with a word of a title.
 */
import type { ItemFeatures } from '../recommender';
import { IdIndex } from './ids';
import type { Csr } from './matrix';

/** Words too common to say anything about an item. */
const STOPWORDS = new Set(
  'a an and are as at be but by for from has have in is it its of on or the this that to was were will with'.split(' '),
);

/** Lower-case word tokens of free text (letters and digits, two characters or more, no stopwords). */
export function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length >= 2 && !STOPWORDS.has(t));
}

/** Vocabulary, IDF weights and one L2-normalized row per item. */
export interface TfIdf {
  terms: IdIndex;
  idf: Float32Array;
  /** items × terms; a row of zeros for an item without features. */
  vectors: Csr;
}

/**
 * Builds TF-IDF vectors (sublinear tf 1 + ln n, smoothed idf ln((1+N)/(1+df)) + 1, as in
 * scikit-learn) for the items of `items` in index order; category tokens are scaled by
 * `categoryWeight`.
 *
 * ```ts
 * const { vectors } = buildTfIdf(itemIndex, featuresById, 1);
 * ```
 */
export function buildTfIdf(items: IdIndex, features: ReadonlyMap<string, ItemFeatures>, categoryWeight: number): TfIdf {
  const terms = new IdIndex();
  const bags: Map<number, number>[] = [];
  for (let i = 0; i < items.size; i++) {
    const bag = new Map<number, number>();
    const feat = features.get(items.id(i));
    for (const t of tokenize(feat?.text ?? '')) {
      const k = terms.add(t);
      bag.set(k, (bag.get(k) ?? 0) + 1);
    }
    for (const c of feat?.categories ?? []) {
      const k = terms.add(`cat:${c.toLowerCase()}`);
      bag.set(k, (bag.get(k) ?? 0) + 1);
    }
    bags.push(bag);
  }
  const df = new Float64Array(terms.size);
  for (const bag of bags) for (const k of bag.keys()) df[k]++;
  const described = bags.filter((b) => b.size > 0).length;
  const idf = Float32Array.from(df, (d) => Math.log((1 + described) / (1 + d)) + 1);
  const indptr = new Int32Array(items.size + 1);
  const idx: number[] = [];
  const val: number[] = [];
  bags.forEach((bag, i) => {
    const entries = [...bag.entries()].sort((a, b) => a[0] - b[0]);
    const w = entries.map(([k, n]) => (1 + Math.log(n)) * idf[k] * (terms.id(k).startsWith('cat:') ? categoryWeight : 1));
    const norm = Math.sqrt(w.reduce((s, v) => s + v * v, 0)) || 1;
    entries.forEach(([k], e) => {
      idx.push(k);
      val.push(w[e] / norm);
    });
    indptr[i + 1] = idx.length;
  });
  return { terms, idf, vectors: { rows: items.size, cols: terms.size, indptr, indices: Int32Array.from(idx), values: Float32Array.from(val) } };
}
