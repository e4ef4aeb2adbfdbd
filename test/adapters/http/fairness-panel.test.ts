import { fairnessPanel } from '../../../adapters/http/dashboard/fairness-panel';
import { AUDIT_RESULTS_ARTIFACT, auditResult, auditResults, gapVerdicts, latestAuditResult, runAudit } from '../../../src/fairness';
import { MemoryStore } from '../../../src/store/memory';
import { plantedBias } from '../../fairness/planted';

describe('the fairness panel', () => {
  const store = new MemoryStore();
  const panel = fairnessPanel({ latest: () => latestAuditResult(store) });
  afterAll(() => store.close());

  it('says so before any audit, and when the saved result cannot be read', async () => {
    expect((await panel.data()).rows).toEqual([['latest audit', '–', '–', '–', '–', '–', 'no audit yet']]);
    await store.putArtifact(AUDIT_RESULTS_ARTIFACT, '{"at":');
    expect((await panel.data()).rows.at(-1)?.at(-1)).toBe('no audit yet');
  });

  it('shows every gap of the latest audit with its verdict, the planted one alerting', async () => {
    const report = runAudit(plantedBias(), { model: 'pop', split: 'user', bootstrap: 0, seed: 3 });
    await auditResults(store).save(auditResult(report, gapVerdicts(report, { minRatio: 0.8 }), new Date('2026-03-01T00:00:00Z')));
    const { columns, rows } = await panel.data();
    const row = (gap: string) => Object.fromEntries(columns.map((c, i) => [c, rows.find((r) => r[0] === gap)?.[i]]));
    expect(row('latest audit')).toMatchObject({ worst: '2026-03-01T00:00:00.000Z', state: '4 alerting' });
    const ndcg = report.gaps.find((g) => g.metric === 'ndcg')!;
    expect(row('taste.ndcg')).toEqual({ gap: 'taste.ndcg', worst: 'niche', best: 'mainstream', 'worst / best': ndcg.ratio.toFixed(3), 'best − worst': ndcg.difference.toFixed(3), threshold: 'ratio ≥ 0.8', state: 'ALERT' });
    expect(rows).toHaveLength(1 + report.gaps.length);
  });
});
