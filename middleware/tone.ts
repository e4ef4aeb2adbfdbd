import type { Personalization, ToneName } from '../src/core/personalization';
import type { Stage } from '../src/engine/turn-runner';
import { chooseTone, type ToneInputs } from '../src/tone/policy';
import { rewrite } from '../src/tone/rewrite';
import type { ToneTemplate } from '../src/tone/templates';
import { overridesFor } from './experiment';

/** What the tone stage adds to the turn: the tone replies are written in. */
export type ToneFlavor = Pick<Personalization, 'tone'>;

/** Options of {@link tone}. */
export interface ToneStageOptions {
  /** Templates per tone, merged over the engine's (its `tones` option and the defaults). */
  templates?: Partial<Record<ToneName, Partial<ToneTemplate>>>;
  /** Tone when nothing else decides (default: the engine's `defaultTone`). */
  defaultTone?: ToneName;
  /**
   * Named tone policies an experiment's variant may pick (`overrides.tonePolicy`); an unknown
   * name, or none, uses the standard policy (`chooseTone`).
   */
  policies?: Readonly<Record<string, (inputs: ToneInputs) => ToneName>>;
}

/**
 * Chooses the turn's tone (frustration → empathetic; else the user's stated preference; else
 * their segment's tone; else the default) and rewrites every outgoing text through that
 * tone's template. The first reply of a new session gets the template's greeting.
 *
 * ```ts
 * attune.use(tone({ templates: { friendly: { greeting: 'Hey {name}!' } } }));
 * ```
 */
export function tone(options: ToneStageOptions = {}): Stage<ToneFlavor> {
  let merged: Readonly<Record<ToneName, ToneTemplate>> | undefined;
  let mergedFrom: Readonly<Record<ToneName, ToneTemplate>> | undefined;
  const templatesOver = (base: Readonly<Record<ToneName, ToneTemplate>>) => {
    if (!options.templates) return base;
    if (mergedFrom !== base) {
      const out = { ...base };
      for (const [name, t] of Object.entries(options.templates) as [ToneName, Partial<ToneTemplate>][]) out[name] = { ...out[name], ...t };
      merged = out;
      mergedFrom = base;
    }
    return merged as Readonly<Record<ToneName, ToneTemplate>>;
  };
  return async function toneStage(ctx, next) {
    const { turn, services } = ctx;
    const p = ctx.personalization;
    const templates = templatesOver(services.tones);
    const personal = ctx.allows('personalization');
    // An experiment's variant may fix the tone or pick a policy (see experiment.ts).
    const o = overridesFor(p);
    const policy = (o.tonePolicy !== undefined && options.policies && Object.hasOwn(options.policies, o.tonePolicy) ? options.policies[o.tonePolicy] : undefined) ?? chooseTone;
    p.tone =
      o.tone ??
      policy({
        preferred: personal ? p.profile.traits.tone : undefined,
        text: turn.kind === 'message' ? turn.text : undefined,
        segmentTone: personal ? services.segments.toneFor(p.segments) : undefined,
        fallback: options.defaultTone ?? services.defaultTone,
      });
    const firstOfSession = !p.session.turns.some((t) => t.direction === 'out');
    let replies = 0;
    ctx.onReply(function applyTone(reply) {
      const first = firstOfSession && replies++ === 0;
      if (!reply.text) return { ...reply, tone: p.tone };
      const name = typeof p.profile.traits.firstName === 'string' ? p.profile.traits.firstName : undefined;
      return { ...reply, text: rewrite(reply.text, templates[p.tone], { firstReply: first, vars: { name } }), tone: p.tone };
    });
    await next();
  };
}
