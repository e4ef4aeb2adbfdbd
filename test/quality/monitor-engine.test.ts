import pino from 'pino';
import { Writable } from 'node:stream';
import { createAttune } from '../../index';
import { qualityPanel } from '../../adapters/http/dashboard/quality-panel';
import { createDashboard } from '../../adapters/http/dashboard/dashboard';
import { ConfigError } from '../../src/core/errors';
import { mulberry32 } from '../../src/core/random';
import { createMetrics } from '../../src/observe/metrics';
import type { QualityAlert } from '../../src/quality/report';
import { MemoryStore } from '../../src/store/memory';
import { parsePrometheus, valueOf } from '../support/prometheus';

/*
 * The monitor over real ingestion: a seeded stream of events with planted exact duplicates
 * (a messageId sent again), near-duplicates (the same event resent without a messageId),
 * violations and fixable fields, whose rates the monitor must recover per source, alerting
 * where a rate crosses its threshold.
 */

function logLines() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({ write: (chunk: Buffer, _enc, cb) => (lines.push(JSON.parse(chunk.toString())), cb()) });
  return { lines, logger: pino({ level: 'warn' }, stream) };
}

describe('the quality monitor over ingestion', () => {
  it('recovers the planted rates per source, alerts on the ones over threshold, and shows them on /metrics and the dashboard', async () => {
    let now = Date.parse('2026-03-01T10:00:00Z');
    const clock = () => now;
    const metrics = createMetrics({ defaultMetrics: false });
    const { lines, logger } = logLines();
    const alerts: QualityAlert[] = [];
    const attune = createAttune({
      store: new MemoryStore({ clock }),
      clock,
      idKeys: false,
      logger,
      hooks: { ...metrics.hooks },
      quality: {
        normalize: { traits: { age: { type: 'integer' } } },
        trackingPlan: { events: { 'Product Viewed': { properties: { product_id: { type: 'string', required: true } } } } },
        monitor: { windowMs: 600_000, minEvents: 100, thresholds: { duplicate: 0.05, near_duplicate: 0.05, violation: 0.2, missing: 0.5 } },
      },
    });
    attune.hooks.add({ onQualityAlert: (a) => alerts.push(a) });
    const rand = mulberry32(42);
    const planted = { sent: 0, duplicate: 0, near: 0, missing: 0, fixed: 0 };
    try {
      for (let i = 0; i < 600; i++) {
        now += 500;
        const userId = `u${i % 40}`;
        const r = rand();
        if (r < 0.1) {
          // Planted: a trait sent as words, fixed by the normalizer.
          planted.fixed++;
          planted.sent++;
          await attune.ingest({ type: 'identify', userId, traits: { age: 'thirty-one' } }, { source: 'rest' });
          continue;
        }
        const properties: Record<string, unknown> = r < 0.4 ? {} : { product_id: `p${i}` };
        if (r < 0.4) planted.missing++;
        const messageId = `m${i}`;
        await attune.ingest({ type: 'track', userId, event: 'Product Viewed', properties, messageId }, { source: 'rest' });
        planted.sent++;
        const again = rand();
        // Every send of an event without its required property counts, resends included.
        const lacking = r < 0.4 ? 1 : 0;
        if (again < 0.1) {
          planted.duplicate++;
          planted.missing += lacking;
          planted.sent++;
          await attune.ingest({ type: 'track', userId, event: 'Product Viewed', properties, messageId }, { source: 'rest' });
        } else if (again < 0.2) {
          // Sent twice without a messageId, two seconds apart: the second is a near-duplicate.
          planted.sent += 2;
          planted.near++;
          planted.missing += 2 * lacking;
          const resend = { type: 'track', userId, event: 'Product Viewed', properties: { ...properties, resend: true } };
          await attune.ingest(resend, { source: 'rest' });
          now += 2000;
          await attune.ingest(resend, { source: 'rest' });
        }
      }
      // Another source, clean: it must not pick up the first one's rates.
      for (let i = 0; i < 150; i++) await attune.ingest({ type: 'track', userId: `s${i}`, event: 'Product Viewed', properties: { product_id: 'p1' }, messageId: `s${i}` }, { source: 'segment' });

      const quality = attune.quality;
      if (!quality) throw new Error('the quality gate is configured');
      const [rest, segment] = quality.snapshot();
      expect(rest.source).toBe('rest');
      expect(rest.events).toBe(planted.sent);
      expect(rest.rates.duplicate).toBeCloseTo(planted.duplicate / planted.sent, 10);
      expect(rest.rates.near_duplicate).toBeCloseTo(planted.near / planted.sent, 10);
      expect(rest.rates.missing).toBeCloseTo(planted.missing / planted.sent, 10);
      // Missing `product_id` is the only violation, and the `resend` events add an unplanned property each.
      expect(rest.rates.violation).toBeGreaterThanOrEqual(planted.missing / planted.sent);
      expect(rest.rates.fixed).toBeCloseTo(planted.fixed / planted.sent, 10);
      expect(planted.duplicate).toBeGreaterThan(20);
      expect(planted.near).toBeGreaterThan(20);
      expect(segment).toMatchObject({ source: 'segment', events: 150, rates: { duplicate: 0, near_duplicate: 0, violation: 0, missing: 0 } });

      // Duplicates (~9 %), near-duplicates (~9 %) and violations (> 20 %) are over their thresholds; missing (~27 %) is not.
      const firing = new Set(alerts.filter((a) => a.state === 'firing').map((a) => `${a.source}:${a.kind}`));
      expect(firing).toEqual(new Set(['rest:duplicate', 'rest:near_duplicate', 'rest:violation']));
      expect(rest.alerting.sort()).toEqual(['duplicate', 'near_duplicate', 'violation']);
      const alertLines = lines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('attune: data quality alert:'));
      expect(alertLines.map((l) => l.kind).sort()).toEqual(['duplicate', 'near_duplicate', 'violation']);

      const families = parsePrometheus(await metrics.registry.metrics());
      expect(valueOf(families, 'attune_quality_alerting', { source: 'rest', kind: 'violation' })).toBe(1);
      expect(valueOf(families, 'attune_quality_alerts_total', { source: 'rest' })).toBe(3);
      expect(valueOf(families, 'attune_quality_near_duplicates_total', { source: 'rest' })).toBe(planted.near);
      expect(valueOf(families, 'attune_quality_normalizations_total', { source: 'rest', kind: 'integer', outcome: 'fixed' })).toBe(planted.fixed);

      const table = await qualityPanel(quality).data();
      expect(table.rows[0][0]).toBe('rest');
      expect(table.rows[0][1]).toBe(planted.sent);
      expect(String(table.rows[0][table.columns.indexOf('violation')])).toMatch(/%\s!$/);
      const dashboard = createDashboard(attune, { registry: metrics.registry });
      try {
        const panel = (await dashboard.data()).panels.find((p) => p.id === 'quality-monitor');
        expect(panel && 'data' in panel && panel.render === 'table' ? panel.data.rows.length : 0).toBe(2);
      } finally {
        dashboard.close();
      }
    } finally {
      await attune.close();
    }
  });

  it('refuses a wrong configuration with a ConfigError naming the field', () => {
    expect(() => createAttune({ idKeys: false, quality: { normalize: { properties: { price: { type: 'money' } } } } as never })).toThrow(ConfigError);
    expect(() => createAttune({ idKeys: false, quality: { trackingPlan: { events: {}, unplannedEvents: 'drop' } } as never })).toThrow(/trackingPlan\.unplannedEvents/);
  });

  it('never loses events to a fault in the checks', async () => {
    const attune = createAttune({ idKeys: false, quality: { normalize: { properties: { n: { type: 'number' } } } } });
    try {
      const quality = attune.quality;
      if (!quality) throw new Error('the quality gate is configured');
      // A properties object whose getter throws stands for any bug inside the checks.
      const hostile = { type: 'track' as const, messageId: 'x', userId: 'u', event: 'E', properties: Object.defineProperty({}, 'n', { enumerable: true, get: () => { throw new Error('boom'); } }), traits: {}, context: {}, timestamp: new Date().toISOString(), receivedAt: new Date().toISOString() };
      await expect(quality.check([hostile])).resolves.toHaveLength(1);
    } finally {
      await attune.close();
    }
  });
});
