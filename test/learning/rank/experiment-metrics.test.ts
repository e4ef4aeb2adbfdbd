import { MetricSchema } from '../../../src/experiments/definition';
import { userMetricValue, type MetricEvent } from '../../../src/experiments/metrics';
import { Attune } from '../../../src/engine/attune';
import { RANK_DECIDED, REWARD_RECEIVED } from '../../../src/learning/rank/events';
import { MemoryStore } from '../../../src/store/memory';

/*
 * Rank decisions and rewards are events of the user they were made for, so an experiment's
 * metrics count them like any other event: a custom metric over `Reward Received` is the mean
 * reward a variant's users got, and one over `Rank Decided` how often they were ranked for.
 */

describe('rank/reward in experiment metrics', () => {
  it('a custom metric reads the rewards and decisions logged for a user', async () => {
    let now = Date.parse('2026-12-01T10:00:00Z');
    const store = new MemoryStore();
    const attune = new Attune({ store, clock: () => now, rank: { seed: 3, refreshMs: 0, rewardWaitSeconds: 60 } });
    const exposedAt = now - 1000;
    const rewards = [1, 0, 1, 1];
    for (const [i, value] of rewards.entries()) {
      const { eventId } = await attune.rank({ userId: 'ann', actions: [{ id: 'short' }, { id: 'detailed' }], eventId: `ev-${i}` });
      now += 1000;
      await attune.reward(eventId, value);
    }
    // Someone else's decision is not Ann's.
    await attune.rank({ userId: 'bob', actions: [{ id: 'short' }, { id: 'detailed' }], eventId: 'ev-bob' });
    await attune.flush();

    const { events } = await store.readEvents({ userId: attune.userKey('ann') });
    const log: MetricEvent[] = events.map((e) => ({ event: e.event ?? e.type, properties: e.properties, at: Date.parse(e.timestamp) }));
    const meanReward = MetricSchema.parse({ kind: 'custom', id: 'reward', event: REWARD_RECEIVED, property: 'value', aggregation: 'mean' });
    const decisions = MetricSchema.parse({ kind: 'custom', id: 'ranked', event: RANK_DECIDED, aggregation: 'count' });
    expect(userMetricValue(meanReward, log, exposedAt, 72)).toEqual({ numerator: 3, denominator: 4 });
    expect(userMetricValue(decisions, log, exposedAt, 72)).toMatchObject({ value: 4 });
    await attune.close();
  });
});
