import { MessageFactory, type Middleware, type TurnContext } from '@microsoft/agents-hosting';
import type { Personalization } from '../../src/core/personalization';
import type { Reply } from '../../src/core/turn';
import type { Attune } from '../../src/engine/attune';
import type { CardKind } from '../activity/reply';
import { type ActivityAdapter, type ActivityMiddlewareOptions, runActivityTurn, sdkTurn } from '../activity/run';
import { CHANNEL_DATA_KEY } from '../activity/turn';

const PERSONALIZATION = Symbol('attune.agents.personalization');

/** The SDK's Activity (from `@microsoft/agents-activity`, which the hosting package brings). */
export type AgentActivity = TurnContext['activity'];

/** Channels that render Adaptive Cards (elsewhere a carousel is made of hero cards). */
export const ADAPTIVE_CARD_CHANNELS: ReadonlySet<string> = new Set(['msteams', 'webchat', 'directline', 'emulator', 'outlook', 'm365extensions', 'test']);

/** Options of {@link AttuneMiddleware}. */
export interface AttuneMiddlewareOptions extends ActivityMiddlewareOptions<AgentActivity, TurnContext> {
  /** The cards of a carousel: `auto` (default) is Adaptive Cards where the channel renders them, hero cards elsewhere. */
  cards?: CardKind | 'auto';
  /** Track clicks on a recommendation card's "View" button as `Product Clicked` (default true). */
  trackClicks?: boolean;
}

/**
 * Microsoft 365 Agents SDK middleware: every turn runs through Attune's pipeline, the agent
 * reads the result with {@link getPersonalization}, and outgoing activities are rewritten in
 * `onSendActivities` (tone; recommendations as suggested actions, or a carousel of Adaptive
 * Cards where the channel supports them). Reactions (Teams' like, thumbs down) and "Was this
 * helpful?" answers are recorded as feedback, and a click on a card's "View" as
 * `Product Clicked`. A failure inside Attune never breaks the turn: the agent still answers,
 * unpersonalized. The same features as `attune/botbuilder`, on the Agents SDK.
 *
 * ```ts
 * const adapter = new AttuneAgentsAdapter(loadAuthConfigFromEnv(), { logger: attune.logger });
 * adapter.use(new AttuneMiddleware(attune));
 * ```
 */
export class AttuneMiddleware implements Middleware {
  private readonly how: ActivityAdapter;

  constructor(
    private readonly attune: Attune,
    private readonly options: AttuneMiddlewareOptions = {},
  ) {
    const cards = options.cards ?? 'auto';
    this.how = {
      adapter: 'agents',
      cards: (channelId) => (cards !== 'auto' ? cards : ADAPTIVE_CARD_CHANNELS.has(channelId ?? '') ? 'adaptive' : 'hero'),
      clicks: options.trackClicks ?? true,
    };
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    return runActivityTurn(this.attune, this.options, sdkTurn(context, next, PERSONALIZATION), this.how);
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
 * Marks a reply so that Attune attaches the user's recommendations to it (an activity given is
 * marked in place: the SDK's Activity is a class, which a copy would not keep).
 *
 * ```ts
 * await context.sendActivity(withRecommendations('Here are some ideas:', { style: 'carousel', k: 3 }));
 * ```
 */
export function withRecommendations(activityOrText: string | AgentActivity, options: true | Exclude<Reply['recommend'], boolean | undefined> = true): AgentActivity {
  const activity = typeof activityOrText === 'string' ? MessageFactory.text(activityOrText) : activityOrText;
  const data = (activity.channelData as Record<string, unknown> | undefined) ?? {};
  activity.channelData = { ...data, [CHANNEL_DATA_KEY]: { recommend: options } };
  return activity;
}
