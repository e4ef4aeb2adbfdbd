import type { Personalization, ToneName } from '../src/core/personalization';
import type { Stage } from '../src/engine/turn-runner';
import { mergeTemplates, type ToneOverrides, type ToneTemplatesByLanguage } from '../src/tone/locales';
import { firstNameOf } from '../src/tone/name';
import { chooseTone, type ToneInputs } from '../src/tone/policy';
import { speak } from '../src/tone/speak';
import type { ToneTemplate } from '../src/tone/templates';
import { overridesFor } from './experiment';

/** What the tone stage adds to the turn: the tone replies are written in. */
export type ToneFlavor = Pick<Personalization, 'tone'>;

/** Options of {@link tone}. */
export interface ToneStageOptions {
  /** English templates per tone, merged over the engine's (its `tones` option and the defaults). */
  templates?: Partial<Record<ToneName, Partial<ToneTemplate>>>;
  /** Templates of any language (`de`, `es`, `fr`, `en`), merged over the engine's. */
  languages?: ToneOverrides;
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
 * tone's template in the text's own language (en, de, es, fr); text in a language it cannot
 * tell is left as the bot wrote it. The first reply of a new session gets the template's
 * greeting (unless the bot greets already), and only the first reply of a turn its prefix.
 * `{name}` is the user's first name, from the channel (`turn.userName`) or the `firstName`
 * trait, and only with consent to personalization; the channel's name is used for the turn
 * and not kept.
 *
 * ```ts
 * attune.use(tone({ templates: { friendly: { greeting: 'Hey {name}!' } } }));
 * ```
 */
export function tone(options: ToneStageOptions = {}): Stage<ToneFlavor> {
  const overrides: ToneOverrides | undefined = options.templates || options.languages ? { ...options.languages, en: { ...options.languages?.en, ...options.templates } } : undefined;
  let merged: ToneTemplatesByLanguage | undefined;
  let mergedFrom: ToneTemplatesByLanguage | undefined;
  const templatesOver = (base: ToneTemplatesByLanguage) => {
    if (mergedFrom !== base) {
      merged = mergeTemplates(base, overrides);
      mergedFrom = base;
    }
    return merged as ToneTemplatesByLanguage;
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
    const trait = p.profile.traits.firstName;
    const fromChannel = personal ? firstNameOf(turn.userName) : undefined;
    const name = fromChannel ?? (personal && typeof trait === 'string' ? firstNameOf(trait) : undefined);
    // The channel's name is for this turn's replies only: the log and the session keep a placeholder.
    if (fromChannel) ctx.forget(fromChannel);
    let replies = 0;
    ctx.onReply(function applyTone(reply) {
      if (!reply.text) return { ...reply, tone: p.tone };
      const firstOfTurn = replies++ === 0;
      return { ...reply, text: speak(reply.text, templates, p.tone, { firstReply: firstOfSession && firstOfTurn, firstOfTurn, vars: { name } }), tone: p.tone };
    });
    await next();
  };
}
