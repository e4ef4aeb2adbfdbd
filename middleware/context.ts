import type { Stage } from '../src/engine/turn-runner';

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
    const p = ctx.personalization;
    // The session read from the store is frozen: each change builds a new value that shares
    // what it did not change.
    const s = p.session;
    let turns = s.turns;
    if (turn.kind === 'message') turns = keepLast(turns, { direction: 'in', text: turn.text && ctx.redact(turn.text), intent: turn.intent, at: turn.timestamp }, maxTurns);
    ctx.effects.session({
      ...s,
      lastActiveAt: turn.timestamp,
      turns,
      intents: turn.intent ? keepLast(s.intents, turn.intent, maxIntents) : s.intents,
      entities: turn.entities ? { ...s.entities, ...ctx.services.redactor.redactValue(turn.entities) } : s.entities,
    });
    await next();
    const at = ctx.now();
    ctx.defer(() => {
      for (const reply of ctx.sent) if (reply.text) ctx.effects.session({ ...p.session, turns: keepLast(p.session.turns, { direction: 'out', text: ctx.redact(reply.text), at }, maxTurns) });
    });
  };
}

/** `list` with `item` appended, keeping the last `max`. A loop, not `slice`: `list` is frozen, and V8 slices frozen arrays slowly. */
function keepLast<T>(list: readonly T[], item: T, max: number): T[] {
  const out: T[] = [];
  for (let i = Math.max(0, list.length - max + 1); i < list.length; i++) out.push(list[i]);
  out.push(item);
  return out;
}
