import { PROPENSITY_ARTIFACT, PROPENSITY_FORMAT, propensityVersion, type PropensityArtifact } from '../../src/predict/artifact';
import { featureSchema } from '../../src/predict/features';
import { PropensityModel } from '../../src/predict/model';

/**
 * A hand-made propensity model over the small test catalog's categories, so that serving
 * tests know what it predicts: overall, cart adds in the last 30 days raise the propensity
 * (none: 0.05; two: 0.80); per category, items of it seen in the last 7 days (none: 0.05;
 * two: 0.55 with weight 3). Features are not scaled (means 0, scales 1).
 */
export function plantedArtifact(categories: readonly string[] = ['camping', 'running', 'yoga']): PropensityArtifact {
  const schema = featureSchema(categories);
  const d = schema.names.length;
  const weights = (name: string, w: number) => schema.names.map((n) => (n === name ? w : 0));
  const byCategory = Object.fromEntries(categories.map((c) => [c, { intercept: -3, weights: weights(`cat_items_7d:${c}`, 3) }]));
  const parts = { horizonDays: 7, features: [...schema.names], standardization: { mean: new Array<number>(d).fill(0), scale: new Array<number>(d).fill(1) }, overall: { intercept: -3, weights: weights('carts_30d', 4) }, byCategory };
  return {
    kind: PROPENSITY_ARTIFACT,
    format: PROPENSITY_FORMAT,
    version: propensityVersion(parts),
    trainedAt: '2026-01-01T00:00:00.000Z',
    l2: 1,
    categories: [...categories],
    ...parts,
    training: { rows: 0, positives: 0, cutoffs: [] },
  };
}

/** The hand-made model, loaded. */
export function plantedModel(categories?: readonly string[]): PropensityModel {
  return new PropensityModel(plantedArtifact(categories));
}
