import { randomUUID } from 'node:crypto';
import { AttuneEvents } from '../src/core/ecommerce';
import type { Turn } from '../src/core/turn';
import type { Stage } from '../src/engine/turn-runner';

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

/**
 * Records feedback on the bot's messages as `Feedback Given` events, so that later training
 * and experiments can learn from them: reactions (likes, thumbs down) and the answers to
 * "Was this helpful?" buttons whose value is a {@link FeedbackValue}.
 *
 * ```ts
 * attune.use(feedback());
 * // a button: { type: 'postBack', title: '👍', value: { attune: 'feedback', helpful: true, items } }
 * ```
 */
export function feedback(): Stage {
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
    await next();
  };
}
