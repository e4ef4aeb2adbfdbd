import type { Profile } from '../../core/profile';
import type { LiveSegmentation } from './artifact';
import { featureRow } from './features';
import { applyScaler } from './scale';
import { euclidean } from './silhouette';

/**
 * Live membership of an accepted segmentation: a user belongs to the segment whose centroid
 * is nearest to their features, read and scaled as at discovery. A user none of whose
 * features is known yet belongs to none (they would land wherever the imputed values put
 * them). Pure; runs on every turn and event that evaluates segments.
 *
 * ```ts
 * const live = new NearestCentroid(await loadLiveSegmentation(store));
 * live.assign(profile, Date.now()); // 'big-spenders'
 * ```
 */
export class NearestCentroid {
  /** The segment ids, in the order of the segmentation. */
  readonly ids: readonly string[];

  constructor(private readonly live: LiveSegmentation) {
    this.ids = live.segments.map((s) => s.id);
  }

  /** The segment of the nearest centroid, or undefined when no feature of the user is known. */
  assign(profile: Profile, nowMs: number): string | undefined {
    const row = featureRow(profile, this.live.features, nowMs);
    if (row.every((v) => v === undefined)) return undefined;
    const point = applyScaler(this.live.scaler, row);
    let best: { id: string; d: number } | undefined;
    for (const s of this.live.segments) {
      const d = euclidean(point, s.centroid);
      // Ties go to the first segment, so the answer never flips between equal centroids.
      if (!best || d < best.d) best = { id: s.id, d };
    }
    return best?.id;
  }
}
