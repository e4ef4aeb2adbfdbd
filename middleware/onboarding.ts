import { createHash } from 'node:crypto';
import type { AttuneEvent } from '../src/core/event';
import { addOwn } from '../src/core/own';
import type { Profile } from '../src/core/profile';
import type { Reply } from '../src/core/turn';
import type { AttuneContext } from '../src/engine/context';
import type { Stage } from '../src/engine/turn-runner';
import { defaultOnboardingFlow } from '../src/onboarding/default-flow';
import { type OnboardingFlow, type OnboardingFlowInput, onboardingFlow, onboardingLanguage } from '../src/onboarding/flow';
import { ONBOARDING_SLOT, onboardingOf, onboardingSlotOf } from '../src/onboarding/state';
import { onboardingPrompt, type OnboardingPrompt, onboardingStep, type StepResult } from '../src/onboarding/step';

/** Event names the onboarding stage logs. */
export const ONBOARDING_EVENTS = {
  answered: 'Onboarding Answered',
  completed: 'Onboarding Completed',
  skipped: 'Onboarding Skipped',
} as const;

/**
 * What the onboarding stage adds to the turn: the question to ask on this turn's reply, or
 * undefined. Every adapter renders it after the bot's own replies, in the channel's format;
 * a bot that renders it itself sets it to undefined.
 */
export interface OnboardingFlavor {
  onboarding?: OnboardingPrompt;
}

/** Options of {@link onboarding}. */
export interface OnboardingStageOptions {
  /** The flow (validated; a ConfigError names what is wrong). Default: {@link defaultOnboardingFlow} of `categories`. */
  flow?: OnboardingFlow | OnboardingFlowInput;
  /** Catalog categories the default flow offers as interests (`createAttune` passes the catalog's). */
  categories?: readonly string[];
  /** Sessions a question may be asked in before an unanswered flow counts as skipped (default 2). */
  maxSessions?: number;
}

/**
 * Onboarding for first-time users: asks two or three questions with quick-reply answers
 * (interests, budget, whom they shop for) and seeds the profile with the answers: category
 * affinities at once, so the very next list follows them, and a budget that becomes the
 * default price filter of the user's recommendations. A user with a profile already is never
 * asked; "skip" ends the flow, and any other message right after a question pauses it for the
 * session. Answers are logged as `Onboarding Answered` events. Stores nothing itself: the
 * state goes to the profile and the session through effects. Needs consent to
 * personalization. Place it after the profile stage and before segments and recommendations.
 *
 * ```ts
 * const attune = createAttune({ catalog, stages: { onboarding: {} } }); // the default flow of the catalog's categories
 * // in the bot: getPersonalization(context)?.onboarding → { question, choices, skip }
 * ```
 */
export function onboarding(options: OnboardingStageOptions = {}): Stage<OnboardingFlavor> {
  // Parsing a parsed flow again gives it back: defaults are filled in once either way.
  const flow = options.flow ? onboardingFlow(options.flow) : defaultOnboardingFlow({ categories: options.categories ?? [] });
  const maxSessions = options.maxSessions ?? 2;
  return async function onboardingStage(ctx, next) {
    if (!ctx.degraded && ctx.allows('personalization')) {
      try {
        run(ctx, flow, maxSessions);
      } catch (err) {
        ctx.services.logger.warn({ err }, 'attune: onboarding failed on this turn; the turn runs without it');
      }
    }
    await next();
  };
}

function run(ctx: AttuneContext<OnboardingFlavor>, flow: OnboardingFlow, maxSessions: number): void {
  const { turn } = ctx;
  const p = ctx.personalization;
  const r = onboardingStep({
    flow,
    state: onboardingOf(p.profile),
    slot: onboardingSlotOf(p.session),
    newUser: p.firstVisit,
    message: turn.kind === 'message',
    text: turn.text,
    value: turn.value,
    at: turn.timestamp,
    maxSessions,
  });
  if (r.state) ctx.effects.profile(seeded(p.profile, r));
  if (r.slot) ctx.effects.session({ ...p.session, slots: { ...p.session.slots, [ONBOARDING_SLOT]: r.slot } });
  if (ctx.allows('analytics')) logOutcome(ctx, flow, r);
  if (r.ask) p.onboarding = onboardingPrompt(flow, r.ask, onboardingLanguage(turn.signals.locale ?? p.profile.context.locale));
}

/** The profile with the new state and, for an answer, its affinities added. */
function seeded(profile: Profile, r: StepResult): Profile {
  const out: Profile = { ...profile, onboarding: r.state };
  const add = r.answered?.answer.seeds.affinities;
  if (add) {
    out.affinities = { ...profile.affinities };
    for (const [category, weight] of Object.entries(add)) addOwn(out.affinities, category, weight);
  }
  return out;
}

function logOutcome(ctx: AttuneContext, flow: OnboardingFlow, r: StepResult): void {
  const { turn } = ctx;
  const base = { flow: flow.id, sessionId: turn.sessionId };
  if (r.answered) {
    const { question, answer } = r.answered;
    ctx.log(event(ctx, ONBOARDING_EVENTS.answered, 'answered', { ...base, question: question.id, answer: answer.value, step: flow.questions.indexOf(question) + 1, ...(answer.seeds.audience ? { audience: answer.seeds.audience } : {}) }));
  }
  if (r.outcome === 'completed' || r.outcome === 'skipped' || (r.outcome === 'paused' && r.state?.status === 'skipped')) {
    const done = r.state?.status === 'completed';
    ctx.log(event(ctx, done ? ONBOARDING_EVENTS.completed : ONBOARDING_EVENTS.skipped, done ? 'completed' : 'skipped', { ...base, answers: { ...r.state?.answers } }));
  }
}

function event(ctx: AttuneContext, name: string, suffix: string, properties: Record<string, unknown>): AttuneEvent {
  const { turn } = ctx;
  return {
    type: 'track',
    // From the turn's id, so a retried turn logs its answer once; hashed, so it fits a store's keys.
    messageId: `onboarding-${createHash('sha256').update(`${turn.id}\n${suffix}`).digest('hex').slice(0, 40)}`,
    userId: turn.userId,
    event: name,
    properties,
    traits: {},
    context: { channel: turn.channel, ...(turn.signals.locale ? { locale: turn.signals.locale } : {}) },
    timestamp: turn.timestamp,
    receivedAt: ctx.now(),
  };
}

/**
 * The question as a neutral reply, for adapters to send after the bot's own replies: the
 * question's text with the answers (and skip) as quick-reply choices.
 *
 * ```ts
 * const q = onboardingReply(ctx.personalization);
 * if (q) send(ctx.reply(q));
 * ```
 */
export function onboardingReply(p: object): Reply | undefined {
  // Any turn's personalization: the flavor is there only when the onboarding stage runs.
  const q = (p as OnboardingFlavor).onboarding;
  if (!q) return undefined;
  return { text: q.question, choices: [...q.choices, q.skip] };
}
