import { randomUUID } from 'node:crypto';
import { AttuneEvents } from '../src/core/ecommerce';
import type { RecommendFilter } from '../src/core/filter';
import type { Personalization, Recommendation } from '../src/core/personalization';
import type { RecommendationStyle } from '../src/core/turn';
import type { Stage } from '../src/engine/turn-runner';
import { onboardingFilter } from '../src/onboarding/state';
import { daypartFor, isSmallScreen } from '../src/recommend/context';
import { refineFilter, withDefaultFilter } from '../src/recommend/filter';
import { overridesFor } from './experiment';

/** What the recommend stage adds to the turn: the user's recommendations, computed on first use. */
export type RecommendationsFlavor = Pick<Personalization, 'recommendations'>;

/** When recommendations are attached to replies without the bot asking. */
export interface RecommendPolicy {
  /** Attach to the first reply of turns with one of these intents. */
  intents?: readonly string[];
  /** Attach to the first reply of every message turn that mentions a catalog category. */
  onMention?: boolean;
  /** Attach to the first reply of every turn. */
  always?: boolean;
}

/** Options of {@link recommendations}. */
export interface RecommendStageOptions {
  /** How many to compute per turn (default 5). */
  k?: number;
  /** Default presentation (default `suggestions`). */
  style?: RecommendationStyle;
  policy?: RecommendPolicy;
  /** MMR strength in [0, 1]: 0 ranks by relevance alone (default: the service's, 0.3). */
  diversity?: number;
  /** At most this many items of one category per list (default: half of k for newcomers only). */
  maxPerCategory?: number;
  /** Longest list on a small screen (a `mobile` or `phone` device signal), whatever is asked (default 3). */
  smallScreenK?: number;
}

/**
 * Computes recommendations for the user on every message turn (no I/O: the model and the
 * popularity snapshot are in memory) and attaches them to a reply when the bot asks for them
 * (`reply.recommend`) or the policy says so. Each shown list is logged as a
 * `Recommendation Shown` impression for the feedback loop and experiments. The turn's
 * `filter` (from the adapter) narrows every list; a reply's `recommend.filter` narrows it further.
 *
 * ```ts
 * attune.use(recommendations({ k: 3, policy: { intents: ['browse'] } }));
 * ```
 */
export function recommendations(options: RecommendStageOptions = {}): Stage<RecommendationsFlavor> {
  const defaultK = options.k ?? 5;
  const style = options.style ?? 'suggestions';
  const policy = options.policy ?? {};
  const smallScreenK = options.smallScreenK ?? 3;
  return async function recommendStage(ctx, next) {
    const { turn } = ctx;
    const { recommendations: service, logger } = ctx.services;
    const p = ctx.personalization;
    service.refreshInBackground((err) => logger.warn({ err }, 'attune: popularity refresh failed'));
    // An experiment's variant may change what is recommended, how many and how varied (see experiment.ts).
    const o = overridesFor(p);
    const personal = ctx.allows('personalization') && o.policy !== 'popular';
    // A phone shows fewer cards: every list is cut to what fits a small screen.
    const small = isSmallScreen(turn.signals.device ?? (personal ? p.profile.context.device : undefined));
    const fit = (n: number) => (small ? Math.min(n, smallScreenK) : n);
    const k = fit(o.k ?? defaultK);
    const locale = turn.signals.locale ?? (personal ? p.profile.context.locale : undefined);
    // Time of day in the user's zone (or their locale's region): a newcomer's list can be "popular this evening".
    const daypart = daypartFor(turn.timestamp, { timezone: turn.signals.timezone ?? (personal ? p.profile.context.timezone : undefined), locale });
    // The budget answered in onboarding is the default price filter; what the turn asks for wins.
    // It is what the user said they want, so a `popular` policy keeps it too.
    const compute = (n: number, filter: RecommendFilter | undefined = turn.filter) => {
      const defaults = ctx.allows('personalization') ? onboardingFilter(p.profile) : undefined;
      const list = request(n, withDefaultFilter(defaults, filter));
      // A default that leaves nothing is no help: the list goes without it.
      return list.length || !defaults ? list : request(n, filter);
    };
    const request = (n: number, filter: RecommendFilter | undefined) =>
      service.recommend({
        userId: turn.userId,
        // Without consent to personalize: what is popular, nothing about this user.
        profile: personal ? p.profile : null,
        k: n,
        context: { ...(personal ? p.profile.context : {}), locale, daypart, channel: turn.channel },
        // What the user is looking at right now is not news to them.
        exclude: p.profile.recentItems.filter((r) => r.at >= turn.timestamp).map((r) => r.id),
        filter,
        diversity: o.diversity ?? options.diversity,
        maxPerCategory: options.maxPerCategory,
        weights: o.blend,
        // The boost (off by default; the engine's `predict.boost`) reads the predict stage's output.
        propensity: personal ? p.predictions?.byCategory : undefined,
        model: o.policy === 'popular' ? 'none' : o.modelVersion !== undefined ? service.versionModel(o.modelVersion, (err) => logger.warn({ err }, 'attune: model version could not be loaded')) : o.recommender,
      });
    if (turn.kind === 'message' || turn.kind === 'conversation') {
      // Computed on first use: most turns never show recommendations, so they should not pay.
      let cached: Recommendation[] | undefined;
      Object.defineProperty(p, 'recommendations', {
        get: () => (cached ??= compute(k)),
        set: (v: Recommendation[]) => {
          cached = v;
        },
        enumerable: true,
        configurable: true,
      });
    }
    const byPolicy = turn.kind === 'message' && (policy.always || (turn.intent !== undefined && policy.intents?.includes(turn.intent)) || (policy.onMention && ctx.mentions.size > 0));
    let attachedByPolicy = false;
    ctx.onReply(function attachRecommendations(reply) {
      const asked = reply.recommend;
      const auto = byPolicy && !attachedByPolicy && asked === undefined && Boolean(reply.text);
      if (!asked && !auto) return reply;
      if (auto) attachedByPolicy = true;
      const want = typeof asked === 'object' ? asked : {};
      // Recompute: events tracked by the bot during this turn (a product view) count already.
      const filter = refineFilter(turn.filter, want.filter);
      const wantK = fit(want.k ?? k);
      p.recommendations = compute(Math.max(k, wantK), filter);
      const list = p.recommendations.slice(0, wantK);
      if (!list.length) return reply;
      if (ctx.allows('analytics')) ctx.log({
        type: 'track',
        messageId: randomUUID(),
        userId: turn.userId,
        event: AttuneEvents.RecommendationShown,
        properties: { items: list.map((r) => r.itemId), reasons: list.map((r) => r.reason), ...(filter ? { filter } : {}), sessionId: turn.sessionId, variant: p.variant },
        traits: {},
        context: { channel: turn.channel },
        timestamp: ctx.now(),
        receivedAt: ctx.now(),
      });
      return { ...reply, recommendations: list, style: want.style ?? style };
    });
    await next();
  };
}
