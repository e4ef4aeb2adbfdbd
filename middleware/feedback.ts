import { randomUUID } from 'node:crypto';
import { AttuneEvents } from '../src/core/ecommerce';
import type { Turn } from '../src/core/turn';
import { defineEffect } from '../src/engine/effects';
import type { Stage } from '../src/engine/turn-runner';
import type { Feedback } from '../src/learning/feedback-types';
import type { OnlineUpdates } from '../src/learning/online';
import { signalsOfEvent, signalsOfTurn } from '../src/learning/signals';

/** Reactions that count as positive feedback; others count as negative. */
const POSITIVE = new Set(['like', 'heart', 'laugh', '+1', 'thumbsup', 'positive', 'helpful']);

/**
 * What a "Was this helpful?" button sends back as the turn's value (a Bot Framework postback,
 * a Rasa button payload, a `/v1/turns` body's value): `helpful`, and the items it was about.
 */
export interface FeedbackValue {
  attune: 'feedback';
  helpful: boolean;
  /** The items of the list the question was asked about. */
  items?: string[];
}

/** Narrows a turn's value to a {@link FeedbackValue}. */
export function isFeedbackValue(v: unknown): v is FeedbackValue {
  if (typeof v !== 'object' || v === null) return false;
  const f = v as Record<string, unknown>;
  return f.attune === 'feedback' && typeof f.helpful === 'boolean' && (f.items === undefined || (Array.isArray(f.items) && f.items.length <= 50 && f.items.every((i) => typeof i === 'string' && i.length <= 512)));
}

/** The feedback a turn carries: a reaction to a message, or a "Was this helpful?" answer. */
function feedbackOf(turn: Turn): Record<string, unknown> | undefined {
  if (turn.kind === 'reaction' && turn.reaction) {
    return { reaction: turn.reaction.type, added: turn.reaction.added, positive: POSITIVE.has(turn.reaction.type.toLowerCase()), replyToId: turn.reaction.replyToId };
  }
  if (isFeedbackValue(turn.value)) return { reaction: turn.value.helpful ? 'helpful' : 'not helpful', added: true, positive: turn.value.helpful, items: turn.value.items ?? [] };
  return undefined;
}

/** Options of {@link feedback}. */
export interface FeedbackStageOptions {
  /**
   * Online updates between trainings: the turn's feedback (reactions, clicks, helpful answers,
   * button intents, the impressions it showed) updates the user's delta in the store, and
   * serving applies it (fold-in of positives, demotion of negatives and ignored items).
   */
  online?: OnlineUpdates;
  /** How long a turn waits at most for the user's delta from the store before serving without it (default 25 ms). */
  waitMs?: number;
}

/** Resolves when `work` settles or after `ms`, whichever is first; never rejects. */
async function within(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work.then(() => undefined, () => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/**
 * Records feedback on the bot's messages as `Feedback Given` events, so that later training
 * and experiments can learn from them: reactions (likes, thumbs down) and the answers to
 * "Was this helpful?" buttons whose value is a {@link FeedbackValue}. With `online`, the
 * feedback also updates the user's recommendations at once, on every replica.
 *
 * ```ts
 * attune.use(feedback({ online: new OnlineUpdates({ store: attune.store }) }));
 * // a button: { type: 'postBack', title: '👍', value: { attune: 'feedback', helpful: true, items } }
 * ```
 */
export function feedback(options: FeedbackStageOptions = {}): Stage {
  const { online } = options;
  const waitMs = options.waitMs ?? 25;
  // Written after the turn's batch, under the user's turn order: the delta follows the turn.
  const recorded = online && defineEffect<Feedback[]>('online-feedback', async (userId, values) => {
    await online.record(userId, values.flat());
  });
  return async function feedbackStage(ctx, next) {
    const { turn } = ctx;
    const given = feedbackOf(turn);
    if (given && ctx.allows('analytics')) {
      const at = ctx.now();
      ctx.log({
        type: 'track',
        messageId: turn.id || randomUUID(),
        userId: turn.userId,
        event: AttuneEvents.FeedbackGiven,
        properties: { ...given, sessionId: turn.sessionId },
        traits: {},
        context: { channel: turn.channel },
        timestamp: turn.timestamp,
        receivedAt: at,
      });
    }
    const personal = online !== undefined && ctx.allows('personalization');
    if (personal) {
      ctx.services.recommendations.setOnline(online);
      // Bounded: a slow store costs this turn at most waitMs, and it serves the copy it has.
      await within(
        online.load(turn.userId).catch((err: unknown) => ctx.services.logger.warn({ err }, 'attune: online delta could not be read')),
        waitMs,
      );
    }
    await next();
    if (personal && recorded) {
      const shown = ctx.effects.events.filter((e) => e.type === 'track' && e.event === AttuneEvents.RecommendationShown);
      const signals = [...signalsOfTurn(turn), ...shown.flatMap(signalsOfEvent)];
      const classified = online.classify(signals);
      if (classified.length) ctx.effects.add(recorded, classified);
    }
  };
}
