import type { CatalogItem } from './catalog';
import type { Profile } from './profile';
import type { Session } from './session';

/** The tones Attune can speak in. `neutral` leaves text as the bot wrote it. */
export type ToneName = 'neutral' | 'formal' | 'friendly' | 'concise' | 'empathetic';

/**
 * What an experiment's variant changes in a turn. Every field is optional; an empty object is
 * the control. The zod schema of definitions (`experiments/definition.ts`) has this shape.
 */
export interface TurnOverrides {
  /** Recommender (model) name to serve, e.g. `popular`, `itemknn`. */
  recommender?: string;
  /** A stored model artifact version to serve instead of the latest (recorded; not served per variant yet). */
  modelVersion?: number;
  /** Weights of the score's parts: `model`, `affinity`, `popularity`. */
  blend?: Record<string, number>;
  /** How many items to recommend. */
  k?: number;
  /** Diversity strength in [0, 1] (0 = pure relevance). */
  diversity?: number;
  /** A fixed tone for the reply. */
  tone?: ToneName;
  /** A named tone policy (how tone is chosen). */
  tonePolicy?: string;
  /** A named recommendation policy: `personalized` (default) or `popular`. */
  policy?: string;
  /** A message variant for the bot's own code to render. */
  message?: string;
}

/** The variant of one experiment the user is in on this turn. */
export interface ExperimentVariant {
  /** The experiment's id. */
  id: string;
  /** The variant's id. */
  variant: string;
  overrides: TurnOverrides;
}

/** One recommended item, with why it was chosen. */
export interface Recommendation {
  itemId: string;
  score: number;
  /** Short machine-readable reason: `affinity:running`, `model:itemknn`, `popular`, `popular:locale=de-DE`, `catalog`. */
  reason: string;
  /** The reason in words, in the user's language, for adapters to show ("because you viewed …"). */
  explanation: string;
  /** The catalog entry, when the item is in the catalog. */
  item?: CatalogItem;
}

/**
 * What a propensity model predicts about the user on this turn (see src/predict): the
 * likelihood of an order within the model's horizon, overall and per category.
 */
export interface Predictions {
  /** Probability of completing an order within `horizonDays`. */
  purchase: number;
  /** Probability of ordering an item of each category within `horizonDays` (categories with a model head). */
  byCategory: Record<string, number>;
  /** The version of the model that predicted (a hash of its artifact). */
  modelVersion: string;
  /** The horizon of the predictions, in days. */
  horizonDays: number;
}

/**
 * Everything Attune decided about the current turn's user. Stages fill it in; the bot's own
 * code and the adapters read it.
 */
export interface Personalization {
  userId: string;
  /**
   * The user's profile. Read-only, frozen in depth once stored (stores deal in immutable
   * values); a stage that changes it assigns a changed copy (`p.profile = applyTurn(...)`).
   */
  profile: Profile;
  /** The session's short-term context; read-only like `profile`. */
  session: Session;
  /** Segment ids the user is in now. */
  segments: string[];
  /** Segments entered and left on this turn. */
  entered: string[];
  exited: string[];
  recommendations: Recommendation[];
  tone: ToneName;
  /** Experiment variant of the first experiment the user is in, when an experiment runs. */
  variant?: string;
  /** Every experiment the user is in on this turn, in the registry's order, with its overrides. */
  experiments?: ExperimentVariant[];
  /**
   * What the variants change in the turn, merged over the experiments (the first experiment
   * that sets a field wins). Stages read the fields that concern them.
   */
  overrides?: TurnOverrides;
  /** True on the user's first ever turn. */
  firstVisit: boolean;
  /**
   * Purchase propensity, when a propensity model is loaded and the user allows
   * personalization (the predict stage fills it in); absent otherwise.
   */
  predictions?: Predictions;
}
