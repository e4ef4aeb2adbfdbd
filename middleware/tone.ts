import type { Stage } from '../src/engine/attune';
import { chooseTone } from '../src/tone/policy';
import { rewrite } from '../src/tone/rewrite';

/**
 * Chooses the turn's tone (frustration → empathetic; else the user's stated preference; else
 * their segment's tone; else the default) and rewrites every outgoing text through that
 * tone's template. The first reply of a new session gets the template's greeting.
 *
 * ```ts
 * attune.use(tone());
 * ```
 */
export function tone(): Stage {
  return async function toneStage(ctx, next) {
    const { attune, turn } = ctx;
    const p = ctx.personalization;
    const personal = ctx.allows('personalization');
    p.tone = chooseTone({
      preferred: personal ? p.profile.traits.tone : undefined,
      text: turn.kind === 'message' ? turn.text : undefined,
      segmentTone: personal ? attune.segments.toneFor(p.segments) : undefined,
      fallback: attune.defaultTone,
    });
    const firstOfSession = !p.session.turns.some((t) => t.direction === 'out');
    let replies = 0;
    ctx.onReply(function applyTone(reply) {
      const first = firstOfSession && replies++ === 0;
      if (!reply.text) return { ...reply, tone: p.tone };
      const name = typeof p.profile.traits.firstName === 'string' ? p.profile.traits.firstName : undefined;
      return { ...reply, text: rewrite(reply.text, attune.tones[p.tone], { firstReply: first, vars: { name } }), tone: p.tone };
    });
    await next();
  };
}
