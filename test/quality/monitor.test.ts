import { QualityMonitor } from '../../src/quality/monitor';
import type { QualityAlert } from '../../src/quality/report';

describe('QualityMonitor', () => {
  let now = 1_000_000;
  const clock = () => now;
  const make = () => {
    const alerts: QualityAlert[] = [];
    const m = new QualityMonitor({ windowMs: 60_000, minEvents: 20, thresholds: { violation: 0.1, duplicate: 0.05 } }, clock, (a) => alerts.push(a));
    return { m, alerts };
  };

  it('computes each rate over the events of the window, per source', () => {
    const { m } = make();
    m.record('rest', { events: 100, violation: 7, missing: 3, fixed: 40, unparseable: 2, near_duplicate: 1 });
    m.record('rest', { duplicate: 4 });
    m.record('segment', { events: 10, violation: 5 });
    const [rest, segment] = m.snapshot();
    expect(rest).toMatchObject({ source: 'rest', events: 100, rates: { violation: 0.07, missing: 0.03, fixed: 0.4, unparseable: 0.02, near_duplicate: 0.01, duplicate: 0.04 } });
    expect(segment).toMatchObject({ source: 'segment', events: 10, rates: { violation: 0.5 } });
  });

  it('forgets what is older than the window', () => {
    const { m } = make();
    m.record('rest', { events: 50, violation: 50 });
    now += 30_000;
    m.record('rest', { events: 50 });
    expect(m.snapshot()[0].rates.violation).toBe(0.5);
    now += 36_000;
    expect(m.snapshot()[0]).toMatchObject({ events: 50, rates: { violation: 0 } });
  });

  it('alerts once when a rate crosses its threshold, and once when it falls back', () => {
    const { m, alerts } = make();
    // Under the minimum of events, even 100 % does not alert.
    m.record('rest', { events: 10, violation: 10 });
    expect(alerts).toEqual([]);
    m.record('rest', { events: 10, violation: 0 });
    expect(alerts).toEqual([{ source: 'rest', kind: 'violation', state: 'firing', rate: 0.5, threshold: 0.1, events: 20 }]);
    for (let i = 0; i < 5; i++) m.record('rest', { events: 10, violation: 1 });
    expect(alerts).toHaveLength(1);
    expect(m.snapshot()[0].alerting).toEqual(['violation']);
    m.record('rest', { events: 200 });
    expect(alerts).toHaveLength(2);
    expect(alerts[1]).toMatchObject({ kind: 'violation', state: 'resolved' });
    // A rate without a threshold never alerts.
    m.record('rest', { events: 100, fixed: 100 });
    expect(alerts).toHaveLength(2);
  });

  it('does not flap: a firing rate resolves only well under its threshold', () => {
    const { m, alerts } = make();
    m.record('rest', { events: 100, violation: 10 });
    expect(alerts.map((a) => a.state)).toEqual(['firing']);
    // 9 %: under the threshold of 10 %, over 80 % of it: still firing, no new alert.
    m.record('rest', { events: 11 });
    expect(m.snapshot()[0].rates.violation).toBeCloseTo(10 / 111, 10);
    expect(alerts).toHaveLength(1);
    m.record('rest', { events: 20 });
    expect(alerts.map((a) => a.state)).toEqual(['firing', 'resolved']);
  });

  it('keeps sources apart up to a bound, and counts the rest as other', () => {
    const { m } = make();
    for (let i = 0; i < 60; i++) m.record(`app-${i}`, { events: 1 });
    const sources = m.snapshot().map((s) => s.source);
    expect(sources).toHaveLength(51);
    expect(m.snapshot()[0]).toMatchObject({ source: 'other', events: 10 });
  });
});
