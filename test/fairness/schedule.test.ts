import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { ValidationError } from '../../src/core/errors';
import type { Dataset } from '../../src/datasets/types';
import { AuditScheduler, auditResults, auditScheduleFromEnv, gapVerdicts, latestAuditResult, runAudit, type AuditReport } from '../../src/fairness';
import { FAIRNESS_METRIC_NAMES, fairnessMetrics } from '../../src/observe/fairness-metrics';
import { MemoryStore } from '../../src/store/memory';
import { plantedBias } from './planted';

/*
 * Scheduled audits and their alerts: on the planted bias every audited gap of `taste` is far
 * under the four-fifths floor; on the same data with the groups drawn by user parity (every
 * group holds niche and mainstream users alike) none is. The scheduler must raise the alert
 * (a log line and the metrics) for the first, not for the second, and say when it resolves.
 */
const AUDIT = { model: 'pop', split: 'user', bootstrap: 0, seed: 3 } as const;
const biasedData = plantedBias();
const fairData: Dataset = { ...biasedData, users: new Map([...biasedData.users!].map(([u]) => [u, { taste: Number(u.slice(1)) % 2 ? 'odd' : 'even' }])) };
const biased = runAudit(biasedData, AUDIT);
const fair = runAudit(fairData, AUDIT);

interface Logged {
  level: 'warn' | 'info' | 'error';
  fields: Record<string, unknown>;
  message: string;
}

function harness(reports: AuditReport[], dir?: string) {
  const logged: Logged[] = [];
  const log = (level: Logged['level']) => (fields: Record<string, unknown>, message: string) => void logged.push({ level, fields, message });
  const logger = { warn: log('warn'), info: log('info'), error: log('error') } as unknown as ConstructorParameters<typeof AuditScheduler>[0]['logger'];
  const registry = new Registry();
  const store = new MemoryStore();
  let i = 0;
  const run = jest.fn(async () => {
    const r = reports[Math.min(i++, reports.length - 1)];
    if (r === undefined) throw new Error('no report');
    return r;
  });
  const scheduler = new AuditScheduler({ run, results: auditResults(store, { dir }), logger, clock: () => Date.parse('2026-03-01T00:00:00Z'), thresholds: { minRatio: 0.8 }, observers: [fairnessMetrics(registry)] });
  const metric = async (name: string, labels: Record<string, string> = {}) =>
    (await registry.getSingleMetric(name)?.get())?.values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x))?.value;
  return { scheduler, logged, registry, store, run, metric };
}

const NDCG = { attribute: 'taste', metric: 'ndcg' };

describe('scheduled fairness audits', () => {
  it('judge the planted gaps: all under the floor with the bias, none without', () => {
    expect(gapVerdicts(biased).filter((v) => v.attribute === 'taste').every((v) => v.alert && v.crossed === 'ratio')).toBe(true);
    expect(gapVerdicts(fair).filter((v) => v.alert)).toEqual([]);
    // A ceiling on the difference alerts too, and only the metrics asked for are judged.
    expect(gapVerdicts(fair, { maxDifference: 0.01, metrics: ['ndcg'] }).map((v) => [v.metric, v.crossed])).toEqual([['ndcg', 'difference']]);
  });

  it('raise the alert when a gap crosses its threshold: one warn line per gap and the metrics, then its resolution', async () => {
    const h = harness([biased, biased, fair]);
    const first = await h.scheduler.runOnce();
    expect(first?.alerting).toBe(4);
    const warns = h.logged.filter((l) => l.level === 'warn');
    expect(warns.map((l) => l.fields.metric).sort()).toEqual(['hitRate', 'ndcg', 'recall', 'tailExposure']);
    expect(warns.find((l) => l.fields.metric === 'ndcg')?.fields).toMatchObject({ alert: 'fairness_gap', state: 'firing', attribute: 'taste', worst: 'niche', best: 'mainstream', minRatio: 0.8, model: 'pop' });
    expect(await h.metric(FAIRNESS_METRIC_NAMES.fairnessAlerts, NDCG)).toBe(1);
    expect(await h.metric(FAIRNESS_METRIC_NAMES.fairnessAlerting, NDCG)).toBe(1);
    const ndcg = biased.gaps.find((g) => g.attribute === 'taste' && g.metric === 'ndcg')!;
    expect(await h.metric(FAIRNESS_METRIC_NAMES.fairnessGap, NDCG)).toBeCloseTo(ndcg.difference, 10);
    expect(await h.metric(FAIRNESS_METRIC_NAMES.fairnessGapRatio, NDCG)).toBeCloseTo(ndcg.ratio, 10);

    // Still over: no second alert, the gauge holds.
    await h.scheduler.runOnce();
    expect(h.logged.filter((l) => l.level === 'warn')).toHaveLength(4);
    expect(await h.metric(FAIRNESS_METRIC_NAMES.fairnessAlerts, NDCG)).toBe(1);

    // Back under: resolved, once per gap, at info; the gauge drops.
    await h.scheduler.runOnce();
    expect(h.logged.filter((l) => l.level === 'info' && l.fields.state === 'resolved')).toHaveLength(4);
    expect(await h.metric(FAIRNESS_METRIC_NAMES.fairnessAlerting, NDCG)).toBe(0);
    expect(await h.metric(FAIRNESS_METRIC_NAMES.fairnessAudits, { outcome: 'ok' })).toBe(3);
  });

  it('raise nothing when no gap crosses its threshold', async () => {
    const h = harness([fair]);
    const result = await h.scheduler.runOnce();
    expect(result?.alerting).toBe(0);
    expect(h.logged.filter((l) => l.level === 'warn')).toEqual([]);
    expect(await h.metric(FAIRNESS_METRIC_NAMES.fairnessAlerts, NDCG)).toBeUndefined();
    expect(await h.metric(FAIRNESS_METRIC_NAMES.fairnessAlerting, NDCG)).toBe(0);
  });

  it('write each result to the store (the latest reads back) and, given one, to a folder as JSON and Markdown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'attune-audit-'));
    try {
      const h = harness([biased], dir);
      await h.scheduler.runOnce();
      const latest = await latestAuditResult(h.store);
      expect(latest?.alerting).toBe(4);
      expect(latest?.verdicts.find((v) => v.metric === 'ndcg')?.worst).toBe('niche');
      expect(JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8'))).toMatchObject({ alerting: 4, at: '2026-03-01T00:00:00.000Z' });
      expect(readFileSync(join(dir, 'latest.md'), 'utf8')).toContain('## Gaps between user groups');
      expect(existsSync(join(dir, 'audit-2026-03-01T00-00-00-000Z.json'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('log a failed audit, count it, and run the next one; an audit under way is joined, not run twice', async () => {
    const h = harness([]);
    expect(await h.scheduler.runOnce()).toBeUndefined();
    expect(h.logged.filter((l) => l.level === 'error').map((l) => l.message)).toEqual(['attune: scheduled fairness audit failed']);
    expect(await h.metric(FAIRNESS_METRIC_NAMES.fairnessAudits, { outcome: 'failed' })).toBe(1);
    const ok = harness([fair]);
    const [a, b] = [ok.scheduler.runOnce(), ok.scheduler.runOnce()];
    expect(a).toBe(b);
    await a;
    expect(ok.run).toHaveBeenCalledTimes(1);
  });

  it('run on a timer, every interval until stopped', async () => {
    jest.useFakeTimers();
    try {
      const h = harness([fair]);
      const stop = h.scheduler.start(60_000);
      await jest.advanceTimersByTimeAsync(59_999);
      expect(h.run).not.toHaveBeenCalled();
      await jest.advanceTimersByTimeAsync(1);
      expect(h.run).toHaveBeenCalledTimes(1);
      stop();
      await jest.advanceTimersByTimeAsync(120_000);
      expect(h.run).toHaveBeenCalledTimes(1);
      expect(() => h.scheduler.start(10)).toThrow(RangeError);
    } finally {
      jest.useRealTimers();
    }
  });

  it('are off unless configured, and read their settings from the environment', () => {
    expect(auditScheduleFromEnv({})).toEqual({ thresholds: {} });
    expect(auditScheduleFromEnv({ ATTUNE_AUDIT_EVERY: '6h', ATTUNE_AUDIT_ATTRIBUTES: 'gender, age_band', ATTUNE_AUDIT_MODEL: 'ease', ATTUNE_AUDIT_MIN_RATIO: '0.9', ATTUNE_AUDIT_MAX_DIFFERENCE: '0.05', ATTUNE_AUDIT_DIR: 'audits' })).toEqual({
      everyMs: 6 * 3_600_000,
      attributes: ['gender', 'age_band'],
      model: 'ease',
      thresholds: { minRatio: 0.9, maxDifference: 0.05 },
      dir: 'audits',
    });
    expect(() => auditScheduleFromEnv({ ATTUNE_AUDIT_EVERY: 'daily' })).toThrow(ValidationError);
    expect(() => auditScheduleFromEnv({ ATTUNE_AUDIT_MIN_RATIO: '2' })).toThrow(ValidationError);
  });
});
