/**
 * Attune's recommendation models behind one {@link Recommender} contract, with a factory by kind
 * and a loader for saved artifacts.
 *
 * ```ts
 * const model = createRecommender('ease');
 * model.fit({ interactions });
 * const saved = model.toArtifact();
 * loadRecommender(saved).recommend('u1', 10);
 * ```
 */
import { ConfigError } from '../../core/errors';
import type { ModelArtifact, Recommender } from '../recommender';
import { isRecord } from '../artifact';
import { Hybrid } from './hybrid';
import { createBase, isBaseKind, loadBase } from './registry';

export { Popularity, type PopularityParams } from './pop';
export { ItemKnn, type ItemKnnParams } from './itemknn';
export { Ease, type EaseParams } from './ease';
export { Als, type AlsParams } from './als';
export { MatrixFactorization, type MatrixFactorizationParams } from './mf';
export { ContentBased, type ContentBasedParams } from './content';
export { Rp3Beta, type Rp3BetaParams } from './rp3beta';
export { Hybrid, type HybridParams, type HybridPart } from './hybrid';
export { IdIndex } from './ids';
export { topK } from './topk';

/** Every model kind. */
export type ModelKind = 'pop' | 'itemknn' | 'ease' | 'als' | 'mf' | 'content' | 'rp3beta' | 'hybrid';

/** Every model kind, in the order reports list them. */
export const MODEL_KINDS: readonly ModelKind[] = Object.freeze(['pop', 'itemknn', 'ease', 'als', 'mf', 'content', 'rp3beta', 'hybrid'] as const);

/**
 * A new, untrained model of `kind` with `params` over the tuned defaults.
 *
 * ```ts
 * const als = createRecommender('als', { factors: 64 });
 * ```
 * @throws ConfigError on an unknown kind or bad params
 */
export function createRecommender(kind: ModelKind, params?: Record<string, unknown>): Recommender {
  if (isBaseKind(kind)) return createBase(kind, params);
  if (kind === 'hybrid') return new Hybrid(params);
  throw new ConfigError(`unknown model kind ${String(kind)} (known: ${MODEL_KINDS.join(', ')})`);
}

/**
 * A trained model restored from {@link Recommender.toArtifact}'s output.
 *
 * ```ts
 * const model = loadRecommender(JSON.parse(text));
 * ```
 * @throws ConfigError on an unknown kind or format, or a damaged artifact
 */
export function loadRecommender(artifact: ModelArtifact): Recommender {
  if (!isRecord(artifact)) throw new ConfigError('artifact is not an object');
  if (isBaseKind(artifact.kind)) return loadBase(artifact);
  if (artifact.kind === 'hybrid') return Hybrid.fromArtifact(artifact);
  throw new ConfigError(`unknown model kind in artifact: ${String(artifact.kind)} (known: ${MODEL_KINDS.join(', ')})`);
}
