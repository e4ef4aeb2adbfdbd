import { type Activity, ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import type { Personalization } from '../../src/core/personalization';
import type { Reply } from '../../src/core/turn';
import type { Attune } from '../../src/engine/attune';
import { MAX_ID_LENGTH } from '../../src/core/validate';
import { applyReply, CHANNEL_DATA_KEY, toReply, toTurn } from './translate';

const PERSONALIZATION = Symbol('attune.personalization');

/** Options of {@link AttuneMiddleware}. */
export interface AttuneMiddlewareOptions {
  /**
   * Maps an activity to the user id Attune keys data by (default: `from.id`, the channel's
   * user id). Return the bot's own user id to share profiles across channels and with the
   * REST API.
   */
  userId?: (activity: Partial<Activity>) => string | undefined;
  /**
   * The turn's intent, when the bot's recognizer (LUIS, CLU, a regex) knows it before the
   * pipeline runs: it feeds the session context and intent-based recommendation policies.
   */
  intent?: (context: TurnContext) => string | undefined | Promise<string | undefined>;
  /**
   * Consent the channel carries on this activity (a web chat's cookie banner in
   * `channelData`, an adaptive-card answer), by purpose. It is recorded before the turn runs,
   * so it already applies to this turn.
   *
   * ```ts
   * new AttuneMiddleware(attune, { consent: (a) => (a.channelData as { consent?: Record<string, boolean> })?.consent })
   * ```
   */
  consent?: (activity: Partial<Activity>) => Record<string, boolean> | undefined;
}

/**
 * Bot Framework middleware: every turn runs through Attune's pipeline, the bot reads the
 * result with {@link getPersonalization}, and outgoing activities are rewritten in
 * `onSendActivities` (tone, recommendations as suggested actions or a carousel). A failure
 * inside Attune never breaks the turn: the bot still answers, unpersonalized.
 *
 * ```ts
 * const attune = createAttune({ catalog });
 * adapter.use(new AttuneMiddleware(attune));
 * ```
 */
export class AttuneMiddleware implements Middleware {
  constructor(
    private readonly attune: Attune,
    private readonly options: AttuneMiddlewareOptions = {},
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const activity = context.activity;
    let userId: string | undefined;
    try {
      userId = this.options.userId?.(activity) ?? activity.from?.id;
    } catch (err) {
      this.attune.logger.error({ err }, 'attune: userId mapping failed; turn runs without Attune');
    }
    if (typeof userId !== 'string' || !userId || userId.length > MAX_ID_LENGTH) {
      if (userId) this.attune.logger.warn({ length: String(userId).length }, 'attune: the user id is not a string of at most 512 characters; turn runs without Attune');
      return next();
    }
    try {
      const consent = this.options.consent?.(activity);
      if (consent && Object.keys(consent).length) await this.attune.setConsent(userId, consent);
    } catch (err) {
      this.attune.logger.warn({ err }, 'attune: consent from the channel could not be recorded');
    }
    const turn = toTurn(activity, userId, new Date(this.attune.clock()));
    try {
      turn.intent = (await this.options.intent?.(context)) ?? undefined;
    } catch (err) {
      this.attune.logger.warn({ err }, 'attune: intent mapping failed; turn runs without an intent');
    }
    await this.attune.handle(turn, async (ctx) => {
      context.turnState.set(PERSONALIZATION, ctx.personalization);
      context.onSendActivities(async (_c, activities, nextSend) => {
        for (const a of activities) {
          if (a.type !== ActivityTypes.Message) continue;
          try {
            applyReply(a, ctx.reply(toReply(a)));
          } catch (err) {
            this.attune.logger.error({ err }, 'attune: could not personalize a reply; sent as written');
          }
        }
        return nextSend();
      });
      await next();
    }, { adapter: 'botbuilder' });
  }
}

/**
 * What Attune decided for this turn: profile, segments, recommendations, tone. Undefined when
 * the middleware is not installed or the turn has no user.
 *
 * ```ts
 * const p = getPersonalization(context);
 * await context.sendActivity(`Picked for you: ${p?.recommendations[0]?.item?.title}`);
 * ```
 */
export function getPersonalization(context: TurnContext): Personalization | undefined {
  return context.turnState.get(PERSONALIZATION) as Personalization | undefined;
}

/**
 * Marks a reply so that Attune attaches the user's recommendations to it.
 *
 * ```ts
 * await context.sendActivity(withRecommendations('Here are some ideas:', { style: 'carousel', k: 3 }));
 * ```
 */
export function withRecommendations(activityOrText: string | Partial<Activity>, options: true | Exclude<Reply['recommend'], boolean | undefined> = true): Partial<Activity> {
  const activity: Partial<Activity> = typeof activityOrText === 'string' ? { type: ActivityTypes.Message, text: activityOrText } : { ...activityOrText };
  const data = (activity.channelData as Record<string, unknown> | undefined) ?? {};
  activity.channelData = { ...data, [CHANNEL_DATA_KEY]: { recommend: options } };
  return activity;
}
