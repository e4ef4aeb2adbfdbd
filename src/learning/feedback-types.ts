/**
 * Feedback types as configuration, after Gorse's `positive_feedback_types`,
 * `read_feedback_types` and `negative_feedback_types`: each type says which native signals it
 * covers (event names, reactions, button intents, "Was this helpful?" answers, rating and dwell
 * thresholds), whether it is positive, a read (an impression) or negative, its weight and how
 * long it counts (TTL). Pure: a {@link FeedbackSignal} in, the {@link Feedback} it is out.
 */
import { z } from 'zod';

/** What a feedback type says about the items: interest, a mere impression, or disinterest. */
export type FeedbackKind = 'positive' | 'read' | 'negative';

const Names = z.array(z.string().min(1).max(128)).max(64);

/** One feedback type of the configuration (see {@link FeedbackConfig}). */
export const FeedbackTypeSchema = z
  .object({
    /** The type's name, as reports and the online state call it (`purchase`, `thumbs_down`). */
    name: z.string().min(1).max(64),
    kind: z.enum(['positive', 'read', 'negative']),
    /** How strongly it counts: fold-in weight for positives, demotion strength for negatives (capped at 1). */
    weight: z.number().positive().max(100),
    /** How long it counts, in seconds; an expired signal is forgotten. */
    ttlSeconds: z.number().int().positive().max(5 * 365 * 86_400),
    /** Event names (`Order Completed`, `Recommendation Shown`). */
    events: Names.optional(),
    /** Reaction types (`like`, `dislike`), case-insensitive. */
    reactions: Names.optional(),
    /** Intents of button payloads (Rasa `/not_interested`, a Dialogflow intent). */
    intents: Names.optional(),
    /** The answer to "Was this helpful?" this type covers. */
    helpful: z.boolean().optional(),
    /** Card clicks (a postback naming an item). */
    clicks: z.boolean().optional(),
    /** Only signals carrying a rating at least this (inclusive). */
    minRating: z.number().optional(),
    /** Only signals carrying a rating at most this (inclusive). */
    maxRating: z.number().optional(),
    /** Only signals whose dwell time is at least this many milliseconds, where channels report it. */
    minDwellMs: z.number().nonnegative().optional(),
  })
  .strict();

/** One feedback type. */
export type FeedbackType = z.output<typeof FeedbackTypeSchema>;

/** The feedback configuration: the types, and when impressions turn into an implicit negative. */
export const FeedbackConfigSchema = z
  .object({
    types: z.array(FeedbackTypeSchema).min(1).max(64),
    /** Shown this many times without a positive signal, an item counts as ignored (default 3). */
    ignoredAfter: z.number().int().min(1).max(100).default(3),
    /**
     * Demotion strength of an ignored item, in (0, 1] (default 0.15; an explicit negative of
     * weight 1 is 1): enough to let the next items into a list shown again, while an item the
     * user later takes to can still come back.
     */
    ignoredWeight: z.number().positive().max(1).default(0.15),
  })
  .strict();

/** The feedback configuration, parsed. */
export type FeedbackConfig = z.output<typeof FeedbackConfigSchema>;

const DAY = 86_400;

/** Default types: Segment's e-commerce events, common reactions, Attune's buttons and intents. */
export const DEFAULT_FEEDBACK_TYPES: readonly FeedbackType[] = [
  { name: 'purchase', kind: 'positive', weight: 5, ttlSeconds: 180 * DAY, events: ['Order Completed'] },
  { name: 'add_to_cart', kind: 'positive', weight: 3, ttlSeconds: 90 * DAY, events: ['Product Added', 'Product Added to Wishlist'] },
  { name: 'click', kind: 'positive', weight: 1.5, ttlSeconds: 30 * DAY, events: ['Product Clicked'], clicks: true },
  { name: 'thumbs_up', kind: 'positive', weight: 2, ttlSeconds: 90 * DAY, reactions: ['like', 'heart', '+1', 'thumbsup', 'positive', 'helpful'], intents: ['feedback_positive', 'helpful', 'more_like_this'], helpful: true },
  { name: 'rating_high', kind: 'positive', weight: 3, ttlSeconds: 180 * DAY, events: ['Product Reviewed', 'Feedback Given'], intents: ['rate'], minRating: 4 },
  { name: 'long_view', kind: 'positive', weight: 1, ttlSeconds: 30 * DAY, events: ['Product Viewed'], minDwellMs: 10_000 },
  { name: 'shown', kind: 'read', weight: 1, ttlSeconds: 7 * DAY, events: ['Recommendation Shown'] },
  { name: 'thumbs_down', kind: 'negative', weight: 1, ttlSeconds: 30 * DAY, reactions: ['dislike', '-1', 'thumbsdown', 'negative', 'angry', 'sad'], intents: ['feedback_negative', 'not_interested', 'not_helpful'], helpful: false },
  { name: 'rating_low', kind: 'negative', weight: 1, ttlSeconds: 90 * DAY, events: ['Product Reviewed', 'Feedback Given'], intents: ['rate'], maxRating: 2 },
];

/**
 * Parses a feedback configuration (zod at the edge); without one, the defaults.
 *
 * ```ts
 * feedbackConfig({ types: [{ name: 'star', kind: 'positive', weight: 2, ttlSeconds: 86400, reactions: ['star'] }] });
 * ```
 */
export function feedbackConfig(input: unknown = { types: DEFAULT_FEEDBACK_TYPES }): FeedbackConfig {
  return FeedbackConfigSchema.parse(input);
}

/**
 * A native signal, already translated from its framework by {@link signalsOfTurn} or
 * {@link signalsOfEvent}: what happened and about which items.
 */
export interface FeedbackSignal {
  /** An event name, a reaction, a button intent, a helpful answer or a card click. */
  source: 'event' | 'reaction' | 'intent' | 'helpful' | 'click';
  /** The event name, reaction type or intent; `yes`/`no` for a helpful answer; `click` for a click. */
  name: string;
  /** The items it is about; empty when the channel does not say (a reaction to a message). */
  items: readonly string[];
  rating?: number;
  dwellMs?: number;
  /** Epoch milliseconds. */
  at: number;
}

/** A signal classified by its type. */
export interface Feedback {
  type: string;
  kind: FeedbackKind;
  weight: number;
  items: readonly string[];
  at: number;
  /** Epoch milliseconds after which it no longer counts. */
  expiresAt: number;
}

function covers(type: FeedbackType, s: FeedbackSignal): boolean {
  const name = s.name.toLowerCase();
  const named =
    (s.source === 'event' && (type.events?.includes(s.name) ?? false)) ||
    (s.source === 'reaction' && (type.reactions?.some((r) => r.toLowerCase() === name) ?? false)) ||
    (s.source === 'intent' && (type.intents?.some((i) => i.toLowerCase() === name) ?? false)) ||
    (s.source === 'helpful' && type.helpful !== undefined && type.helpful === (s.name === 'yes')) ||
    (s.source === 'click' && type.clicks === true);
  if (!named) return false;
  // A threshold a signal cannot be checked against does not match: a review without a rating is no "rating ≥ 4".
  if (type.minRating !== undefined && !(s.rating !== undefined && s.rating >= type.minRating)) return false;
  if (type.maxRating !== undefined && !(s.rating !== undefined && s.rating <= type.maxRating)) return false;
  if (type.minDwellMs !== undefined && !(s.dwellMs !== undefined && s.dwellMs >= type.minDwellMs)) return false;
  return true;
}

/**
 * The feedback a signal is: the first type that covers it (types are tried in order, so a
 * specific type listed first wins over a broad one), or undefined when none does.
 *
 * ```ts
 * classify({ source: 'reaction', name: 'dislike', items: ['p1'], at: 0 }, feedbackConfig()); // thumbs_down, negative
 * ```
 */
export function classify(signal: FeedbackSignal, config: FeedbackConfig): Feedback | undefined {
  const type = config.types.find((t) => covers(t, signal));
  if (!type) return undefined;
  return { type: type.name, kind: type.kind, weight: type.weight, items: signal.items, at: signal.at, expiresAt: signal.at + type.ttlSeconds * 1000 };
}
