import { randomUUID } from 'node:crypto';
import { AttuneEvents } from '../src/core/ecommerce';
import type { Stage } from '../src/engine/turn-runner';

/** Reactions that count as positive feedback; others count as negative. */
const POSITIVE = new Set(['like', 'heart', 'laugh', '+1', 'thumbsup', 'positive', 'helpful']);

/**
 * Records reactions to the bot's messages (likes, thumbs down) as `Feedback Given` events,
 * so that later training and experiments can learn from them.
 *
 * ```ts
 * attune.use(feedback());
 * ```
 */
export function feedback(): Stage {
  return async function feedbackStage(ctx, next) {
    const { turn } = ctx;
    if (turn.kind === 'reaction' && turn.reaction && ctx.allows('analytics')) {
      const at = ctx.now();
      ctx.log({
        type: 'track',
        messageId: turn.id || randomUUID(),
        userId: turn.userId,
        event: AttuneEvents.FeedbackGiven,
        properties: {
          reaction: turn.reaction.type,
          added: turn.reaction.added,
          positive: POSITIVE.has(turn.reaction.type.toLowerCase()),
          replyToId: turn.reaction.replyToId,
          sessionId: turn.sessionId,
        },
        traits: {},
        context: { channel: turn.channel },
        timestamp: turn.timestamp,
        receivedAt: at,
      });
    }
    await next();
  };
}
