/**
 * Helpers for latent-factor models (ALS, MF): factor matrices are stored flat while training
 * (cache-friendly sweeps) and as one row view per user afterwards (fold-in appends rows).
 */
import { Rng } from './rng';

/** `rows` × `f` factors, N(0, scale²) from the seeded generator. */
export function randomFactors(rows: number, f: number, scale: number, rng: Rng): Float32Array {
  const out = new Float32Array(rows * f);
  for (let k = 0; k < out.length; k++) out[k] = rng.normal() * scale;
  return out;
}

/** Row views (no copy) of a flat rows × f matrix. */
export function rowViews(flat: Float32Array, f: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let o = 0; o + f <= flat.length; o += f) out.push(flat.subarray(o, o + f));
  return out;
}

/** Concatenates row vectors into one flat array (for artifacts). */
export function concatRows(rows: readonly Float32Array[], f: number): Float32Array {
  const out = new Float32Array(rows.length * f);
  rows.forEach((r, k) => out.set(r, k * f));
  return out;
}

/** Scores of one user against every item: y_i · x (+ per-item bias when given). */
export function dotAll(x: Float32Array, items: Float32Array, f: number, bias?: Float32Array): Float32Array {
  const n = items.length / f;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * f;
    let s = bias ? bias[i] : 0;
    for (let t = 0; t < f; t++) s += x[t] * items[o + t];
    out[i] = s;
  }
  return out;
}

/** Cosine of item `i`'s factors with every item's (for `similar`). */
export function cosineAll(items: Float32Array, f: number, i: number): Float32Array {
  const n = items.length / f;
  const norms = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let t = 0; t < f; t++) s += items[j * f + t] * items[j * f + t];
    norms[j] = Math.sqrt(s);
  }
  const dots = dotAll(items.subarray(i * f, (i + 1) * f), items, f);
  for (let j = 0; j < n; j++) dots[j] = norms[i] * norms[j] > 0 ? dots[j] / (norms[i] * norms[j]) : 0;
  return dots;
}
