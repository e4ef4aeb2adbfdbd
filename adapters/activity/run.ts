import { EcommerceEvents } from '../../src/core/ecommerce';
import type { Personalization } from '../../src/core/personalization';
import type { Attune } from '../../src/engine/attune';
import { MAX_ID_LENGTH } from '../../src/core/validate';
import { onboardingReply } from '../../middleware/onboarding';
import { applyReply, type CardKind, choicesActivity, clickedItem, type WireReply } from './reply';
import { toReply, toTurn } from './turn';

/** Options of an Activity-protocol middleware; `A` is the SDK's Activity, `C` its TurnContext. */
export interface ActivityMiddlewareOptions<A, C> {
  /**
   * Maps an activity to the user id Attune keys data by (default: `from.id`, the channel's
   * user id). Return the bot's own user id to share profiles across channels and with the
   * REST API.
   */
  userId?: (activity: A) => string | undefined;
  /**
   * The turn's intent, when the bot's recognizer (LUIS, CLU, a regex) knows it before the
   * pipeline runs: it feeds the session context and intent-based recommendation policies.
   */
  intent?: (context: C) => string | undefined | Promise<string | undefined>;
  /**
   * Consent the channel carries on this activity (a web chat's cookie banner in
   * `channelData`, an adaptive-card answer), by purpose. It is recorded before the turn runs,
   * so it already applies to this turn.
   */
  consent?: (activity: A) => Record<string, boolean> | undefined;
}

/** What the middleware needs of one SDK's turn, in that SDK's terms. */
export interface ActivityTurn<A, C> {
  context: C;
  activity: A;
  /** Keeps the personalization where the bot's `getPersonalization(context)` finds it. */
  keep(p: Personalization): void;
  /** Runs `rewrite` on every batch of outgoing activities before it is sent (`onSendActivities`). */
  onSend(rewrite: (activities: WireReply[]) => void): void;
  /** Sends one more activity on the turn (it goes through `onSend` like the bot's own). */
  send(activity: WireReply): Promise<void>;
  next(): Promise<void>;
}

/** How one SDK's middleware differs: its name for the hooks, its cards, whether card clicks are tracked. */
export interface ActivityAdapter {
  adapter: string;
  /** The card a carousel is made of on a channel. */
  cards(channelId: string | undefined): CardKind;
  /** Track a click on a card's "View" button as `Product Clicked` (with the item's category). */
  clicks: boolean;
}

/**
 * One turn of an Activity-protocol bot through Attune: the activity becomes a neutral turn,
 * the pipeline runs around the bot, outgoing messages are rewritten (tone, recommendations as
 * suggested actions or a carousel). A failure inside Attune never breaks the turn: the bot
 * still answers, unpersonalized.
 */
export async function runActivityTurn<A extends object, C>(attune: Attune, options: ActivityMiddlewareOptions<A, C>, t: ActivityTurn<A, C>, how: ActivityAdapter): Promise<void> {
  const activity = t.activity as A & { from?: { id?: unknown }; channelId?: string; value?: unknown };
  let userId: unknown;
  try {
    userId = options.userId?.(t.activity) ?? activity.from?.id;
  } catch (err) {
    attune.logger.error({ err }, 'attune: userId mapping failed; turn runs without Attune');
  }
  if (typeof userId !== 'string' || !userId || userId.length > MAX_ID_LENGTH) {
    if (userId) attune.logger.warn({ length: String(userId).length }, 'attune: the user id is not a string of at most 512 characters; turn runs without Attune');
    return t.next();
  }
  try {
    const consent = options.consent?.(t.activity);
    if (consent && Object.keys(consent).length) await attune.setConsent(userId, consent);
  } catch (err) {
    attune.logger.warn({ err }, 'attune: consent from the channel could not be recorded');
  }
  const turn = toTurn(t.activity, userId, new Date(attune.clock()));
  try {
    turn.intent = (await options.intent?.(t.context)) ?? undefined;
  } catch (err) {
    attune.logger.warn({ err }, 'attune: intent mapping failed; turn runs without an intent');
  }
  const cards = how.cards(activity.channelId);
  const user = userId;
  await attune.handle(turn, async (ctx) => {
    t.keep(ctx.personalization);
    const clicked = how.clicks ? clickedItem(turn.value) : undefined;
    if (clicked && !ctx.degraded) await trackClick(attune, user, clicked);
    t.onSend((activities) => {
      for (const a of activities) {
        if (a.type !== 'message') continue;
        try {
          applyReply(a, ctx.reply(toReply(a)), cards);
        } catch (err) {
          attune.logger.error({ err }, 'attune: could not personalize a reply; sent as written');
        }
      }
    });
    await t.next();
    // Onboarding's question goes after the bot's replies, so its quick replies are the last shown.
    const question = ctx.degraded ? undefined : onboardingReply(ctx.personalization);
    if (question) {
      try {
        await t.send(choicesActivity(question));
      } catch (err) {
        attune.logger.warn({ err }, 'attune: the onboarding question could not be sent');
      }
    }
  }, { adapter: how.adapter });
}

/** A click on a recommendation's card, as an event: it joins the running turn, so the reply already follows it. */
async function trackClick(attune: Attune, userId: string, itemId: string): Promise<void> {
  try {
    const item = attune.catalog.get(itemId);
    await attune.track({ userId, event: EcommerceEvents.ProductClicked, properties: { product_id: itemId, ...(item ? { category: item.category } : {}), source: 'card' } });
  } catch (err) {
    attune.logger.warn({ err }, 'attune: a card click could not be recorded');
  }
}

/** The part of an SDK's TurnContext the middleware uses; botbuilder's and the Agents SDK's both have it. */
export interface SdkTurnContext<A, R> {
  readonly activity: A;
  readonly turnState: { set(key: symbol, value: unknown): unknown };
  onSendActivities(handler: (context: unknown, activities: A[], next: () => Promise<R>) => Promise<R>): unknown;
  sendActivity(activity: A): Promise<unknown>;
}

/**
 * The {@link ActivityTurn} of an SDK's TurnContext: the personalization is kept in
 * `turnState` under `key`, and outgoing activities are rewritten in `onSendActivities`.
 */
export function sdkTurn<A extends WireReply, R, C extends SdkTurnContext<A, R>>(context: C, next: () => Promise<void>, key: symbol): ActivityTurn<A, C> {
  return {
    context,
    activity: context.activity,
    next,
    keep: (p) => context.turnState.set(key, p),
    send: async (activity) => {
      await context.sendActivity(activity as A);
    },
    onSend: (rewrite) =>
      context.onSendActivities(async (_c, activities, nextSend) => {
        rewrite(activities);
        return nextSend();
      }),
  };
}
