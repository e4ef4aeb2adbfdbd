import { type Activity, ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import type { Personalization } from '../../src/core/personalization';
import type { Reply } from '../../src/core/turn';
import type { Attune } from '../../src/engine/attune';
import { type ActivityAdapter, type ActivityMiddlewareOptions, runActivityTurn, sdkTurn } from '../activity/run';
import { CHANNEL_DATA_KEY } from '../activity/turn';

const PERSONALIZATION = Symbol('attune.personalization');

/** Options of {@link AttuneMiddleware}. */
export type AttuneMiddlewareOptions = ActivityMiddlewareOptions<Partial<Activity>, TurnContext>;

/** botbuilder's channels get hero cards, as before Adaptive Cards were offered. */
const BOTBUILDER: ActivityAdapter = { adapter: 'botbuilder', cards: () => 'hero', clicks: false };

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
    return runActivityTurn(this.attune, this.options, sdkTurn(context, next, PERSONALIZATION), BOTBUILDER);
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
