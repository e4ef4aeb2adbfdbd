import type { AuditResult } from '../../../src/fairness/results';
import type { TableData, TablePanel } from './panels';

/** What the fairness panel reads: the latest saved audit result (`latestAuditResult(store)`). */
export interface FairnessPanelSource {
  latest(): Promise<AuditResult | null>;
}

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '–');

/**
 * The fairness panel: the latest audit (live, or scheduled) with each audited gap between user
 * groups, worst and best group, their ratio and difference, the threshold, and whether it
 * alerts. Before any audit has run, it says so.
 *
 * ```ts
 * dashboard.registerPanel(fairnessPanel({ latest: () => latestAuditResult(attune.store) }));
 * ```
 */
export function fairnessPanel(source: FairnessPanelSource): TablePanel {
  return {
    id: 'fairness',
    title: 'Fairness audit',
    description: 'Gaps between user groups at the latest audit (attune audit --from-store, or scheduled), largest relative gap first; ALERT marks a gap over its threshold.',
    render: 'table',
    data: async (): Promise<TableData> => {
      const columns = ['gap', 'worst', 'best', 'worst / best', 'best − worst', 'threshold', 'state'];
      const result = await source.latest();
      if (!result) return { columns, rows: [['latest audit', '–', '–', '–', '–', '–', 'no audit yet']] };
      return {
        columns,
        rows: [
          ['latest audit', result.at, `${result.report.model}, ${result.report.users} users`, '', '', '', result.alerting ? `${result.alerting} alerting` : 'ok'],
          ...result.verdicts.map((v) => [
            `${v.attribute}.${v.metric}`,
            v.worst,
            v.best,
            f3(v.ratio),
            f3(v.difference),
            `ratio ≥ ${v.minRatio}${v.maxDifference !== undefined ? `, difference ≤ ${v.maxDifference}` : ''}`,
            v.alert ? 'ALERT' : 'ok',
          ]),
        ],
      };
    },
  };
}
