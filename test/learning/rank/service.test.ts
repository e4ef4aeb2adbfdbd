import { ConflictError, NotFoundError, StoreError, ValidationError } from '../../../src/core/errors';
import type { AttuneEvent } from '../../../src/core/event';
import { mulberry32 } from '../../../src/core/random';
import { Attune } from '../../../src/engine/attune';
import { decisionOf, RANK_DECIDED, REWARD_RECEIVED, rewardOf } from '../../../src/learning/rank/events';
import { rankEventsOf } from '../../../src/learning/rank/logs';
import { RankService, type RankOptions } from '../../../src/learning/rank/service';
import { MemoryStore } from '../../../src/store/memory';
import type { Store } from '../../../src/store/store';
import { backends } from '../../support/backends';

/*
 * Rank/reward as a service, on the memory store and on Redis: decisions and rewards logged as
 * events and joined by eventId, the wait window on a controllable clock, default rewards for
 * decisions never rewarded, apprentice mode, and replicas that learn the same policy from the
 * log. The planted structure: mobile users want the app, the others the web page.
 */

const actions: { id: string; features: Record<string, number> }[] = [{ id: 'web', features: { web: 1 } }, { id: 'app', features: { app: 1 } }];
const best = (mobile: number) => (mobile ? 'app' : 'web');

const allEvents = (store: Store): Promise<AttuneEvent[]> => rankEventsOf(store);

describe.each(backends())('RankService on the %s store', (_name, open) => {
  let backend: ReturnType<typeof open>;
  let now: number;
  const clock = () => now;
  const service = (options: RankOptions = {}) => new RankService({ store: backend.store, clock, options: { seed: 1, refreshMs: 0, rewardWaitSeconds: 60, ...options } });
  beforeEach(() => {
    backend = open();
    now = Date.parse('2026-12-01T10:00:00Z');
  });
  afterEach(() => backend.close());

  it('logs each decision with propensities that sum to 1, and joins its reward by eventId', async () => {
    const ranker = service();
    const r = await ranker.rank({ actions, context: { mobile: 1 }, eventId: 'e1' });
    expect(r.eventId).toBe('e1');
    expect(r.ranking.map((a) => a.id).sort()).toEqual(['app', 'web']);
    expect(r.ranking[0].id).toBe(r.chosen);
    expect(r.ranking.reduce((s, a) => s + a.probability, 0)).toBeCloseTo(1, 12);
    expect(r.propensity).toBe(r.ranking[0].probability);
    expect(r.rewardDeadline).toBe('2026-12-01T10:01:00.000Z');

    now += 30_000;
    await expect(ranker.reward('e1', 1)).resolves.toEqual({ eventId: 'e1', value: 1 });
    const events = await allEvents(backend.store);
    expect(events.map((e) => e.event)).toEqual([RANK_DECIDED, REWARD_RECEIVED]);
    const decision = decisionOf(events[0]);
    expect(decision).toMatchObject({ eventId: 'e1', chosen: r.chosen, propensity: r.propensity, kind: 'epsilon-greedy' });
    expect(decision?.probabilities.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 12);
    expect(rewardOf(events[1])).toMatchObject({ eventId: 'e1', value: 1, defaulted: false, action: { id: r.chosen }, context: { mobile: 1 } });
    expect((await ranker.report()).rewards).toBe(1);
  });

  it('refuses a reward after the window, a second reward, an unknown event and a re-used eventId', async () => {
    const ranker = service();
    await ranker.rank({ actions, eventId: 'late' });
    await ranker.rank({ actions, eventId: 'twice' });
    await ranker.reward('twice', 1);
    await expect(ranker.reward('twice', 0)).rejects.toThrow(ConflictError);
    await expect(ranker.reward('nobody', 1)).rejects.toThrow(NotFoundError);
    await expect(ranker.rank({ actions, eventId: 'twice' })).rejects.toThrow(/ranked already/);
    now += 60_001;
    await expect(ranker.reward('late', 1)).rejects.toThrow(/window of event "late" closed at 2026-12-01T10:01:00.000Z/);
    await expect(ranker.reward('late', Number.NaN)).rejects.toThrow(ValidationError);
  });

  it('gives a decision never rewarded the default reward once its window closes, once', async () => {
    const ranker = service({ defaultReward: 0.25 });
    await ranker.rank({ actions, eventId: 'silent' });
    now += 59_000;
    expect(await ranker.settle()).toBe(0);
    now += 2_000;
    expect(await ranker.settle()).toBe(1);
    expect(await ranker.settle()).toBe(0);
    const rewards = (await allEvents(backend.store)).map(rewardOf).filter((r) => r !== undefined);
    expect(rewards).toEqual([expect.objectContaining({ eventId: 'silent', value: 0.25, defaulted: true })]);
    expect((await ranker.report()).rewards).toBe(1);
  });

  async function train(ranker: RankService, rounds: number, seed: number): Promise<string[]> {
    const rng = mulberry32(seed);
    const served: string[] = [];
    for (let i = 0; i < rounds; i++) {
      const mobile = rng() < 0.5 ? 1 : 0;
      const r = await ranker.rank({ actions, context: { mobile }, eventId: `t${seed}-${i}` });
      served.push(r.chosen === best(mobile) ? 'right' : 'wrong');
      await ranker.reward(r.eventId, r.chosen === best(mobile) ? 1 : 0);
    }
    return served;
  }

  it('learns the planted preference, and a second replica on the same store learns the same from the log', async () => {
    const a = service({ policy: 'thompson', snapshotEvery: 50 });
    const served = await train(a, 120, 3);
    expect(served.slice(-40).filter((s) => s === 'right').length).toBeGreaterThanOrEqual(36);
    const b = service({ policy: 'linucb', seed: 2 });
    expect((await b.report()).rewards).toBe(120);
    for (const mobile of [0, 1]) expect((await b.rank({ actions, context: { mobile } })).chosen).toBe(best(mobile));
    // A third starts from the saved snapshot and folds only what came after it.
    const c = service({ policy: 'linucb' });
    expect((await c.report()).rewards).toBe(120);
  });

  it('serves the baseline in apprentice mode and reports how often the learned policy agrees with it', async () => {
    // The policy learned online first, then is switched to apprentice mode: it knows mobile users want the app.
    await train(service(), 100, 4);
    const apprentice = service({ apprentice: true });
    const rng = mulberry32(8);
    let mobiles = 0;
    for (let i = 0; i < 60; i++) {
      const mobile = rng() < 0.5 ? 1 : 0;
      mobiles += mobile;
      const r = await apprentice.rank({ actions, context: { mobile } });
      expect([r.chosen, r.propensity, r.ranking[0]]).toEqual(['web', 1, { id: 'web', probability: 1 }]);
      expect(r.learned).toBe(best(mobile));
      await apprentice.reward(r.eventId, r.chosen === best(mobile) ? 1 : 0);
    }
    const report = await apprentice.report();
    // It agrees with the baseline exactly where the baseline is right: for the users not on mobile.
    expect(report.agreement).toEqual({ decisions: 60, agreements: 60 - mobiles, rate: (60 - mobiles) / 60 });
    expect(mobiles).toBeGreaterThan(15);
  });
});

describe('Attune.rank and Attune.reward', () => {
  it('pseudonymize the user of a decision and validate the request, saying where', async () => {
    const attune = new Attune({ rank: { rewardWaitSeconds: 30 } });
    const r = await attune.rank({ actions, context: { mobile: 1 }, userId: 'alice' });
    await attune.reward(r.eventId, 1);
    const { events } = await attune.store.readEvents();
    expect(events.map((e) => e.userId)).toEqual([attune.userKey('alice'), attune.userKey('alice')]);
    expect(JSON.stringify(events)).not.toContain('alice');
    await expect(attune.rank({ actions: [] })).rejects.toThrow(/actions/);
    await expect(attune.rank({ actions: [{ id: 'x' }, { id: 'x' }] })).rejects.toThrow(/actions\.1\.id: duplicate action id "x"/);
    await attune.close();
  });
});

describe('RankService when the store fails', () => {
  it('serves the first action, degraded and unlogged, instead of failing the turn; bad input still throws', async () => {
    const store = new MemoryStore();
    const broken = Object.assign(Object.create(store) as MemoryStore, { write: () => Promise.reject(new StoreError('down')) });
    const ranker = new RankService({ store: broken, options: { seed: 1 } });
    const r = await ranker.rank({ actions, eventId: 'e' });
    expect(r).toMatchObject({ eventId: 'e', chosen: 'web', propensity: 1, degraded: true, ranking: [{ id: 'web', probability: 1 }, { id: 'app', probability: 0 }] });
    await expect(ranker.reward('e', 1)).rejects.toThrow(NotFoundError);
    // The claim was given back: the same eventId is taken once the store answers again.
    expect(await store.claim(['rank:e'])).toEqual([true]);
    await expect(ranker.rank({ actions: [] })).rejects.toThrow(ValidationError);
    await store.close();
  });
});
