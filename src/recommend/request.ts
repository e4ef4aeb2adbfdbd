import type { RecommendFilter } from '../core/filter';
import type { Profile } from '../core/profile';

/** How the parts of a score are weighted. */
export interface ScoreWeights {
  model: number;
  affinity: number;
  popularity: number;
}

/** One request for recommendations. */
export interface RecommendRequest {
  userId: string;
  profile: Profile | null;
  k: number;
  /** Locale, channel…: picks the popularity ranking for cold users. */
  context?: Readonly<Record<string, string | undefined>>;
  /** Items never to return (besides what the user bought). */
  exclude?: Iterable<string>;
  /** Weights of this request's score parts over the service's (an experiment's `blend`). */
  weights?: Partial<ScoreWeights>;
  /**
   * Which model scores: a name given to {@link RecommendationService.addModel}, the served
   * model's kind, or `none` (affinity and popularity only). Default: the served model. An
   * unknown name serves the served model.
   */
  model?: string;
  /** Keep only items that pass (price range, categories, tags). */
  filter?: RecommendFilter;
  /** MMR strength in [0, 1] for this request (default: the service's). */
  diversity?: number;
  /** Cap of items per category for this request (default: the service's). */
  maxPerCategory?: number;
  /** The user's purchase propensity per category (`personalization.predictions.byCategory`), for the boost. */
  propensity?: Readonly<Record<string, number>>;
  /** The propensity boost of this request (default: the service's). */
  propensityBoost?: number;
}
