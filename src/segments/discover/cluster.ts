import { agnes } from 'ml-hclust';
import { kmeans } from 'ml-kmeans';
import { euclidean } from './silhouette';

/**
 * The two clusterings discovery offers, on points already scaled: seeded k-means++ (the best
 * of a few restarts by inertia) and agglomerative Ward linkage cut at k clusters. Both give
 * labels renumbered by first appearance and the centroid (mean) of each cluster, so the same
 * input gives the same output, label names included. Pure.
 */

/** A partition of the points into k clusters. */
export interface Clustering {
  /** Cluster index of each point (0..k-1, numbered by first appearance). */
  labels: number[];
  /** Mean of each cluster's points. */
  centroids: number[][];
}

/** The clustering methods. */
export type ClusterMethod = 'kmeans' | 'ward';

/**
 * k-means++ with `restarts` seeds derived from `seed`, keeping the lowest inertia.
 *
 * ```ts
 * const { labels, centroids } = kmeansClustering(points, 3, { seed: 42 });
 * ```
 */
export function kmeansClustering(points: readonly number[][], k: number, options: { seed: number; restarts?: number }): Clustering {
  let best: { labels: number[]; inertia: number } | undefined;
  const restarts = Math.max(1, options.restarts ?? 5);
  for (let r = 0; r < restarts; r++) {
    const result = kmeans(points as number[][], k, { seed: options.seed + r * 7919, initialization: 'kmeans++', maxIterations: 300 });
    const c = withCentroids(points, result.clusters, k);
    const inertia = points.reduce((s, p, i) => s + euclidean(p, c.centroids[c.labels[i]]) ** 2, 0);
    if (!best || inertia < best.inertia - 1e-12) best = { labels: c.labels, inertia };
  }
  return withCentroids(points, (best as { labels: number[] }).labels, k);
}

/**
 * Ward linkage (on Euclidean distances: ml-hclust's `ward2`, R's `ward.D2`): a function that
 * cuts the one tree at any k. Quadratic in memory: meant for populations of a few thousand.
 */
export function wardClustering(points: readonly number[][]): (k: number) => Clustering {
  const tree = agnes(points as number[][], { method: 'ward2', distanceFunction: euclidean });
  return (k) => cut(tree, points, k);
}

function cut(tree: ReturnType<typeof agnes>, points: readonly number[][], k: number): Clustering {
  const labels = new Array<number>(points.length).fill(0);
  tree.group(k).children.forEach((cluster, c) => {
    for (const i of cluster.indices()) labels[i] = c;
  });
  return withCentroids(points, labels, k);
}

/** Renumbers labels by first appearance and computes each cluster's mean; empty clusters are dropped. */
export function withCentroids(points: readonly (readonly number[])[], labels: readonly number[], k: number): Clustering {
  const renumber = new Map<number, number>();
  const out = labels.map((l) => {
    let r = renumber.get(l);
    if (r === undefined) renumber.set(l, (r = renumber.size));
    return r;
  });
  const width = points[0]?.length ?? 0;
  const sums = Array.from({ length: Math.min(k, renumber.size) }, () => new Array<number>(width).fill(0));
  const sizes = new Array<number>(sums.length).fill(0);
  points.forEach((p, i) => {
    sizes[out[i]]++;
    for (let j = 0; j < width; j++) sums[out[i]][j] += p[j];
  });
  return { labels: out, centroids: sums.map((s, c) => s.map((v) => v / sizes[c])) };
}
