import { z } from 'zod';

/**
 * Imputation and scaling, fitted on the discovery population and saved with the result, so
 * that a live user's features go through the very transform the centroids were found in.
 * Pure.
 */

/** How features are scaled: to [0, 1] by the observed range, or to mean 0 and deviation 1. */
export type Scaling = 'minmax' | 'zscore';
/** What a missing value becomes: the observed mean, median, or zero. */
export type Imputation = 'mean' | 'median' | 'zero';

/** zod schema of a fitted {@link Scaler}. */
export const ScalerSchema = z.object({
  scaling: z.enum(['minmax', 'zscore']),
  imputation: z.enum(['mean', 'median', 'zero']),
  /** Per feature: the value a missing one becomes (before scaling). */
  fill: z.array(z.number()),
  /** Per feature: `(x - offset) / factor`. */
  offset: z.array(z.number()),
  factor: z.array(z.number().positive()),
});
/** A fitted transform from raw features to the clustering space. */
export type Scaler = z.infer<typeof ScalerSchema>;

/**
 * Fits imputation and scaling on rows of features (undefined: missing). A constant feature
 * gets a factor of 1, so it scales to a constant and weighs nothing.
 *
 * ```ts
 * const scaler = fitScaler(rows, 'zscore', 'median');
 * const points = rows.map((r) => applyScaler(scaler, r));
 * ```
 */
export function fitScaler(rows: readonly (readonly (number | undefined)[])[], scaling: Scaling, imputation: Imputation): Scaler {
  const width = rows[0]?.length ?? 0;
  const fill: number[] = [];
  const offset: number[] = [];
  const factor: number[] = [];
  for (let j = 0; j < width; j++) {
    const seen = rows.map((r) => r[j]).filter((v): v is number => v !== undefined);
    const f = imputation === 'zero' || !seen.length ? 0 : imputation === 'mean' ? mean(seen) : median(seen);
    fill.push(f);
    const column = rows.map((r) => r[j] ?? f);
    if (scaling === 'minmax') {
      const lo = Math.min(...column);
      const hi = Math.max(...column);
      offset.push(lo);
      factor.push(hi > lo ? hi - lo : 1);
    } else {
      const m = mean(column);
      const sd = Math.sqrt(column.reduce((s, v) => s + (v - m) ** 2, 0) / column.length);
      offset.push(m);
      factor.push(sd > 0 ? sd : 1);
    }
  }
  return { scaling, imputation, fill, offset, factor };
}

/** A row of raw features (undefined: missing) in the clustering space. */
export function applyScaler(s: Scaler, row: readonly (number | undefined)[]): number[] {
  return row.map((v, j) => ((v ?? s.fill[j]) - s.offset[j]) / s.factor[j]);
}

function mean(xs: readonly number[]): number {
  return xs.reduce((s, v) => s + v, 0) / xs.length;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
