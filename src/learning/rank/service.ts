import { randomInt, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import { type Clock, systemClock } from '../../core/clock';
import { ConfigError, ConflictError, NotFoundError, StoreError } from '../../core/errors';
import { mulberry32, type Rng } from '../../core/random';
import { parse } from '../../core/validate';
import type { Store } from '../../store/store';
import { epsilonGreedy } from './epsilon-greedy';
import {
  type DecisionProperties,
  decisionMessageId,
  decisionOf,
  RANK_ANONYMOUS_ID,
  RANK_DECIDED,
  rankEvent,
  REWARD_RECEIVED,
  type RewardProperties,
  rewardMessageId,
  RewardPropertiesSchema,
  rewardOf,
} from './events';
import type { FeatureDims } from './features';
import { Learner, type LearnerJson, type ModelScope } from './learner';
import { linUcb } from './linucb';
import { type ExplorationPolicy, greedyDecision, type PolicyKind, pointMass, rankingOf } from './policy';
import { EventIdSchema, type RankRequest, RankRequestSchema, RewardValueSchema } from './schema';
import { thompsonSampling, type ThompsonOptions } from './thompson';

/** The store roles rank/reward uses: the event log (decisions, rewards), the cache (open decisions), artifacts (policy snapshots). */
export type RankStore = Pick<Store, 'claim' | 'release' | 'write' | 'readEvents' | 'cacheGet' | 'cacheSet' | 'putArtifact' | 'getArtifact' | 'pruneArtifacts'>;

/** How a rank policy explores, learns and waits for rewards; every option has a default. */
export interface RankOptions {
  /** The policy's name: its decisions, rewards and snapshots carry it (default `default`). */
  name?: string;
  /** `epsilon-greedy` (the default, as Personalizer's), `thompson` or `linucb`. */
  policy?: PolicyKind;
  /** ε of ε-greedy (default 0.2, Personalizer's default exploration). */
  epsilon?: number;
  /** α of LinUCB (default 1). */
  alpha?: number;
  /** Thompson sampling's scale and propensity draws. */
  thompson?: ThompsonOptions;
  /** One model over context × action features (default), or one per action id. */
  scope?: ModelScope;
  /** Hash buckets for context and action features (default 8 each). */
  featureDims?: Partial<FeatureDims>;
  /** How long after a decision its reward is taken (default 600 s, Personalizer's default). */
  rewardWaitSeconds?: number;
  /** The reward of a decision whose window closes without one (default 0). */
  defaultReward?: number;
  /**
   * Apprentice mode: serve the baseline (the first action offered) while learning, and count
   * how often the learned policy would have chosen it (default false).
   */
  apprentice?: boolean;
  /** How often the policy catches up with rewards logged by other replicas (default 1 s). */
  refreshMs?: number;
  /** Rewards folded between two saved snapshots (default 100). */
  snapshotEvery?: number;
  /** Seed of the exploration's random source (default: a random one). */
  seed?: number;
}

/** One action in a ranking. */
export interface RankedAction {
  id: string;
  /** The probability the policy served this action with. */
  probability: number;
}

/** What {@link RankService.rank} answers. */
export interface RankResult {
  eventId: string;
  /** The action to serve. */
  chosen: string;
  /** Every action, the one served first, then by the policy's score. */
  ranking: RankedAction[];
  /** Probability of the action served, as logged. */
  propensity: number;
  /** When the reward wait window closes (ISO 8601). */
  rewardDeadline: string;
  /** In apprentice mode: what the learned policy would have chosen. */
  learned?: string;
  /** Set when the decision could not be logged: the first action is served, and cannot be rewarded. */
  degraded?: true;
}

/** What {@link RankService.reward} answers. */
export interface RewardResult {
  eventId: string;
  value: number;
}

/** A policy's state, for `GET` and the CLI. */
export interface RankReport {
  name: string;
  policy: PolicyKind;
  apprentice: boolean;
  rewards: number;
  /** Apprentice decisions and how often the learned policy agreed with the baseline. */
  agreement: { decisions: number; agreements: number; rate: number | null };
}

/** A decision waiting for its reward: kept in the cache, so any replica can take the reward. */
const OpenDecisionSchema = z.object({
  userId: z.string(),
  deadline: z.number(),
  reward: RewardPropertiesSchema.omit({ value: true, defaulted: true }),
});
type OpenDecision = z.infer<typeof OpenDecisionSchema>;

/** An open decision read back from the cache, or null when it is absent or unreadable. */
function openDecisionOf(raw: string | null): OpenDecision | null {
  if (raw === null) return null;
  try {
    const parsed = OpenDecisionSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

interface Snapshot {
  cursor?: string;
  learner: LearnerJson;
}

const NAME = /^[A-Za-z0-9._-]{1,64}$/;

function explorer(o: RankOptions): ExplorationPolicy {
  const kind = o.policy ?? 'epsilon-greedy';
  if (kind === 'epsilon-greedy') return epsilonGreedy(o.epsilon ?? 0.2);
  if (kind === 'linucb') return linUcb(o.alpha ?? 1);
  if (kind === 'thompson') return thompsonSampling(o.thompson);
  throw new ConfigError(`unknown rank policy ${JSON.stringify(kind)}: epsilon-greedy, thompson or linucb`);
}

/**
 * Rank/reward, as Microsoft Personalizer defined it: `rank` picks one of the caller's actions
 * for a context and logs the decision with every action's propensity; `reward` scores it
 * within the wait window; a decision left without one gets the default reward. The policy
 * learns by folding the `Reward Received` events of the log, from a snapshot saved as an
 * artifact, so every replica on one store converges on the same model.
 *
 * ```ts
 * const ranker = new RankService({ store, options: { policy: 'thompson' } });
 * const { eventId, chosen } = await ranker.rank({ actions: [{ id: 'a' }, { id: 'b' }], context: { mobile: 1 } });
 * await ranker.reward(eventId, 1);
 * ```
 */
export class RankService {
  readonly name: string;
  readonly kind: PolicyKind;
  readonly apprentice: boolean;
  private readonly store: RankStore;
  private readonly clock: Clock;
  private readonly logger?: Logger;
  private readonly policy: ExplorationPolicy;
  private readonly rng: Rng;
  private readonly scope: ModelScope;
  private readonly dims: FeatureDims;
  private readonly waitMs: number;
  private readonly defaultReward: number;
  private readonly refreshMs: number;
  private readonly snapshotEvery: number;
  private learner: Learner;
  private cursor?: string;
  private loaded = false;
  private syncedAt = -Infinity;
  private syncing?: Promise<void>;
  private sinceSnapshot = 0;
  /** Decisions this replica made whose window is open: it writes their default rewards. */
  private readonly open = new Map<string, number>();

  constructor(deps: { store: RankStore; clock?: Clock; logger?: Logger; options?: RankOptions }) {
    const o = deps.options ?? {};
    this.name = o.name ?? 'default';
    if (!NAME.test(this.name)) throw new ConfigError('rank policy name must match [A-Za-z0-9._-]{1,64}');
    this.store = deps.store;
    this.clock = deps.clock ?? systemClock;
    this.logger = deps.logger;
    this.policy = explorer(o);
    this.kind = this.policy.kind;
    this.apprentice = o.apprentice ?? false;
    this.rng = mulberry32(o.seed ?? randomInt(2 ** 31));
    this.scope = o.scope ?? 'shared';
    this.dims = { context: o.featureDims?.context ?? 8, action: o.featureDims?.action ?? 8 };
    const wait = o.rewardWaitSeconds ?? 600;
    if (!(wait > 0 && wait <= 7 * 86400)) throw new ConfigError('rewardWaitSeconds must be in (0, 604800]');
    this.waitMs = wait * 1000;
    this.defaultReward = parse(RewardValueSchema, o.defaultReward ?? 0, 'defaultReward');
    this.refreshMs = o.refreshMs ?? 1000;
    this.snapshotEvery = o.snapshotEvery ?? 100;
    this.learner = new Learner(this.scope, this.dims);
  }

  private get artifact(): string {
    return `rank-policy:${this.name}`;
  }

  /**
   * Chooses an action and logs the decision (`Rank Decided`) before answering, so that its
   * reward can always be joined. `userId` is the store's key of the user, when there is one.
   * When the store fails, the answer is the first action, `degraded`, rather than an error: a
   * failure inside Attune never breaks the bot's turn.
   */
  async rank(input: RankRequest, userId?: string): Promise<RankResult> {
    const req = parse(RankRequestSchema, input, 'rank request');
    await this.catchUp();
    const eventId = req.eventId ?? randomUUID();
    const arms = this.learner.arms(req.context, req.actions);
    // An apprentice serves the baseline for sure, so its propensity is 1; it logs what it would have played.
    const greedy = this.apprentice ? greedyDecision(arms) : undefined;
    const served = greedy ? { ...greedy, chosen: 0, probabilities: pointMass(arms.length, 0) } : this.policy.decide(arms, this.rng);
    const learned = greedy?.chosen;
    const now = this.clock();
    const deadline = now + this.waitMs;
    const ranking = rankingOf(served);
    const props: DecisionProperties = {
      eventId,
      policy: this.name,
      kind: this.kind,
      apprentice: this.apprentice,
      context: req.context ?? {},
      actions: req.actions,
      chosen: req.actions[served.chosen].id,
      ranking: ranking.map((i) => req.actions[i].id),
      probabilities: served.probabilities,
      propensity: served.probabilities[served.chosen],
      rewardDeadline: new Date(deadline).toISOString(),
      ...(learned !== undefined ? { learned: req.actions[learned].id } : {}),
    };
    const user = userId ?? RANK_ANONYMOUS_ID;
    try {
      await this.logDecision(props, user, now, req.actions[served.chosen]);
    } catch (err) {
      if (!(err instanceof StoreError)) throw err;
      // The bot still gets an answer: its own default, unlogged, so it cannot be rewarded.
      this.logger?.warn({ err, policy: this.name }, 'attune: the rank decision could not be logged; serving the first action');
      return { eventId, chosen: req.actions[0].id, ranking: req.actions.map((a, i) => ({ id: a.id, probability: i === 0 ? 1 : 0 })), propensity: 1, rewardDeadline: props.rewardDeadline, degraded: true };
    }
    this.open.set(eventId, deadline);
    return {
      eventId,
      chosen: props.chosen,
      ranking: ranking.map((i) => ({ id: req.actions[i].id, probability: served.probabilities[i] })),
      propensity: props.propensity,
      rewardDeadline: props.rewardDeadline,
      ...(props.learned !== undefined ? { learned: props.learned } : {}),
    };
  }

  /**
   * Rewards a decision within its wait window (`Reward Received`). An unknown event is a
   * NotFoundError; a second reward, or one after the window closed, a ConflictError.
   */
  async reward(eventIdInput: string, valueInput: number): Promise<RewardResult> {
    const eventId = parse(EventIdSchema, eventIdInput, 'eventId');
    const value = parse(RewardValueSchema, valueInput, 'value');
    const open = openDecisionOf(await this.store.cacheGet(this.openKey(eventId)));
    if (!open) throw new NotFoundError(`rank event ${JSON.stringify(eventId)}`);
    if (this.clock() > open.deadline) throw new ConflictError(`the reward wait window of event ${JSON.stringify(eventId)} closed at ${new Date(open.deadline).toISOString()}`);
    if (!(await this.writeReward(open, value, false))) throw new ConflictError(`event ${JSON.stringify(eventId)} was rewarded already`);
    this.open.delete(eventId);
    await this.catchUp(true);
    return { eventId, value };
  }

  /**
   * Writes the default reward of every decision this replica made whose window has closed
   * without a reward. Runs on each catch-up; call it to settle at once.
   */
  async settle(): Promise<number> {
    const now = this.clock();
    let settled = 0;
    for (const [eventId, deadline] of this.open) {
      if (deadline >= now) continue;
      this.open.delete(eventId);
      const open = openDecisionOf(await this.store.cacheGet(this.openKey(eventId)));
      if (open && (await this.writeReward(open, this.defaultReward, true))) settled++;
    }
    return settled;
  }

  /** The policy's state, once caught up with the log. */
  async report(): Promise<RankReport> {
    await this.catchUp(true);
    const { decisions, agreements } = this.learner.apprentice;
    return { name: this.name, policy: this.kind, apprentice: this.apprentice, rewards: this.learner.rewards, agreement: { decisions, agreements, rate: decisions ? agreements / decisions : null } };
  }

  /** Saves a snapshot of what the policy has learned (also done every `snapshotEvery` rewards). */
  async saveSnapshot(): Promise<void> {
    const snapshot: Snapshot = { ...(this.cursor ? { cursor: this.cursor } : {}), learner: this.learner.toJSON() };
    const version = await this.store.putArtifact(this.artifact, JSON.stringify(snapshot));
    this.sinceSnapshot = 0;
    await this.store.pruneArtifacts(this.artifact, version - 1);
  }

  private openKey(eventId: string): string {
    return `rank:${this.name}:${eventId}`;
  }

  private async logDecision(props: DecisionProperties, user: string, now: number, served: OpenDecision['reward']['action']): Promise<void> {
    const messageId = decisionMessageId(props.eventId);
    const [fresh] = await this.store.claim([messageId]);
    if (!fresh) throw new ConflictError(`event ${JSON.stringify(props.eventId)} was ranked already`);
    try {
      await this.store.write({ events: [rankEvent(RANK_DECIDED, messageId, user, props, new Date(now))] });
      const open: OpenDecision = { userId: user, deadline: Date.parse(props.rewardDeadline), reward: { eventId: props.eventId, policy: this.name, context: props.context, action: served } };
      // Kept past the window by a minute, so that a late reward is told it is late, not unknown.
      await this.store.cacheSet(this.openKey(props.eventId), JSON.stringify(open), Math.ceil(this.waitMs / 1000) + 60);
    } catch (err) {
      await this.store.release([messageId]).catch(() => undefined);
      throw err;
    }
  }

  private async writeReward(open: OpenDecision, value: number, defaulted: boolean): Promise<boolean> {
    const messageId = rewardMessageId(open.reward.eventId);
    const [fresh] = await this.store.claim([messageId]);
    if (!fresh) return false;
    const props: RewardProperties = { ...open.reward, value, defaulted };
    try {
      await this.store.write({ events: [rankEvent(REWARD_RECEIVED, messageId, open.userId, props, new Date(this.clock()))] });
    } catch (err) {
      await this.store.release([messageId]).catch(() => undefined);
      throw err;
    }
    return true;
  }

  /**
   * Settles closed windows and folds what the log holds past the cursor, at most every
   * `refreshMs` unless forced. A failure is logged, not thrown: the policy decides with what it
   * has learned so far, and the next call tries again.
   */
  private async catchUp(force = false): Promise<void> {
    if (!force && this.clock() - this.syncedAt < this.refreshMs) return;
    this.syncing ??= this.sync()
      .catch((err: unknown) => this.logger?.warn({ err, policy: this.name }, 'attune: the rank policy could not catch up with the event log'))
      .finally(() => {
        this.syncing = undefined;
      });
    return this.syncing;
  }

  private async sync(): Promise<void> {
    await this.settle();
    if (!this.loaded) await this.loadSnapshot();
    for (;;) {
      const page = await this.store.readEvents({ after: this.cursor, limit: 1000 });
      for (const e of page.events) this.fold(e);
      if (page.cursor) this.cursor = page.cursor;
      if (page.events.length < 1000) break;
    }
    this.syncedAt = this.clock();
    if (this.sinceSnapshot >= this.snapshotEvery) await this.saveSnapshot();
  }

  private fold(e: Parameters<typeof decisionOf>[0]): void {
    const reward = rewardOf(e);
    if (reward?.policy === this.name) {
      this.learner.learn(reward.context, reward.action, reward.value);
      this.sinceSnapshot++;
      return;
    }
    const decision = decisionOf(e);
    if (decision?.policy === this.name && decision.apprentice && decision.learned !== undefined) this.learner.tally(decision.learned === decision.chosen);
  }

  private async loadSnapshot(): Promise<void> {
    const saved = await this.store.getArtifact(this.artifact);
    this.loaded = true;
    if (!saved) return;
    try {
      const snapshot = JSON.parse(saved.data) as Snapshot;
      const learner = Learner.fromJSON(snapshot.learner, this.scope, this.dims);
      if (!learner) {
        this.logger?.warn({ policy: this.name }, 'attune: the rank snapshot was saved with other settings; learning again from the log');
        return;
      }
      this.learner = learner;
      this.cursor = snapshot.cursor;
    } catch (err) {
      this.logger?.warn({ err, policy: this.name }, 'attune: unreadable rank snapshot; learning again from the log');
    }
  }
}
