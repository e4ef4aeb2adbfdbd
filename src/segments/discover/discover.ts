import { ValidationError } from '../../core/errors';
import type { Profile } from '../../core/profile';
import { mulberry32 } from '../../core/random';
import { type ClusterMethod, type Clustering, kmeansClustering, wardClustering } from './cluster';
import { expandFeatures, type FeatureSpec, featureRows } from './features';
import { type FeatureWords, labelClusters } from './label';
import { applyScaler, fitScaler, type Imputation, type Scaler, type Scaling } from './scale';
import { meanSilhouette } from './silhouette';

/** Options of {@link discoverSegments}. */
export interface DiscoverOptions {
  /** Feature names or `.*` families (see features.ts), e.g. `['orders', 'revenue', 'affinities.*']`. */
  features: readonly FeatureSpec[];
  /** The range of k tried (default 2 to 8). */
  k?: { min: number; max: number };
  /** Default `kmeans` (k-means++); `ward` is agglomerative Ward linkage. */
  method?: ClusterMethod;
  /** Default `zscore`. */
  scaling?: Scaling;
  /** Default `median`. */
  imputation?: Imputation;
  /**
   * A k whose smallest cluster holds fewer than this share of the users is passed over, unless
   * every k is (default 0.05): a segment of a handful of people is noise to an operator, and
   * the silhouette alone keeps rising as outliers get clusters of their own.
   */
  minClusterShare?: number;
  /** Seed of k-means++ and of the silhouette's sample (default 1). */
  seed?: number;
  /** k-means restarts per k (default 5). */
  restarts?: number;
  /** At most this many users score a silhouette (a seeded sample; it is quadratic; default 2000). */
  silhouetteSample?: number;
  /** The time features such as windows and recency are read at. */
  nowMs: number;
  /** Words for features in labels. */
  words?: Record<string, FeatureWords>;
}

/** One discovered cluster. */
export interface DiscoveredCluster {
  label: string;
  suggestedId: string;
  size: number;
  /** Centre in the scaled space (what live users are assigned by). */
  centroid: number[];
  /** Mean of each raw feature over the members (missing values imputed), for people to read. */
  means: number[];
}

/** What discovery found. */
export interface Discovery {
  method: ClusterMethod;
  features: string[];
  scaler: Scaler;
  /** The k chosen: the highest mean silhouette. */
  k: number;
  /** Mean silhouette of each k tried. */
  silhouettes: { k: number; silhouette: number; eligible: boolean }[];
  clusters: DiscoveredCluster[];
  /** Cluster of each profile given, in order; -1 for a profile none of whose features is known. */
  assignments: number[];
  /** Profiles clustered. */
  users: number;
  seed: number;
}

/**
 * Finds segments in profiles: features (imputed, scaled), a clustering for each k of the
 * range, the k with the highest mean silhouette, and labels from each cluster's
 * distinguishing features. Pure and seeded: the same profiles and options give the same
 * result.
 *
 * ```ts
 * const d = discoverSegments(profiles, { features: ['orders', 'revenue', 'affinities.*'], nowMs: Date.now() });
 * d.clusters.map((c) => c.label); // ['high revenue, frequent orders', 'high running interest', …]
 * ```
 */
export function discoverSegments(profiles: readonly Profile[], options: DiscoverOptions): Discovery {
  const { nowMs, method = 'kmeans', scaling = 'zscore', imputation = 'median', seed = 1 } = options;
  const features = expandFeatures(options.features, profiles);
  if (!features.length) throw new ValidationError('invalid discovery', [{ path: ['features'], message: 'no features: name fields, or families such as affinities.* that the profiles have' }]);
  const allRows = featureRows(profiles, features, nowMs);
  const kept = allRows.map((r, i) => (r.some((v) => v !== undefined) ? i : -1)).filter((i) => i >= 0);
  const rows = kept.map((i) => allRows[i]);
  const { min, max } = options.k ?? { min: 2, max: 8 };
  if (!(Number.isInteger(min) && Number.isInteger(max) && min >= 2 && min <= max)) throw new ValidationError('invalid discovery', [{ path: ['k'], message: 'k is a range of whole numbers from 2 up' }]);
  if (rows.length <= max) throw new ValidationError('invalid discovery', [{ path: ['k'], message: `${rows.length} users with features: too few for up to ${max} clusters` }]);
  const scaler = fitScaler(rows, scaling, imputation);
  const points = rows.map((r) => applyScaler(scaler, r));
  const sample = sampleOf(points.length, options.silhouetteSample ?? 2000, seed);
  const tried: { k: number; silhouette: number; eligible: boolean; clustering: Clustering }[] = [];
  const minSize = (options.minClusterShare ?? 0.05) * points.length;
  // One Ward tree serves every k; k-means runs afresh for each.
  const ward = method === 'ward' ? wardClustering(points) : undefined;
  for (let k = min; k <= max; k++) {
    const clustering = ward ? ward(k) : kmeansClustering(points, k, { seed, restarts: options.restarts });
    const labels = sample.map((i) => clustering.labels[i]);
    const distinct = new Set(labels).size;
    // Fewer clusters than asked for (duplicate points) or one only in the sample: no score.
    const silhouette = distinct >= 2 && distinct < labels.length ? meanSilhouette(sample.map((i) => points[i]), labels) : -1;
    const sizes = clustering.centroids.map((_, c) => clustering.labels.filter((l) => l === c).length);
    tried.push({ k, silhouette, eligible: Math.min(...sizes) >= minSize, clustering });
  }
  // The highest silhouette among the eligible; a tie goes to the smaller k, the simpler answer.
  const eligible = tried.some((t) => t.eligible) ? tried.filter((t) => t.eligible) : tried;
  const best = eligible.reduce((a, b) => (b.silhouette > a.silhouette + 1e-12 ? b : a));
  const { labels, centroids } = best.clustering;
  const names = labelClusters(features, points, labels, { words: options.words });
  const imputed = rows.map((r) => r.map((v, j) => v ?? scaler.fill[j]));
  const clusters = centroids.map((centroid, c) => {
    const members = imputed.filter((_, i) => labels[i] === c);
    return { label: names[c].label, suggestedId: names[c].suggestedId, size: members.length, centroid, means: features.map((_, j) => members.reduce((s, r) => s + r[j], 0) / members.length) };
  });
  const assignments = new Array<number>(profiles.length).fill(-1);
  kept.forEach((p, i) => (assignments[p] = labels[i]));
  return { method, features, scaler, k: centroids.length, silhouettes: tried.map(({ k, silhouette, eligible: ok }) => ({ k, silhouette, eligible: ok })), clusters, assignments, users: rows.length, seed };
}

/** Indices of a seeded sample of `size` of `n` (all of them, in order, when n ≤ size). */
function sampleOf(n: number, size: number, seed: number): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  if (n <= size) return all;
  const rng = mulberry32(seed ^ 0x5eed);
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(rng() * (n - i));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.slice(0, size).sort((a, b) => a - b);
}
