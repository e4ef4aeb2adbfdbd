import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import type { Clock } from '../../../src/core/clock';
import type { Segments } from '../../../src/segments/segments';
import type { ArtifactStore, CounterStore, EventLog } from '../../../src/store/store';
import { builtinPanels, TRACKED_COUNTERS } from './builtin-panels';
import { EventWindow, type EventWindowOptions } from './event-window';
import { experimentPanels, type ExperimentPanelSource } from './experiment-panels';
import { MetricHistory } from './metric-history';
import { type Panel, PanelRegistry, type PanelView } from './panels';
import { qualityPanel, type QualityPanelSource } from './quality-panel';
import { fairnessPanel } from './fairness-panel';
import { latestAuditResult } from '../../../src/fairness/results';

/** What the dashboard reads of the engine (an `Attune` has all of it). */
export interface DashboardSource {
  /** With `getArtifact` (every Attune store has it), the fairness panel shows the latest saved audit. */
  readonly store: Pick<EventLog, 'readEvents'> & Pick<CounterStore, 'topCounters'> & Partial<Pick<ArtifactStore, 'getArtifact'>>;
  readonly segments: Pick<Segments, 'definitions'>;
  readonly clock: Clock;
  readonly logger: Pick<Logger, 'warn'>;
  /** The running experiments; with them, the experiment panels are added (an `Attune` has them). */
  readonly experiments?: ExperimentPanelSource['experiments'];
  /** The data-quality gate; with it, the quality monitor's panel is added (an `Attune` with the `quality` option has it). */
  readonly quality?: QualityPanelSource;
}

/** Options of {@link createDashboard}. */
export interface DashboardOptions {
  /**
   * The prom-client Registry the engine's metrics are in (the one `/metrics` serves). Counters
   * it does not hold read as zero; without it, every metric panel shows zeros.
   */
  registry?: Registry;
  /** The event window: buckets of a minute over the last hour by default. */
  window?: EventWindowOptions;
  /** Time between samples of the counters (default 15 s). */
  sampleEveryMs?: number;
  /** Samples kept (default 240). */
  samplesKept?: number;
  /** How often the page asks for fresh data (default 15 s). */
  refreshMs?: number;
}

/** What `GET /dashboard/data` answers. */
export interface DashboardData {
  generatedAt: string;
  /** How often the page should ask again, in ms. */
  refreshMs: number;
  panels: PanelView[];
}

/**
 * The operator's dashboard: a list of panels (see {@link PanelRegistry}) with the built-in
 * ones first, computed on demand from the event log, the store's counters and the metrics
 * Registry. Nothing runs until the data is first asked for; then the counters are sampled on
 * a timer that never keeps the process alive, until {@link Dashboard.close}.
 *
 * ```ts
 * const dashboard = createDashboard(attune, { registry: metrics.registry });
 * dashboard.registerPanel({ id: 'audits', title: 'Admin actions', render: 'table', data: async () => ({ columns: ['action'], rows: [] }) });
 * const app = createServer(attune, { apiKeys, dashboard });
 * ```
 */
export class Dashboard {
  /** The Registry the metric panels read. */
  readonly registry: Registry;
  private readonly panels = new PanelRegistry();
  private readonly history: MetricHistory;
  private readonly refreshMs: number;

  constructor(
    private readonly source: DashboardSource,
    options: DashboardOptions = {},
  ) {
    this.registry = options.registry ?? new Registry();
    this.refreshMs = options.refreshMs ?? 15_000;
    const window = new EventWindow(source.store, source.clock, options.window);
    this.history = new MetricHistory(this.registry, TRACKED_COUNTERS, { clock: source.clock, everyMs: options.sampleEveryMs, keep: options.samplesKept });
    const bucketMs = options.window?.bucketMs ?? 60_000;
    const spanMs = bucketMs * (options.window?.buckets ?? 60);
    for (const panel of builtinPanels({
      window,
      history: this.history,
      registry: this.registry,
      counters: source.store,
      segmentIds: () => source.segments.definitions.map((d) => d.id),
      span: `over the last ${duration(spanMs)}`,
      bucket: `per ${duration(bucketMs)}`,
    })) {
      this.panels.register(panel);
    }
    const { experiments } = source;
    if (experiments) for (const panel of experimentPanels({ experiments, store: source.store, clock: source.clock })) this.panels.register(panel);
    if (source.quality) this.panels.register(qualityPanel(source.quality));
    const { store } = source;
    const getArtifact = store.getArtifact?.bind(store);
    if (getArtifact) this.panels.register(fairnessPanel({ latest: () => latestAuditResult({ getArtifact }) }));
  }

  /**
   * Adds a panel after the others (experiments, audits…); returns a function that removes it.
   * Its id must be new.
   */
  registerPanel(panel: Panel): () => void {
    return this.panels.register(panel);
  }

  /** Every panel with its data now; starts sampling the counters on the first call. */
  async data(): Promise<DashboardData> {
    this.history.start();
    const panels = await this.panels.views((panel, err) => this.source.logger.warn({ err, panel: panel.id }, 'attune: a dashboard panel could not be computed'));
    return { generatedAt: new Date(this.source.clock()).toISOString(), refreshMs: this.refreshMs, panels };
  }

  /** Stops sampling. The dashboard may be asked again afterwards: sampling then starts again. */
  close(): void {
    this.history.close();
  }
}

/**
 * A dashboard over an engine.
 *
 * ```ts
 * const dashboard = createDashboard(attune, { registry });
 * ```
 */
export function createDashboard(source: DashboardSource, options: DashboardOptions = {}): Dashboard {
  return new Dashboard(source, options);
}

function duration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}
