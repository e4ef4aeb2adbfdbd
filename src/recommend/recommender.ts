/**
 * The contract every recommendation model implements. Model code is pure: arrays in, arrays
 * out, no I/O, deterministic under a seed. Users and items are opaque string ids here; models
 * index them internally.
 */

/** One user–item interaction: a view, a purchase, a rating. */
export interface Interaction {
  user: string;
  item: string;
  /** Strength of the signal: a rating, or an implicit weight (view 1, purchase 5). */
  weight: number;
  /** When it happened, epoch milliseconds. */
  time: number;
  /** Where it happened (locale, channel…): context-aware popularity counts per key=value. */
  context?: Readonly<Record<string, string>>;
}

/** What a content model may know about an item. */
export interface ItemFeatures {
  id: string;
  /** Free text: title, description. */
  text?: string;
  /** Categories, genres, tags. */
  categories?: readonly string[];
}

/** Everything a model is trained on. */
export interface TrainingData {
  interactions: readonly Interaction[];
  /** Optional item side information (content-based and hybrid models use it). */
  items?: readonly ItemFeatures[];
}

/** Progress of a training run, reported through {@link FitOptions.onProgress}. */
export interface Progress {
  /** What is being done, e.g. `epoch` or `users`. */
  stage: string;
  done: number;
  total: number;
}

/** Options common to every model's `fit`. */
export interface FitOptions {
  /** Seed for every random choice; same seed, same model. */
  seed?: number;
  onProgress?: (p: Progress) => void;
}

/** Signals about the request, used by context-aware fallbacks (popular in this locale). */
export type RecommendContext = Readonly<Record<string, string | undefined>>;

/** Options of {@link Recommender.recommend}. */
export interface RecommendOptions {
  /** Leave out items the user interacted with in training or fold-in (default true). */
  excludeSeen?: boolean;
  /** Keep only items for which this returns true. */
  filter?: (item: string) => boolean;
  context?: RecommendContext;
}

/** An item with its score; higher is better. Lists are sorted by score, descending. */
export interface Scored {
  item: string;
  score: number;
}

/** A model saved for later: plain JSON, versioned by `format`. */
export interface ModelArtifact {
  /** Model kind, e.g. `itemknn`; selects the loader. */
  kind: string;
  /** Artifact format version of that kind. */
  format: number;
  /** Hyper-parameters the model was trained with. */
  params: Record<string, unknown>;
  /** Model state; numeric arrays are stored base64-encoded. */
  state: Record<string, unknown>;
}

/**
 * A trained (or trainable) recommendation model.
 *
 * ```ts
 * const model = new ItemKnn({ neighbours: 50 });
 * model.fit({ interactions });
 * model.recommend('u1', 10, { excludeSeen: true });
 * ```
 */
export interface Recommender {
  /** Model kind, e.g. `pop`, `itemknn`, `ease`, `als`, `mf`, `content`, `hybrid`. */
  readonly kind: string;
  /** Trains from scratch on `data`, replacing any previous state. */
  fit(data: TrainingData, options?: FitOptions): void;
  /** Top-k items for a user known at training time or folded in since; [] for an unknown user. */
  recommend(user: string, k: number, options?: RecommendOptions): Scored[];
  /** Items most like `item`; [] for an unknown item. */
  similar(item: string, k: number): Scored[];
  /** Adds or replaces a user from their interactions, without retraining. */
  foldIn(user: string, interactions: readonly Interaction[]): void;
  /** True when the model can say something personal about this user. */
  knowsUser(user: string): boolean;
  /** Serializes the trained state. */
  toArtifact(): ModelArtifact;
}
