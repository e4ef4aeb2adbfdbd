import type { AttuneEvent } from '../../core/event';
import type { OffPolicyEstimates } from './estimators';
import { evaluatePolicy, type LoggedDecision, type TargetPolicy, uniformPolicy } from './evaluate';
import { logPages } from '../../store/log-pages';
import type { EventLog } from '../../store/store';
import { decisionOf, RANK_DECIDED, REWARD_RECEIVED, rewardOf } from './events';
import type { FeatureDims } from './features';
import { Learner } from './learner';
import { argmax } from './policy';
import { RidgeRegression } from './ridge';

/**
 * Offline evaluation from the event log: `Rank Decided` joined with `Reward Received` by
 * eventId, and the target policies `attune policy evaluate` offers. Pure (events in, estimates
 * out), but for {@link rankEventsOf}, which reads them.
 */

/** The rank loop's events of the whole log, page by page (the others are not kept). */
export async function rankEventsOf(log: Pick<EventLog, 'readEvents'>, pageSize = 5000): Promise<AttuneEvent[]> {
  const out: AttuneEvent[] = [];
  for await (const events of logPages(log, pageSize)) for (const e of events) if (e.event === RANK_DECIDED || e.event === REWARD_RECEIVED) out.push(e);
  return out;
}

/** The target policies there are: uniform random, always the first action offered, or the greedy policy learned from the earlier part of the log. */
export type TargetKind = 'uniform' | 'baseline' | 'learned';

/** How to read the log. */
export interface JoinOptions {
  /** Only this policy's decisions. */
  policy: string;
  /** Decisions whose window is still open at this time (ms) are left out. */
  now: number;
  /** The reward of a decision whose window closed without one (as the service applies it). */
  defaultReward: number;
  dims: FeatureDims;
}

/** A decision joined with its reward, featurized. */
export interface JoinedDecision extends LoggedDecision {
  eventId: string;
  /** True when the reward is the default one. */
  defaulted: boolean;
}

/** The decisions of a policy with their rewards, in log order. */
export function joinDecisions(events: readonly AttuneEvent[], options: JoinOptions): JoinedDecision[] {
  const rewards = new Map<string, { value: number; defaulted: boolean }>();
  for (const e of events) {
    const r = rewardOf(e);
    if (r?.policy === options.policy && !rewards.has(r.eventId)) rewards.set(r.eventId, { value: r.value, defaulted: r.defaulted });
  }
  const learner = new Learner('shared', options.dims);
  const out: JoinedDecision[] = [];
  for (const e of events) {
    const d = decisionOf(e);
    if (d?.policy !== options.policy) continue;
    const chosen = d.actions.findIndex((a) => a.id === d.chosen);
    if (chosen < 0 || !(d.propensity > 0)) continue;
    const reward = rewards.get(d.eventId) ?? (Date.parse(d.rewardDeadline) < options.now ? { value: options.defaultReward, defaulted: true } : undefined);
    if (!reward) continue;
    out.push({ eventId: d.eventId, arms: learner.arms(d.context, d.actions).map((a) => a.x), chosen, propensity: d.propensity, reward: reward.value, defaulted: reward.defaulted });
  }
  return out;
}

/** What {@link evaluateLog} answers. */
export interface PolicyEvaluation {
  target: TargetKind;
  /** Decisions evaluated (for `learned`, the later part of the log only). */
  decisions: number;
  /** Of them, how many carry the default reward. */
  defaulted: number;
  /** Mean reward the logging policy earned on the same decisions. */
  loggedMean: number;
  estimates: OffPolicyEstimates;
}

/**
 * Estimates a target policy's mean reward on joined decisions. The learned target is fitted
 * on the first `trainFraction` of the decisions and evaluated on the rest, never on the data
 * it learned from.
 */
export function evaluateLog(decisions: readonly JoinedDecision[], target: TargetKind, options: { confidence?: number; trainFraction?: number } = {}): PolicyEvaluation {
  let evaluated = decisions;
  let policy: TargetPolicy;
  if (target === 'uniform') policy = (arms) => uniformPolicy(arms.length);
  else if (target === 'baseline') policy = (arms) => arms.map((_, i) => (i === 0 ? 1 : 0));
  else {
    const cut = Math.floor(decisions.length * (options.trainFraction ?? 0.5));
    // The same ridge model the online policies learn, over the joint vectors as logged.
    const fit = new RidgeRegression(decisions[0]?.arms[0]?.length ?? 1);
    for (const d of decisions.slice(0, cut)) fit.observe(d.arms[d.chosen], d.reward);
    evaluated = decisions.slice(cut);
    policy = (arms) => {
      const best = argmax(arms.map((x) => fit.predict(x)));
      return arms.map((_, i) => (i === best ? 1 : 0));
    };
  }
  if (evaluated.length === 0) throw new RangeError('no joined decisions to evaluate');
  return {
    target,
    decisions: evaluated.length,
    defaulted: evaluated.filter((d) => d.defaulted).length,
    loggedMean: evaluated.reduce((s, d) => s + d.reward, 0) / evaluated.length,
    estimates: evaluatePolicy(evaluated, policy, { confidence: options.confidence }),
  };
}
