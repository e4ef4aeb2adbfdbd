import { z } from 'zod';
import type { AttuneEvent } from '../../core/event';
import { FeaturesSchema, RankActionSchema } from './schema';

/**
 * Decisions and rewards are events in the event log, under well-known names, so that they are
 * as durable as any event, experiments' metrics can count them, offline evaluation reads them
 * back, and every replica learns the same policy by folding the same rewards.
 */

/** Logged for each decision, with every action's propensity. */
export const RANK_DECIDED = 'Rank Decided';
/** Logged for each reward, the default one for a decision whose window closed without one included. */
export const REWARD_RECEIVED = 'Reward Received';

/** Who a rank event belongs to when the decision names no user. */
export const RANK_ANONYMOUS_ID = 'attune:rank';

/** Properties of `Rank Decided`. */
export const DecisionPropertiesSchema = z.object({
  eventId: z.string(),
  policy: z.string(),
  kind: z.string(),
  apprentice: z.boolean(),
  context: FeaturesSchema,
  actions: z.array(RankActionSchema).min(1),
  /** The action served. */
  chosen: z.string(),
  /** Action ids in ranked order. */
  ranking: z.array(z.string()),
  /** Probability of each action being served, in the order of `actions`. */
  probabilities: z.array(z.number()),
  /** Probability of the action served. */
  propensity: z.number(),
  /** In apprentice mode: what the learned policy would have played. */
  learned: z.string().optional(),
  /** When the reward wait window closes (ISO 8601). */
  rewardDeadline: z.string(),
});
/** Properties of `Rank Decided`. */
export type DecisionProperties = z.infer<typeof DecisionPropertiesSchema>;

/** Properties of `Reward Received`: self-contained, so that a replica can learn from it alone. */
export const RewardPropertiesSchema = z.object({
  eventId: z.string(),
  policy: z.string(),
  value: z.number(),
  /** True when no reward came within the window and the configured default stands in. */
  defaulted: z.boolean(),
  context: FeaturesSchema,
  action: RankActionSchema,
});
/** Properties of `Reward Received`. */
export type RewardProperties = z.infer<typeof RewardPropertiesSchema>;

/** A track event of the rank loop. */
export function rankEvent(name: string, messageId: string, userId: string, properties: DecisionProperties | RewardProperties, now: Date): AttuneEvent {
  const at = now.toISOString();
  return { type: 'track', event: name, messageId, userId, properties: { ...properties }, traits: {}, context: {}, timestamp: at, receivedAt: at };
}

/** The message ids that make a decision and its reward unique in the log. */
export const decisionMessageId = (eventId: string) => `rank:${eventId}`;
/** The reward's: claimed by the first reward, real or default, so that a decision is rewarded once. */
export const rewardMessageId = (eventId: string) => `reward:${eventId}`;

/** A `Rank Decided` event's properties, or undefined for any other (or malformed) event. */
export function decisionOf(e: AttuneEvent): DecisionProperties | undefined {
  if (e.event !== RANK_DECIDED) return undefined;
  const p = DecisionPropertiesSchema.safeParse(e.properties);
  return p.success ? p.data : undefined;
}

/** A `Reward Received` event's properties, or undefined for any other (or malformed) event. */
export function rewardOf(e: AttuneEvent): RewardProperties | undefined {
  if (e.event !== REWARD_RECEIVED) return undefined;
  const p = RewardPropertiesSchema.safeParse(e.properties);
  return p.success ? p.data : undefined;
}
