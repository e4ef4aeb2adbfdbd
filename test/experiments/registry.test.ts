import { ConfigError, ConflictError, NotFoundError, ValidationError } from '../../src/core/errors';
import type { ArmStats } from '../../src/experiments/bandit';
import { EXPERIMENTS_ARTIFACT, ExperimentRegistry } from '../../src/experiments/registry';
import { MemoryStore } from '../../src/store/memory';

const metrics = { primary: [{ kind: 'conversion' as const }] };
const twoArms = (id: string, extra: Record<string, unknown> = {}) => ({ id, variants: [{ id: 'control' }, { id: 'treatment' }], metrics, ...extra });

describe('ExperimentRegistry', () => {
  let store: MemoryStore;
  beforeEach(() => {
    store = new MemoryStore();
  });
  afterEach(() => store.close());

  it('refuses a bad config definition with a ConfigError naming the field', () => {
    expect(() => new ExperimentRegistry({ store, clock: Date.now, experiments: [twoArms('ok'), { ...twoArms('bad'), coverage: 2 }] })).toThrow(ConfigError);
    expect(() => new ExperimentRegistry({ store, clock: Date.now, experiments: [twoArms('ok'), { ...twoArms('bad'), coverage: 2 }] })).toThrow(/experiments\[1\].*coverage/);
    expect(() => new ExperimentRegistry({ store, clock: Date.now, experiments: [twoArms('same'), twoArms('same')] })).toThrow(/duplicate experiment id "same"/);
  });

  it('saves posted definitions where another registry on the same store reads them', async () => {
    const a = new ExperimentRegistry({ store, clock: Date.now, experiments: [twoArms('from-config')] });
    const b = new ExperimentRegistry({ store, clock: Date.now, experiments: [twoArms('from-config')] });
    const saved = await a.save(twoArms('posted', { variants: [{ id: 'control', weight: 3 }, { id: 'treatment', weight: 1 }] }));
    expect(saved).toMatchObject({ source: 'api', weights: [0.75, 0.25] });
    expect((await b.list()).map((r) => [r.experiment.id, r.source])).toEqual([
      ['from-config', 'config'],
      ['posted', 'api'],
    ]);
    // A second save of the same id replaces it (how weights change).
    await b.save(twoArms('posted', { variants: [{ id: 'control', weight: 1 }, { id: 'treatment', weight: 1 }] }));
    expect((await a.get('posted')).weights).toEqual([0.5, 0.5]);
    expect((await a.list()).filter((r) => r.experiment.id === 'posted')).toHaveLength(1);
  });

  it('answers typed errors: unknown id, config id over the API, bad definition', async () => {
    const r = new ExperimentRegistry({ store, clock: Date.now, experiments: [twoArms('from-config')] });
    await expect(r.get('nope')).rejects.toThrow(NotFoundError);
    await expect(r.save(twoArms('from-config'))).rejects.toThrow(ConflictError);
    await expect(r.save({ ...twoArms('x'), variants: [{ id: 'only' }] })).rejects.toThrow(ValidationError);
    await expect(r.save({ ...twoArms('x'), variants: [{ id: 'only' }] })).rejects.toThrow(/variants/);
  });

  it('serves turns from memory after the first read, re-reading once the copy is stale', async () => {
    let now = 1_000_000;
    const writer = new ExperimentRegistry({ store, clock: () => now });
    const reader = new ExperimentRegistry({ store, clock: () => now, refreshMs: 10_000 });
    expect(await reader.runnable()).toEqual([]);
    await writer.save(twoArms('late'));
    // Still fresh: the copy is served as it was.
    expect(await reader.runnable()).toEqual([]);
    now += 10_000;
    await reader.runnable(); // starts the background re-read
    await reader.refresh();
    expect((await reader.runnable()).map((r) => r.experiment.id)).toEqual(['late']);
  });

  it('keeps serving what it has when the store cannot be read', async () => {
    const r = new ExperimentRegistry({ store, clock: Date.now, experiments: [twoArms('from-config')] });
    jest.spyOn(store, 'getArtifact').mockRejectedValue(new Error('down'));
    expect((await r.runnable()).map((x) => x.experiment.id)).toEqual(['from-config']);
  });

  it('drops stored definitions that no longer parse instead of serving them half-read', async () => {
    await store.putArtifact(EXPERIMENTS_ARTIFACT, JSON.stringify({ experiments: [twoArms('good'), { id: 'broken' }], allocations: { good: [{ at: 'never', weights: [1] }] } }));
    const r = new ExperimentRegistry({ store, clock: Date.now });
    const list = await r.list();
    expect(list.map((x) => x.experiment.id)).toEqual(['good']);
    expect(list[0].allocations).toEqual([]);
  });

  describe('bandits', () => {
    // Planted: the treatment converts at 7 %, the control at 4 %, on 1000 exposures each.
    const planted: ArmStats[] = [
      { successes: 40, trials: 1000 },
      { successes: 70, trials: 1000 },
    ];
    const bandit = twoArms('bandit', { allocation: { mode: 'bandit', floor: 0.1, updateEveryMinutes: 60 } });

    it('moves traffic to the better arm, never below the floor, and records the allocation over time', async () => {
      let now = Date.parse('2026-06-01T00:00:00Z');
      let stats: ArmStats[] = [
        { successes: 0, trials: 0 },
        { successes: 0, trials: 0 },
      ];
      const r = new ExperimentRegistry({ store, clock: () => now, experiments: [bandit], stats: async () => stats });
      await r.refresh();
      const first = await r.get('bandit');
      expect(first.allocations).toHaveLength(1);
      expect(first.weights[0]).toBeCloseTo(0.5, 1);
      stats = planted;
      // Not due yet: the weights stay.
      now += 30 * 60_000;
      await r.refresh();
      expect((await r.get('bandit')).allocations).toHaveLength(1);
      now += 30 * 60_000;
      await r.refresh();
      const second = await r.get('bandit');
      expect(second.allocations).toHaveLength(2);
      expect(second.weights[1]).toBeGreaterThan(0.85);
      expect(second.weights[0]).toBeCloseTo(0.1, 10);
      expect(second.allocations[1]).toMatchObject({ at: new Date(now).toISOString(), arms: planted });
      expect(second.allocations[1].bestArmProbabilities![1]).toBeGreaterThan(0.95);
      // The turns' weights are the latest point's.
      expect((await r.runnable())[0].weights).toEqual(second.weights);
      // Another replica reads the same weights and history from the store.
      const replica = new ExperimentRegistry({ store, clock: () => now, experiments: [bandit], stats: async () => stats });
      expect((await replica.get('bandit')).allocations).toEqual(second.allocations);
    });

    it('computes the same weights on two replicas updating in the same period', async () => {
      const now = Date.parse('2026-06-01T00:00:00Z');
      const other = new MemoryStore();
      try {
        const a = new ExperimentRegistry({ store, clock: () => now, experiments: [bandit], stats: async () => planted });
        const b = new ExperimentRegistry({ store: other, clock: () => now + 1000, experiments: [bandit], stats: async () => planted });
        expect((await a.get('bandit')).weights).toEqual((await b.get('bandit')).weights);
      } finally {
        await other.close();
      }
    });
  });
});
