import { createHash } from 'node:crypto';
import { AttuneEvents } from '../src/core/ecommerce';
import type { AttuneEvent } from '../src/core/event';
import type { Stage } from '../src/engine/turn-runner';
import type { AttuneContext } from '../src/engine/context';
import { MAX_ID_LENGTH } from '../src/core/validate';

/** Options of {@link turnLog}. */
export interface TurnLogOptions {
  /** Log turns that are not messages (conversation updates, events) too (default false). */
  nonMessages?: boolean;
}

/**
 * Logs both directions of every turn as `Message Received` / `Message Sent` track events,
 * with personal data redacted before anything is stored. Outgoing replies are logged after
 * the bot has run, with the text as it was actually sent (after tone rewriting).
 *
 * ```ts
 * attune.use(turnLog());
 * ```
 */
export function turnLog(options: TurnLogOptions = {}): Stage {
  return async function turnLogStage(ctx, next) {
    const { turn } = ctx;
    // Anonymous aggregate: counted whatever the user's consent.
    ctx.effects.count('agg', { turns: 1 });
    if (!ctx.allows('analytics')) return next();
    await next();
    // Built when the turn is written, after the bot has answered: only the store needs it.
    ctx.defer(() => {
      if (turn.kind === 'message' || options.nonMessages) {
        ctx.log(
          logged(ctx, eventId(turn.id || `${turn.sessionId}:${turn.timestamp}`), AttuneEvents.MessageReceived, {
            text: turn.text === undefined ? undefined : ctx.redact(turn.text),
            kind: turn.kind,
            intent: turn.intent,
            entities: turn.entities === undefined ? undefined : ctx.services.redactor.redactValue(turn.entities),
          }),
        );
      }
      ctx.sent.forEach((reply, i) => {
        ctx.log(
          logged(ctx, eventId(turn.id, `:out:${i}`), AttuneEvents.MessageSent, {
            text: reply.text === undefined ? undefined : ctx.redact(reply.text),
            replyTo: turn.id,
            tone: reply.tone,
            recommendations: reply.recommendations?.map((r) => r.itemId),
          }),
        );
      });
    });
  };
}

/**
 * An event id made from the turn's, fitting a store's keys: an adapter may pass an id of the
 * full 512 characters, and the suffix of a reply's id must not push its write over the limit
 * (the whole turn's write would fail with it). Too long, the turn's id is replaced by its hash.
 */
function eventId(base: string, suffix = ''): string {
  const id = `${base}${suffix}`;
  return id.length <= MAX_ID_LENGTH ? id : `${createHash('sha256').update(base).digest('hex')}${suffix}`;
}

function logged(ctx: AttuneContext, messageId: string, event: string, properties: Record<string, unknown>): AttuneEvent {
  const { turn } = ctx;
  const now = ctx.now();
  const props: Record<string, unknown> = { sessionId: turn.sessionId };
  for (const k in properties) if (properties[k] !== undefined) props[k] = properties[k];
  const context: AttuneEvent['context'] = { channel: turn.channel };
  if (turn.signals.locale) context.locale = turn.signals.locale;
  if (turn.signals.timezone) context.timezone = turn.signals.timezone;
  return {
    type: 'track',
    messageId,
    userId: turn.userId,
    event,
    properties: props,
    traits: {},
    context,
    timestamp: event === AttuneEvents.MessageReceived ? turn.timestamp : now,
    receivedAt: now,
  };
}
