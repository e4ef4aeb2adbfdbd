import type { Clock } from '../../../src/core/clock';
import type { ExperimentRecord } from '../../../src/experiments/registry';
import { readExperimentResults, type ExperimentResults } from '../../../src/experiments/results';
import type { EventLog } from '../../../src/store/store';
import type { LinePanel, TablePanel } from './panels';

/** What the experiment panels read: the running experiments and the event log. */
export interface ExperimentPanelSource {
  readonly experiments: { list(): Promise<ExperimentRecord[]> };
  readonly store: Pick<EventLog, 'readEvents'>;
  readonly clock: Clock;
}

/** Options of {@link experimentPanels}. */
export interface ExperimentPanelOptions {
  /** How long computed results are reused (default 60 s): reading the log is the costly part. */
  cacheMs?: number;
  /** Experiments shown (default 10, the first ones listed). */
  maxExperiments?: number;
  /** Events read per experiment and refresh (default 200,000; the row says when it stopped). */
  maxEvents?: number;
}

const pct = (x: number): string => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %` : '–');
const num = (x: number): string => (Number.isFinite(x) ? (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3)) : '–');

/**
 * The experiments' panels: per variant and metric, the mean with the relative lift and its
 * confidence interval against the control, the p-value after Holm, and the sample-ratio
 * badge; and each experiment's allocation over time (the weights in force, which a bandit
 * moves). Results come from the event log, as `GET /v1/experiments/:id/results` computes
 * them, and are kept for `cacheMs` so that a page refreshing every 15 s does not re-read the log.
 *
 * ```ts
 * for (const panel of experimentPanels(attune)) dashboard.registerPanel(panel);
 * ```
 */
export function experimentPanels(source: ExperimentPanelSource, options: ExperimentPanelOptions = {}): [TablePanel, LinePanel] {
  const cacheMs = options.cacheMs ?? 60_000;
  const max = options.maxExperiments ?? 10;
  const cache = new Map<string, { at: number; results: ExperimentResults }>();

  const resultsOf = async (record: ExperimentRecord): Promise<ExperimentResults> => {
    const id = record.experiment.id;
    const hit = cache.get(id);
    const now = source.clock();
    if (hit && now - hit.at < cacheMs) return hit.results;
    const results = await readExperimentResults(source.store, record.experiment, { maxEvents: options.maxEvents ?? 200_000 });
    cache.set(id, { at: now, results });
    return results;
  };

  const table: TablePanel = {
    id: 'experiments',
    title: 'Experiments',
    description: 'Per variant and metric from the event log: mean, lift over the control with its 95 % interval, Holm-adjusted p, and the sample-ratio check',
    render: 'table',
    data: async () => {
      const rows: (string | number)[][] = [];
      for (const record of (await source.experiments.list()).slice(0, max)) {
        const r = await resultsOf(record);
        const srm = r.srm.ok ? `ok (p ${num(r.srm.pValue)})` : `MISMATCH (p ${num(r.srm.pValue)})`;
        for (const m of r.metrics) {
          const metric = `${m.id}${m.role === 'guardrail' ? ' (guardrail)' : ''}`;
          if (!m.analysis) {
            rows.push([r.experimentId, metric, '', '', '', m.error ?? 'not analyzed', '', srm]);
            continue;
          }
          for (const v of m.analysis.variants) {
            const c = m.analysis.comparisons.find((x) => x.variant === v.id);
            rows.push([
              r.experimentId,
              metric,
              v.id,
              v.n,
              num(v.mean),
              c ? `${pct(c.relLift)} [${pct(c.relCi[0])}, ${pct(c.relCi[1])}]` : 'control',
              c ? num(c.adjustedPValue) : '',
              srm,
            ]);
          }
        }
      }
      return { columns: ['experiment', 'metric', 'variant', 'users', 'mean', 'lift [95 % CI]', 'p (Holm)', 'SRM'], rows };
    },
  };

  const allocation: LinePanel = {
    id: 'experiment-allocation',
    title: 'Experiment allocation',
    description: 'Traffic share of each variant over time (a bandit moves it; a fixed split stays flat)',
    render: 'line',
    data: async () => {
      const records = (await source.experiments.list()).slice(0, max);
      const now = source.clock();
      // One time axis for all: an hour ago (so a fixed split draws a line), every change of weights since, and now.
      const from = now - 3_600_000;
      const changes = records.flatMap((r) => r.allocations.map((a) => Date.parse(a.at))).filter((t) => Number.isFinite(t) && t > from && t < now);
      const times = [...new Set([from, ...changes, now])].sort((a, b) => a - b);
      const series = records.flatMap((r) =>
        r.experiment.variants.map((v, i) => ({
          label: `${r.experiment.id}/${v.id}`,
          values: times.map((t) => {
            const point = [...r.allocations].reverse().find((a) => Date.parse(a.at) <= t);
            return point?.weights[i] ?? r.weights[i] ?? 0;
          }),
        })),
      );
      return { x: times, series };
    },
  };

  return [table, allocation];
}
