/**
 * A model with a re-ranker in front: it asks the model for a longer candidate list and lets the
 * re-ranker choose the k it shows, scored by rank with the model's own scores. Everything else (training, fold-in, artifacts) is the model's
 * own, so a mitigated model trains, evaluates and serves wherever a model does.
 */
import type { FitOptions, Interaction, ModelArtifact, RecommendOptions, Recommender, Scored, TrainingData } from '../recommend/recommender';

/** Re-ranks one user's candidates (best first) to a list of `k`. */
export type Reranker = (user: string, candidates: readonly Scored[], k: number) => Scored[];

/** Candidates asked of the model per list, when not given: enough for a re-ranker to choose from. */
export const DEFAULT_CANDIDATES = 100;

/**
 * Wraps `model` so that every list goes through `rerank`.
 *
 * ```ts
 * const fair = withReranker(createRecommender('ease'), (u, c, k) => exposureRerank(c, { k, strength: 0.5, groupOf, targets }));
 * evaluate(fair, train, test);
 * ```
 */
export function withReranker(model: Recommender, rerank: Reranker, candidates = DEFAULT_CANDIDATES): Recommender {
  return {
    get kind() {
      return model.kind;
    },
    fit: (data: TrainingData, options?: FitOptions) => model.fit(data, options),
    recommend: (user: string, k: number, options?: RecommendOptions) => {
      const pool = model.recommend(user, Math.max(k, candidates), options);
      // The re-ranked items take the model's scores by rank, so whoever sorts by score (the
      // serving blend) keeps the re-ranked order, on the model's own scale.
      return rerank(user, pool, k).map((s, r) => ({ item: s.item, score: pool[r].score }));
    },
    similar: (item: string, k: number) => model.similar(item, k),
    foldIn: (user: string, interactions: readonly Interaction[]) => model.foldIn(user, interactions),
    knowsUser: (user: string) => model.knowsUser(user),
    toArtifact: (): ModelArtifact => model.toArtifact(),
  };
}
