import type { SessionTurn } from '../src/core/session';
import type { Stage } from '../src/engine/attune';

/** Options of {@link sessionContext}. */
export interface SessionContextOptions {
  /** How many turns (both directions) the session remembers (default 10). */
  maxTurns?: number;
  /** How many intents it remembers (default 20). */
  maxIntents?: number;
}

/**
 * Keeps the session's short-term context: the last turns (text redacted), intents, the
 * latest value of each entity, and slots. The store expires it after inactivity.
 *
 * ```ts
 * attune.use(sessionContext({ maxTurns: 20 }));
 * ```
 */
export function sessionContext(options: SessionContextOptions = {}): Stage {
  const maxTurns = options.maxTurns ?? 10;
  const maxIntents = options.maxIntents ?? 20;
  return async function sessionContextStage(ctx, next) {
    if (!ctx.allows('personalization')) return next();
    const { turn } = ctx;
    const s = ctx.personalization.session;
    const remember = (t: SessionTurn) => {
      s.turns.push(t);
      if (s.turns.length > maxTurns) s.turns.splice(0, s.turns.length - maxTurns);
    };
    s.lastActiveAt = turn.timestamp;
    if (turn.kind === 'message') remember({ direction: 'in', text: turn.text && ctx.redact(turn.text), intent: turn.intent, at: turn.timestamp });
    if (turn.intent) {
      s.intents.push(turn.intent);
      if (s.intents.length > maxIntents) s.intents.splice(0, s.intents.length - maxIntents);
    }
    if (turn.entities) Object.assign(s.entities, ctx.attune.redactor.redactValue(turn.entities));
    ctx.pending.session = true;
    await next();
    const at = new Date(ctx.attune.clock()).toISOString();
    ctx.defer(() => {
      for (const reply of ctx.sent) if (reply.text) remember({ direction: 'out', text: ctx.redact(reply.text), at });
    });
  };
}
