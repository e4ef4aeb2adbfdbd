/**
 * The user × item interaction matrix every collaborative model trains on, in CSR form
 * (flat typed arrays: cache-friendly loops, cheap to serialize), and the per-user row store
 * that serving and fold-in work on.
 */
import type { Interaction } from '../recommender';
import { IdIndex } from './ids';

/** A sparse matrix in compressed-sparse-row form; column indices ascending within a row. */
export interface Csr {
  rows: number;
  cols: number;
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

/** How raw interaction weights become matrix values. */
export interface MatrixOptions {
  /** Every interaction counts 1 (weights ignored); duplicates still collapse to 1. */
  binary?: boolean;
  /** Per-interaction multiplier (time decay); applied before duplicates are summed. */
  decay?: (x: Interaction) => number;
}

/** The matrix with the id indexes its rows and columns refer to. */
export interface InteractionMatrix {
  users: IdIndex;
  items: IdIndex;
  csr: Csr;
}

/**
 * Builds the user × item matrix; duplicates of a (user, item) pair are summed. Ids are indexed
 * in order of first appearance, so the same input gives the same model.
 *
 * ```ts
 * const { users, items, csr } = buildMatrix(interactions, { binary: true });
 * ```
 */
export function buildMatrix(interactions: readonly Interaction[], options: MatrixOptions = {}, items = new IdIndex()): InteractionMatrix {
  const users = new IdIndex();
  const n = interactions.length;
  const u = new Int32Array(n);
  const it = new Int32Array(n);
  const w = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const x = interactions[k];
    u[k] = users.add(x.user);
    it[k] = items.add(x.item);
    w[k] = (options.binary ? 1 : x.weight) * (options.decay ? options.decay(x) : 1);
  }
  const csr = fromTriplets(users.size, items.size, u, it, w);
  if (options.binary) csr.values.fill(1);
  return { users, items, csr };
}

/** CSR from (row, col, value) triplets, summing duplicates. */
export function fromTriplets(rows: number, cols: number, r: Int32Array, c: Int32Array, v: Float32Array): Csr {
  const count = new Int32Array(rows + 1);
  for (let k = 0; k < r.length; k++) count[r[k] + 1]++;
  for (let i = 0; i < rows; i++) count[i + 1] += count[i];
  const fill = count.slice(0, rows);
  const idx = new Int32Array(r.length);
  const val = new Float32Array(r.length);
  for (let k = 0; k < r.length; k++) {
    const p = fill[r[k]]++;
    idx[p] = c[k];
    val[p] = v[k];
  }
  // Sort each row by column and merge duplicates in place, compacting as we go.
  const indptr = new Int32Array(rows + 1);
  let out = 0;
  for (let i = 0; i < rows; i++) {
    const [si, sv] = sortMerge(idx.subarray(count[i], count[i + 1]), val.subarray(count[i], count[i + 1]));
    idx.set(si, out);
    val.set(sv, out);
    out += si.length;
    indptr[i + 1] = out;
  }
  return { rows, cols, indptr, indices: idx.slice(0, out), values: val.slice(0, out) };
}

/** Sorts (index, value) pairs by index and sums values of equal indices; returns new arrays. */
export function sortMerge(indices: ArrayLike<number>, values: ArrayLike<number>): [Int32Array, Float32Array] {
  const order = Array.from({ length: indices.length }, (_, k) => k).sort((a, b) => indices[a] - indices[b] || a - b);
  const outI: number[] = [];
  const outV: number[] = [];
  for (const k of order) {
    const last = outI.length - 1;
    if (last >= 0 && outI[last] === indices[k]) outV[last] += values[k];
    else {
      outI.push(indices[k]);
      outV.push(values[k]);
    }
  }
  return [Int32Array.from(outI), Float32Array.from(outV)];
}

/** The transpose (item × user for a user × item matrix), rows sorted. */
export function transpose(m: Csr): Csr {
  const indptr = new Int32Array(m.cols + 1);
  for (let k = 0; k < m.indices.length; k++) indptr[m.indices[k] + 1]++;
  for (let j = 0; j < m.cols; j++) indptr[j + 1] += indptr[j];
  const fill = indptr.slice(0, m.cols);
  const indices = new Int32Array(m.indices.length);
  const values = new Float32Array(m.indices.length);
  // Rows are visited in order, so each output row comes out sorted without a sort.
  for (let i = 0; i < m.rows; i++) {
    for (let p = m.indptr[i]; p < m.indptr[i + 1]; p++) {
      const q = fill[m.indices[p]]++;
      indices[q] = i;
      values[q] = m.values[p];
    }
  }
  return { rows: m.cols, cols: m.rows, indptr, indices, values };
}

/** One user's interactions: item indices ascending with their values. */
export interface Row {
  indices: Int32Array;
  values: Float32Array;
}

/** Rows of a CSR as views (no copy); fold-in later replaces or appends rows. */
export function rowsOf(m: Csr): Row[] {
  const out: Row[] = [];
  for (let i = 0; i < m.rows; i++) {
    out.push({ indices: m.indices.subarray(m.indptr[i], m.indptr[i + 1]), values: m.values.subarray(m.indptr[i], m.indptr[i + 1]) });
  }
  return out;
}

/** Packs rows back into a CSR (for artifacts and retraining). */
export function csrOf(rows: readonly Row[], cols: number): Csr {
  const indptr = new Int32Array(rows.length + 1);
  rows.forEach((r, i) => (indptr[i + 1] = indptr[i] + r.indices.length));
  const indices = new Int32Array(indptr[rows.length]);
  const values = new Float32Array(indptr[rows.length]);
  rows.forEach((r, i) => {
    indices.set(r.indices, indptr[i]);
    values.set(r.values, indptr[i]);
  });
  return { rows: rows.length, cols, indptr, indices, values };
}

/**
 * A fold-in row from raw interactions: items the model does not know are dropped (it cannot
 * score them), duplicates summed.
 */
export function rowFrom(interactions: readonly Interaction[], items: IdIndex, binary: boolean): Row {
  const idx: number[] = [];
  const val: number[] = [];
  for (const x of interactions) {
    const i = items.get(x.item);
    if (i === undefined) continue;
    idx.push(i);
    val.push(binary ? 1 : x.weight);
  }
  const [indices, values] = sortMerge(idx, val);
  if (binary) values.fill(1);
  return { indices, values };
}
