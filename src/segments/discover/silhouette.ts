/**
 * The mean silhouette of a clustering (Rousseeuw 1987), with Euclidean distances: for each
 * point, a = its mean distance to the rest of its cluster, b = the lowest mean distance to
 * another cluster, s = (b - a) / max(a, b), and 0 for a point alone in its cluster (as
 * scikit-learn's `silhouette_score` does). The mean of s over the points, not the maximum
 * (simple-statistics' `silhouetteMetric` returns the maximum). Pure.
 *
 * ```ts
 * meanSilhouette([[0], [1], [10], [11]], [0, 0, 1, 1]); // ≈ 0.9
 * ```
 */
export function meanSilhouette(points: readonly (readonly number[])[], labels: readonly number[]): number {
  const n = points.length;
  if (labels.length !== n) throw new RangeError('one label per point');
  const ids = [...new Set(labels)];
  if (ids.length < 2 || ids.length >= n) throw new RangeError('a silhouette needs 2 to n-1 clusters');
  const index = new Map(ids.map((id, i) => [id, i]));
  const sizes = new Array<number>(ids.length).fill(0);
  for (const l of labels) sizes[index.get(l) as number]++;
  let total = 0;
  const sums = new Float64Array(ids.length);
  for (let i = 0; i < n; i++) {
    sums.fill(0);
    for (let j = 0; j < n; j++) if (j !== i) sums[index.get(labels[j]) as number] += euclidean(points[i], points[j]);
    const own = index.get(labels[i]) as number;
    if (sizes[own] === 1) continue;
    const a = sums[own] / (sizes[own] - 1);
    let b = Infinity;
    for (let c = 0; c < ids.length; c++) if (c !== own) b = Math.min(b, sums[c] / sizes[c]);
    const m = Math.max(a, b);
    total += m > 0 ? (b - a) / m : 0;
  }
  return total / n;
}

/** Euclidean distance. */
export function euclidean(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += (a[k] - b[k]) ** 2;
  return Math.sqrt(s);
}
