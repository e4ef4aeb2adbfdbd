import { Counter, Histogram, Registry } from 'prom-client';
import { createDashboard } from '../../../adapters/http/dashboard/dashboard';
import { EventWindow } from '../../../adapters/http/dashboard/event-window';
import { MetricHistory } from '../../../adapters/http/dashboard/metric-history';
import { counterBy, counterTotal } from '../../../adapters/http/dashboard/metric-reader';
import { PanelRegistry } from '../../../adapters/http/dashboard/panels';
import type { AttuneEvent, EventType } from '../../../src/core/event';
import { ValidationError } from '../../../src/core/errors';
import { Segments } from '../../../src/segments/segments';
import { MemoryStore } from '../../../src/store/memory';
import type { EventQuery } from '../../../src/store/store';

/* What the dashboard's panels are computed from: the event window, the counter history, the Registry reader, the panel registry. */

const MINUTE = 60_000;
const T0 = Date.parse('2026-03-02T12:00:00Z');

function event(i: number, type: EventType, receivedAt: number): AttuneEvent {
  const at = new Date(receivedAt).toISOString();
  return { type, messageId: `m-${i}`, userId: `u-${i % 3}`, properties: {}, traits: {}, context: {}, timestamp: at, receivedAt: at };
}

/** A memory store that counts its readEvents calls. */
function countedLog(events: AttuneEvent[]) {
  const store = new MemoryStore();
  let reads = 0;
  return {
    store,
    reads: () => reads,
    log: {
      readEvents: (q?: EventQuery) => {
        reads += 1;
        return store.readEvents(q);
      },
    },
    seed: () => store.write({ events }),
  };
}

describe('EventWindow', () => {
  it('reads a bounded number of pages per refresh and catches up over several', async () => {
    let now = T0 + 30 * MINUTE;
    const events = Array.from({ length: 23 }, (_, i) => event(i, 'track', T0 + i * MINUTE));
    const log = countedLog(events);
    await log.seed();
    const window = new EventWindow(log.log, () => now, { pageSize: 5, maxPages: 2 });
    const total = () => window.view().byType.track.reduce((a, b) => a + b, 0);

    await window.refresh();
    expect([log.reads(), total(), window.view().complete]).toEqual([2, 10, false]);
    await window.refresh();
    expect([log.reads(), total(), window.view().complete]).toEqual([4, 20, false]);
    await window.refresh();
    expect([log.reads(), total(), window.view().complete]).toEqual([5, 23, true]);
    // Nothing new: one read finds nothing, and nothing is counted twice.
    await window.refresh();
    expect([log.reads(), total()]).toEqual([6, 23]);

    // New events are read on from the cursor.
    await log.store.write({ events: [event(100, 'identify', now)] });
    await window.refresh();
    expect(window.view().byType.identify.reduce((a, b) => a + b, 0)).toBe(1);

    // An hour later, the first events fell out of the window.
    now += 40 * MINUTE;
    await window.refresh();
    expect(total()).toBe(23 - 11);
  });

  it('buckets by receipt, counts segment entries and exits, and leaves out what is older than the window', async () => {
    const now = T0 + 59 * MINUTE + 10_000;
    const flow = (i: number, name: string, segment: string, at: number): AttuneEvent => ({ ...event(i, 'track', at), event: name, properties: { segment } });
    const log = countedLog([
      event(1, 'page', T0 - 5 * MINUTE), // before the window
      event(2, 'page', T0 + 1_000),
      event(3, 'page', T0 + 2_000),
      event(4, 'screen', now),
      flow(5, 'Segment Entered', 'vip', T0 + 10 * MINUTE),
      flow(6, 'Segment Entered', 'vip', T0 + 20 * MINUTE),
      flow(7, 'Segment Exited', 'vip', T0 + 30 * MINUTE),
      flow(8, 'Segment Exited', 'new', T0 + 30 * MINUTE),
    ]);
    await log.seed();
    const window = new EventWindow(log.log, () => now);
    await window.refresh();
    const v = window.view();
    expect(v.x).toHaveLength(60);
    expect([v.x[0], v.x[59]]).toEqual([T0, T0 + 59 * MINUTE]);
    expect(v.byType.page[0]).toBe(2);
    expect(v.byType.page.reduce((a, b) => a + b, 0)).toBe(2);
    expect(v.byType.screen[59]).toBe(1);
    expect(v.byType.track.reduce((a, b) => a + b, 0)).toBe(4);
    expect(Object.fromEntries(v.segments)).toEqual({ vip: { entered: 2, exited: 1 }, new: { entered: 0, exited: 1 } });
  });
});

describe('counterBy', () => {
  it('sums a counter by a label, reads absent metrics and histograms as nothing', async () => {
    const registry = new Registry();
    const c = new Counter({ name: 'attune_events_ingested_total', help: 'x', labelNames: ['type', 'source'], registers: [registry] });
    c.inc({ type: 'track', source: 'rest' }, 3);
    c.inc({ type: 'track', source: 'segment' }, 4);
    c.inc({ type: 'identify', source: 'rest' }, 1);
    new Histogram({ name: 'attune_turn_duration_seconds', help: 'x', registers: [registry] }).observe(0.2);
    expect(Object.fromEntries(await counterBy(registry, 'attune_events_ingested_total', 'type'))).toEqual({ track: 7, identify: 1 });
    expect(await counterTotal(registry, 'attune_events_ingested_total')).toBe(8);
    expect(await counterTotal(registry, 'attune_nothing_total')).toBe(0);
    expect(await counterTotal(registry, 'attune_turn_duration_seconds')).toBe(0);
  });
});

describe('MetricHistory', () => {
  it('keeps a ring of samples taken at most once per interval, and tells increases per interval', async () => {
    let now = T0;
    const registry = new Registry();
    const c = new Counter({ name: 'attune_turns_total', help: 'x', labelNames: ['outcome'], registers: [registry] });
    const history = new MetricHistory(registry, [{ name: 'attune_turns_total', by: 'outcome' }, { name: 'attune_absent_total' }], { clock: () => now, everyMs: 10_000, keep: 3 });
    await history.refresh();
    c.inc({ outcome: 'ok' }, 2);
    await history.refresh(); // too soon: no sample
    expect(history.increase('attune_turns_total').x).toEqual([]);
    for (const [ok, degraded] of [[5, 0], [1, 1], [3, 0]]) {
      now += 10_000;
      c.inc({ outcome: 'ok' }, ok);
      if (degraded) c.inc({ outcome: 'degraded' }, degraded);
      await history.refresh();
    }
    // Three samples kept (the first two went): two intervals.
    const h = history.increase('attune_turns_total');
    expect(h.x).toEqual([T0 + 20_000, T0 + 30_000]);
    expect(h.series).toEqual([
      { label: 'degraded', values: [1, 0] },
      { label: 'ok', values: [1, 3] },
    ]);
    expect(history.increase('attune_absent_total').series).toEqual([]);

    // A reset (a new registry's counter) counts from zero instead of going negative.
    registry.resetMetrics();
    c.inc({ outcome: 'ok' }, 4);
    now += 10_000;
    await history.refresh();
    expect(history.increase('attune_turns_total').series.find((s) => s.label === 'ok')?.values.at(-1)).toBe(4);
    history.close();
  });
});

describe('PanelRegistry', () => {
  it('refuses a taken or malformed id, and removes a panel again', () => {
    const panels = new PanelRegistry();
    const remove = panels.register({ id: 'audits', title: 'A', render: 'table', data: async () => ({ columns: [], rows: [] }) });
    expect(() => panels.register({ id: 'audits', title: 'B', render: 'table', data: async () => ({ columns: [], rows: [] }) })).toThrow(ValidationError);
    expect(() => panels.register({ id: 'Not ok', title: 'C', render: 'table', data: async () => ({ columns: [], rows: [] }) })).toThrow(ValidationError);
    remove();
    expect(panels.list()).toEqual([]);
  });

  it('shows a failing panel as unavailable and the others still', async () => {
    const panels = new PanelRegistry();
    panels.register({ id: 'broken', title: 'Broken', render: 'line', data: () => Promise.reject(new Error('secret internals')) });
    panels.register({ id: 'fine', title: 'Fine', render: 'bar', data: async () => ({ labels: ['a'], series: [{ label: 'n', values: [1] }] }) });
    const failed: string[] = [];
    const views = await panels.views((p) => failed.push(p.id));
    expect(views).toEqual([
      { id: 'broken', title: 'Broken', render: 'line', error: 'this panel is unavailable right now' },
      { id: 'fine', title: 'Fine', render: 'bar', data: { labels: ['a'], series: [{ label: 'n', values: [1] }] } },
    ]);
    expect(failed).toEqual(['broken']);
  });
});

describe('Dashboard', () => {
  it('adds a registered panel after the built-in ones; a store that fails takes down its panels only', async () => {
    const store = new MemoryStore();
    const warned: string[] = [];
    const failing = { readEvents: () => Promise.reject(new Error('down')), topCounters: store.topCounters.bind(store) };
    const dashboard = createDashboard({ store: failing, segments: new Segments([]), clock: () => T0, logger: { warn: (o: object) => void warned.push((o as { panel: string }).panel) } });
    dashboard.registerPanel({ id: 'audits', title: 'Admin actions', render: 'table', data: async () => ({ columns: ['action', 'count'], rows: [['user.erase', 2]] }) });
    const data = await dashboard.data();
    dashboard.close();
    expect(data.panels.map((p) => [p.id, 'error' in p])).toEqual([
      ['events', true],
      ['segments', true],
      ['recommendations', false],
      ['ctr', false],
      ['health', false],
      ['quality', false],
      ['audits', false],
    ]);
    expect(warned.sort()).toEqual(['events', 'segments']);
  });
});
