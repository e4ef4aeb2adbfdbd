import type { Personalization, Recommendation } from '../../src/core/personalization';
import { onboardingReply } from '../../middleware/onboarding';
import type { Reply, Turn } from '../../src/core/turn';
import type { Attune } from '../../src/engine/attune';
import type { AttuneContext } from '../../src/engine/context';
import type { CxMergeBehavior, CxWebhookRequest } from './cx-schema';
import type { EsWebhookRequest } from './es-schema';

/** The request a handler answers, tagged with its Dialogflow edition. */
export type DialogflowRequest = { edition: 'es'; body: EsWebhookRequest } | { edition: 'cx'; body: CxWebhookRequest };

/** What a handler receives: the request and what Attune decided about the user. */
export interface DialogflowHandlerContext {
  readonly attune: Attune;
  readonly personalization: Personalization;
  readonly request: DialogflowRequest;
  /** ES: the matched intent's display name. CX: the matched intent's display name, if any. */
  readonly intent?: string;
  /** CX: the fulfillment's tag. */
  readonly tag?: string;
  /** ES: `queryResult.parameters`. CX: session parameters overlaid with the intent's. */
  readonly parameters: Record<string, unknown>;
  /** What the user said (or the event/intent that triggered the fulfillment). */
  readonly queryText?: string;
  /** The agent's own response texts for this turn, before tone. */
  readonly agentText: readonly string[];
}

/** What a handler answers. Everything is optional: an empty answer keeps the agent's text. */
export interface DialogflowAnswer {
  /** Messages to send instead of the agent's, rewritten in the user's tone. */
  text?: string | readonly string[];
  /** Attach recommendations to the first message (`true`, or how many and in which style). */
  recommend?: Reply['recommend'];
  /** Extra parameters: on the `attune` output context (ES) or the session (CX). */
  parameters?: Record<string, unknown>;
  /** CX only: how the messages combine with the agent's (default `APPEND` for handler texts). */
  mergeBehavior?: CxMergeBehavior;
}

/**
 * Your fulfillment code for one ES intent or CX tag.
 *
 * ```ts
 * const browse: DialogflowHandler = ({ personalization }) => ({
 *   text: personalization.firstVisit ? 'Welcome! Popular right now:' : 'Picked for you:',
 *   recommend: { k: 3, style: 'carousel' },
 * });
 * ```
 */
export type DialogflowHandler = (ctx: DialogflowHandlerContext) => DialogflowAnswer | void | Promise<DialogflowAnswer | void>;

/** The outcome of one fulfilled turn. */
export interface Fulfilled {
  ctx: AttuneContext;
  replies: Reply[];
  answer?: DialogflowAnswer;
  /** True when the texts are the agent's own (rewritten), not a handler's. */
  agentTexts: boolean;
}

/**
 * Runs one turn through Attune around the developer's handler (if any) and collects the
 * replies after tone and recommendations. A failing handler is logged and the agent's own
 * text goes out: Dialogflow would otherwise fall back to the static response anyway.
 */
export async function fulfill(
  attune: Attune,
  turn: Turn,
  base: Omit<DialogflowHandlerContext, 'attune' | 'personalization'>,
  handler: DialogflowHandler | undefined,
  defaultRecommend: Reply['recommend'],
): Promise<Fulfilled> {
  const out: Omit<Fulfilled, 'ctx'> = { replies: [], agentTexts: true };
  const ctx = await attune.handle(turn, async (ctx) => {
    if (handler) {
      try {
        out.answer = (await handler({ ...base, attune, personalization: ctx.personalization })) ?? undefined;
      } catch (err) {
        attune.logger.error({ err, intent: base.intent, tag: base.tag }, 'attune/dialogflow: handler failed; answering with the agent text');
      }
    }
    const answer = out.answer;
    const own = answer?.text === undefined ? [] : typeof answer.text === 'string' ? [answer.text] : [...answer.text];
    out.agentTexts = own.length === 0;
    const texts: (string | undefined)[] = own.length ? own : [...base.agentText];
    const recommend = answer?.recommend ?? defaultRecommend;
    if (!texts.length && recommend) texts.push(undefined);
    out.replies = texts.map((text, i) => ctx.reply({ text, recommend: i === 0 ? recommend : undefined }));
    // Onboarding's question goes after the answer's own messages, with its choices as quick replies.
    const question = ctx.degraded ? undefined : onboardingReply(ctx.personalization);
    if (question) out.replies.push(ctx.reply(question));
  }, { adapter: 'dialogflow' });
  return { ctx, ...out };
}

/** The recommendations shown on this turn, else the ones computed for the user. */
export function shownOrComputed(f: Fulfilled, k: number): Recommendation[] {
  const shown = f.replies.flatMap((r) => r.recommendations ?? []);
  return shown.length ? shown : f.ctx.personalization.recommendations.slice(0, k);
}

/** The categories the user likes most, strongest first. */
export function favouriteCategories(p: Personalization, n = 3): string[] {
  return Object.entries(p.profile.affinities)
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([c]) => c);
}

/** The user's experiments as `{ experimentId: variantId }`, the shape parameters and slots carry. */
export function variantsById(p: Pick<Personalization, 'experiments'>): Record<string, string> {
  return Object.fromEntries((p.experiments ?? []).map((e) => [e.id, e.variant]));
}
