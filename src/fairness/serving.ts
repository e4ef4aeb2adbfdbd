/**
 * A mitigation for serving: the trained model wrapped with the exposure-aware or the calibrated
 * re-ranker, built from the data the model was trained on (the long tail from its popularity,
 * each user's category mix from their history). A deployment serves it as its model; an
 * experiment serves it to one variant by name: `service.addModel('als:fair', mitigatedModel(…))`
 * and the variant's override `{ recommender: 'als:fair' }`.
 */
import { popularityOf } from '../evaluate/beyond';
import type { Interaction, ItemFeatures, Recommender } from '../recommend/recommender';
import { calibrate } from './calibrate';
import { withReranker } from './mitigated';
import { exposureRerank } from './rerank-exposure';

/** Which re-ranking mitigation to serve, and how strongly. */
export interface ServingMitigation {
  kind: 'none' | 'rerank' | 'calibrate';
  /** Exposure-deficit weight (rerank) or calibration λ in [0, 1] (calibrate); default 0.5. */
  strength?: number;
  /** Long-tail share of a list's exposure the exposure re-ranker aims at (default 0.3). */
  tailTarget?: number;
}

/**
 * `model` with the mitigation in front (the model itself for `none`). Users folded in after
 * training have no history here, so calibration leaves their lists as the model made them.
 *
 * ```ts
 * service.addModel('als:fair', mitigatedModel(als, { kind: 'rerank', strength: 1 }, { interactions: train, items }));
 * ```
 */
export function mitigatedModel(
  model: Recommender,
  mitigation: ServingMitigation,
  data: { interactions: readonly Interaction[]; items?: readonly ItemFeatures[] },
): Recommender {
  const strength = mitigation.strength ?? 0.5;
  if (mitigation.kind === 'none' || strength <= 0) return model;
  if (mitigation.kind === 'rerank') {
    const { tail } = popularityOf(data.interactions);
    const targets = { tail: mitigation.tailTarget ?? 0.3 };
    return withReranker(model, (_user, candidates, k) => exposureRerank(candidates, { k, strength, groupOf: (i) => (tail.has(i) ? 'tail' : 'head'), targets }));
  }
  const categories = new Map((data.items ?? []).map((i) => [i.id, i.categories ?? []]));
  const history = new Map<string, string[]>();
  for (const x of data.interactions) {
    const seen = history.get(x.user);
    if (seen) seen.push(x.item);
    else history.set(x.user, [x.item]);
  }
  return withReranker(model, (user, candidates, k) => calibrate(candidates, history.get(user) ?? [], { k, strength, categoriesOf: (i) => categories.get(i) ?? [] }));
}
