import type { Personalization, Recommendation } from '../../src/core/personalization';
import { onboardingReply } from '../../middleware/onboarding';
import type { Reply } from '../../src/core/turn';
import type { Attune } from '../../src/engine/attune';
import { onboardingFilter } from '../../src/onboarding/state';
import { withDefaultFilter } from '../../src/recommend/filter';
import type { AttuneContext } from '../../src/engine/context';
import { type RasaActionCall, type RasaButton, type RasaResponse, type RasaResultEvent, type RasaTracker, slotSet } from './schema';
import { type ButtonFor, toResponse } from './translate';

/** What an action says, like `dispatcher.utter_message(…)` with Attune's `recommend` added. */
export interface RasaUtterance {
  /** Rewritten in the user's tone before it is sent. */
  text?: string;
  /** Attach the user's recommendations as buttons (`true`, or how many and in which style). */
  recommend?: Reply['recommend'];
  buttons?: RasaButton[];
  /** A response of the domain (`utter_…`) for Rasa to render instead of `text`. */
  response?: string;
  custom?: Record<string, unknown>;
  image?: string;
}

/** What an action receives: the Rasa call and what Attune decided about the user. */
export interface RasaActionContext {
  readonly attune: Attune;
  readonly personalization: Personalization;
  readonly call: RasaActionCall;
  readonly tracker: RasaTracker;
  readonly domain: Record<string, unknown>;
  /** The form (active loop) running, if any. */
  readonly activeLoop: string | undefined;
  /** A slot's value from the tracker. */
  slot(name: string): unknown;
  /** Sends a message (tone applied, recommendations attached when asked). */
  utter(message: RasaUtterance | string): void;
  /** The user's top `k` recommendations now (computed in memory, no I/O). */
  recommendations(k?: number): Recommendation[];
}

/**
 * A custom action: like a rasa-sdk `Action.run`, it sends messages through `ctx.utter` and
 * returns the events to apply (`slotSet(…)`, …).
 *
 * ```ts
 * const greet: RasaAction = (ctx) => {
 *   ctx.utter({ text: `Welcome back! Still into ${ctx.personalization.profile.affinities.running ? 'running' : 'sport'}?` });
 *   return [slotSet('returning', !ctx.personalization.firstVisit)];
 * };
 * ```
 */
export type RasaAction = (ctx: RasaActionContext) => Promise<RasaResultEvent[] | void> | RasaResultEvent[] | void;

/**
 * Thrown by an action that refuses to run (a form that cannot validate): answered with 400
 * `{ error, action_name }`, which Rasa reads as `ActionExecutionRejection` and lets another
 * policy choose.
 */
export class ActionRejection extends Error {
  constructor(message = 'action rejected execution') {
    super(message);
    this.name = 'ActionRejection';
  }
}

/** The action context over one Attune turn; collects the responses it is asked to send. */
export class ActionRun implements RasaActionContext {
  readonly responses: RasaResponse[] = [];
  readonly personalization: Personalization;
  readonly attune: Attune;

  constructor(
    private readonly ctx: AttuneContext,
    attune: Attune,
    readonly call: RasaActionCall,
    private readonly button: ButtonFor,
    private readonly k: number,
  ) {
    this.personalization = ctx.personalization;
    this.attune = attune;
  }

  get tracker(): RasaTracker {
    return this.call.tracker;
  }

  get domain(): Record<string, unknown> {
    return this.call.domain;
  }

  get activeLoop(): string | undefined {
    return this.call.tracker.active_loop?.name ?? undefined;
  }

  slot(name: string): unknown {
    return this.call.tracker.slots[name];
  }

  utter(message: RasaUtterance | string): void {
    const m = typeof message === 'string' ? { text: message } : message;
    // A domain response is rendered by Rasa: only its recommendations pass through Attune.
    const reply = this.ctx.reply({ text: m.response ? undefined : m.text, recommend: m.recommend });
    this.responses.push(toResponse(reply, m, this.button));
  }

  /**
   * Sends the onboarding question of the turn, if any, as a response whose buttons send each
   * answer's label back as the user's text.
   */
  askOnboarding(): void {
    const q = onboardingReply(this.personalization);
    if (!q) return;
    const reply = this.ctx.reply({ text: q.text });
    this.responses.push(toResponse(reply, { buttons: (q.choices ?? []).map((c) => ({ title: c.label.slice(0, 80), payload: c.label })) }, this.button));
  }

  recommendations(k = this.k): Recommendation[] {
    const p = this.personalization;
    if (p.recommendations.length >= k) return p.recommendations.slice(0, k);
    // Follow-up turns (a second action after the same message) skip the per-turn computation.
    return this.attune.recommendations.recommend({ userId: p.userId, profile: p.profile, k, context: { ...p.profile.context, channel: this.ctx.turn.channel }, filter: withDefaultFilter(onboardingFilter(p.profile), this.ctx.turn.filter) });
  }
}

/** Options of the built-in actions. */
export interface BuiltInOptions {
  /** Text of `action_attune_recommend` (default "Here are a few picks for you:"). */
  recommendText?: string;
  /** Text when there is nothing to recommend (default "I don't have anything to suggest yet."). */
  emptyText?: string;
  /** How many items (default 3). */
  k?: number;
}

/** Names of the built-in actions, to list under `actions:` in the domain. */
export const BUILT_IN_ACTIONS = {
  recommend: 'action_attune_recommend',
  personalize: 'action_attune_personalize',
} as const;

/** Slots `action_attune_personalize` sets, to declare in the domain. */
export const ATTUNE_SLOTS = {
  segments: 'attune_segments',
  tone: 'attune_tone',
  recommendations: 'attune_recommendations',
  /** The user's experiment variant (the first experiment's), or null outside experiments. */
  variant: 'attune_variant',
} as const;

/** The built-in actions: recommendations as buttons, and the personalization as slots. */
export function builtInActions(options: BuiltInOptions = {}): Record<string, RasaAction> {
  const k = options.k ?? 3;
  return {
    [BUILT_IN_ACTIONS.recommend]: (ctx) => {
      const has = ctx.recommendations(k).length > 0;
      ctx.utter(has ? { text: options.recommendText ?? 'Here are a few picks for you:', recommend: { k } } : (options.emptyText ?? "I don't have anything to suggest yet."));
    },
    [BUILT_IN_ACTIONS.personalize]: (ctx) => [
      slotSet(ATTUNE_SLOTS.segments, ctx.personalization.segments),
      slotSet(ATTUNE_SLOTS.tone, ctx.personalization.tone),
      slotSet(
        ATTUNE_SLOTS.recommendations,
        ctx.recommendations(k).map((r) => r.itemId),
      ),
      slotSet(ATTUNE_SLOTS.variant, ctx.personalization.variant ?? null),
    ],
  };
}
