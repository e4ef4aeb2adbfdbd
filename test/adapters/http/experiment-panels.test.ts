import { createAttune } from '../../../index';
import { experimentPanels } from '../../../adapters/http/dashboard/experiment-panels';
import { MemoryStore } from '../../../src/store/memory';

/*
 * The experiment panels over the real turn pipeline: users enrolled by the experiment stage,
 * their exposures and orders in the log, read back per variant with the planted conversion.
 */
describe('experiment panels', () => {
  it('show each variant with its exposed users, conversion, lift and the SRM badge, and the allocation over time', async () => {
    let now = Date.parse('2026-06-01T10:00:00Z');
    const clock = () => now;
    const attune = createAttune({
      store: new MemoryStore({ clock }),
      clock,
      idKeys: false,
      experiments: [{ id: 'tone-test', variants: [{ id: 'control' }, { id: 'friendly', overrides: { tone: 'friendly' } }], metrics: { primary: [{ kind: 'conversion' }] } }],
    });
    try {
      const variantOf = new Map<string, string>();
      for (let i = 0; i < 200; i++) {
        const r = await attune.turn({ userId: `u${i}`, text: 'hello there', reply: { text: 'Hi.' } });
        variantOf.set(`u${i}`, r.variant ?? 'none');
      }
      now += 60_000;
      // Planted: every friendly user orders, one control user in four.
      let i = 0;
      for (const [userId, variant] of variantOf) if (variant === 'friendly' || i++ % 4 === 0) await attune.track({ userId, event: 'Order Completed', properties: { revenue: 10 } });
      const [table, allocation] = experimentPanels(attune, { cacheMs: 0 });
      const data = await table.data();
      const rows = data.rows.filter((r) => r[1] === 'conversion');
      expect(rows.map((r) => r[2])).toEqual(['control', 'friendly']);
      const users = rows.map((r) => Number(r[3]));
      expect(users[0] + users[1]).toBe(200);
      expect(users[0]).toBe([...variantOf.values()].filter((v) => v === 'control').length);
      expect(rows[1][4]).toBe('1.00');
      expect(Number(rows[0][4])).toBeGreaterThan(0.15);
      expect(Number(rows[0][4])).toBeLessThan(0.35);
      expect(String(rows[1][5])).toMatch(/^\+\d+\.\d % \[/);
      expect(Number(rows[1][6])).toBeLessThan(0.001);
      expect(String(rows[0][7])).toMatch(/^ok \(p/);
      const line = await allocation.data();
      expect(line.series.map((s) => s.label)).toEqual(['tone-test/control', 'tone-test/friendly']);
      for (const s of line.series) expect(s.values.every((v) => v === 0.5)).toBe(true);
    } finally {
      await attune.close();
    }
  });
});
