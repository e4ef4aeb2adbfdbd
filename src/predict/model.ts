import type { Predictions } from '../core/personalization';
import type { Profile } from '../core/profile';
import type { PropensityArtifact } from './artifact';
import { type CategoryOf, featureSchema, featuresOf, type FeatureSchema } from './features';
import { predictLogistic } from './logistic';

/**
 * A loaded propensity model: standardizes a feature row with the training statistics and
 * runs the overall head and each category's head. Immutable and synchronous, so every turn
 * can use it without I/O.
 *
 * ```ts
 * const model = new PropensityModel(parsePropensityArtifact(json));
 * model.predict(profile, Date.now(), (id) => catalog.get(id)?.category);
 * // { purchase: 0.62, byCategory: { running: 0.55, yoga: 0.03 }, modelVersion: 'p-3f9c2a1b7d04' }
 * ```
 */
export class PropensityModel {
  /** The artifact it was built from. */
  readonly artifact: PropensityArtifact;
  /** The named features it reads. */
  readonly schema: FeatureSchema;
  private readonly heads: [string, PropensityArtifact['overall']][];

  constructor(artifact: PropensityArtifact) {
    this.artifact = artifact;
    this.schema = featureSchema(artifact.categories);
    this.heads = Object.keys(artifact.byCategory)
      .sort()
      .map((c) => [c, artifact.byCategory[c]]);
  }

  /** The artifact's version, which every prediction names. */
  get version(): string {
    return this.artifact.version;
  }

  /** Predictions for a raw (unstandardized) feature row. */
  predictRow(raw: ArrayLike<number>): Predictions {
    const x = this.standardize(raw);
    const byCategory: Record<string, number> = {};
    for (const [c, head] of this.heads) byCategory[c] = predictLogistic(head, x);
    return { purchase: predictLogistic(this.artifact.overall, x), byCategory, modelVersion: this.artifact.version, horizonDays: this.artifact.horizonDays };
  }

  /** Predictions for a user whose profile is `profile`, at time `nowMs`. */
  predict(profile: Profile | null, nowMs: number, categoryOf: CategoryOf): Predictions {
    return this.predictRow(featuresOf(profile, nowMs, categoryOf, this.schema));
  }

  /** A raw row scaled by the training means and standard deviations. */
  standardize(raw: ArrayLike<number>): Float64Array {
    const { mean, scale } = this.artifact.standardization;
    const x = new Float64Array(mean.length);
    for (let j = 0; j < x.length; j++) x[j] = (raw[j] - mean[j]) / scale[j];
    return x;
  }
}
