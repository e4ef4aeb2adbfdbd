import { createAttune } from '../../index';
import { mulberry32 } from '../../src/evaluate';
import type { ExperimentInput } from '../../src/experiments/definition';
import { MemoryStore } from '../../src/store/memory';
import { smallCatalog } from '../support/catalog';

/*
 * The bandit's loop through the engine: turns expose users and count exposures, orders count
 * conversions (once per user, only after exposure), and the next update moves traffic to the
 * arm that converts more, never below the floor, with the history on record.
 */
describe('a bandit experiment learning from turns and orders', () => {
  it('moves traffic to the variant whose users order more', async () => {
    let now = Date.parse('2026-06-01T00:00:00Z');
    const bandit: ExperimentInput = {
      id: 'checkout-bandit',
      variants: [{ id: 'control' }, { id: 'bold' }],
      allocation: { mode: 'bandit', floor: 0.1, updateEveryMinutes: 60 },
      metrics: { primary: [{ kind: 'conversion' }] },
    };
    const store = new MemoryStore();
    const attune = createAttune({ store, catalog: smallCatalog(), idKeys: false, clock: () => now, experiments: [bandit] });
    try {
      // Planted: `bold` users order 60 % of the time, `control` users 10 %.
      const rng = mulberry32(11);
      const arms: Record<string, number> = { control: 0, bold: 0 };
      for (let i = 0; i < 120; i++) {
        const userId = `shopper-${i}`;
        const { variant } = await attune.turn({ userId, text: 'hello' });
        arms[variant!]++;
        await attune.flush();
        if (rng() < (variant === 'bold' ? 0.6 : 0.1)) {
          now += 1000;
          await attune.track({ userId, event: 'Order Completed', properties: { revenue: 20 } });
          // A second order of the same user is no second success.
          await attune.track({ userId, event: 'Order Completed', properties: { revenue: 5 } });
        }
      }
      expect(arms.control).toBeGreaterThan(30);
      expect(arms.bold).toBeGreaterThan(30);
      const counters = Object.fromEntries((await store.topCounters('exp:checkout-bandit', 10)).map((c) => [c.key, c.value]));
      expect(counters['control:exposures']).toBe(arms.control);
      expect(counters['bold:exposures']).toBe(arms.bold);
      expect(counters['bold:conversions']).toBeGreaterThan(arms.bold * 0.4);
      expect(counters['bold:conversions']).toBeLessThanOrEqual(arms.bold);
      expect(counters['control:conversions'] ?? 0).toBeLessThan(arms.control * 0.25);

      now += 61 * 60_000;
      await attune.experiments.refresh();
      const record = await attune.experiments.get('checkout-bandit');
      expect(record.allocations).toHaveLength(2);
      expect(record.weights[1]).toBeGreaterThan(0.85);
      expect(record.weights[0]).toBeCloseTo(0.1, 10);

      // New users now mostly get `bold`; enrolled ones keep theirs.
      let bold = 0;
      for (let i = 0; i < 60; i++) if ((await attune.turn({ userId: `later-${i}`, kind: 'conversation' })).variant === 'bold') bold++;
      expect(bold).toBeGreaterThan(45);
      const first = await attune.profile('shopper-0');
      expect((await attune.turn({ userId: 'shopper-0', text: 'back' })).variant).toBe(first?.experiments?.['checkout-bandit'].variant);
    } finally {
      await attune.close();
    }
  });

  it('does not count an order sent before the exposure', async () => {
    const store = new MemoryStore();
    const attune = createAttune({
      store,
      catalog: smallCatalog(),
      idKeys: false,
      experiments: [{ id: 'b', variants: [{ id: 'x' }, { id: 'y' }], allocation: { mode: 'bandit' }, metrics: { primary: [{ kind: 'conversion' }] } }],
    });
    try {
      const { variant } = await attune.turn({ userId: 'early', text: 'hi' });
      await attune.flush();
      await attune.track({ userId: 'early', event: 'Order Completed', timestamp: '2020-01-01T00:00:00Z' });
      expect(await store.topCounters('exp:b', 10)).toEqual([{ key: `${variant}:exposures`, value: 1 }]);
      await attune.track({ userId: 'early', event: 'Order Completed' });
      expect((await store.topCounters('exp:b', 10)).find((c) => c.key === `${variant}:conversions`)?.value).toBe(1);
      expect((await attune.profile('early'))?.experiments?.b.convertedAt).toEqual(expect.any(String));
    } finally {
      await attune.close();
    }
  });
});
