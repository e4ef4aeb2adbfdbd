/**
 * The experiments a deployment runs: those given in config (Attune's `experiments` option) and
 * those posted over REST, persisted as a versioned artifact so that every replica serves the
 * same definitions and the same bandit weights, re-read on a short TTL.
 */

import type { Logger } from 'pino';
import type { Clock } from '../core/clock';
import { ConfigError, ConflictError, NotFoundError, ValidationError } from '../core/errors';
import { parse } from '../core/validate';
import type { ArtifactStore, CounterStore } from '../store/store';
import { type AllocationPoint, type ArmStatsSource, currentWeights, isDue, MAX_ALLOCATION_POINTS, reallocate } from './allocation';
import { armCounter } from './arm-counter';
import type { ArmStats } from './bandit';
import { type Experiment, type ExperimentInput, ExperimentSchema, variantWeights } from './definition';
import type { RunnableExperiment } from './enroll';

/** Name of the artifact the registry persists to. */
export const EXPERIMENTS_ARTIFACT = 'experiments';

export { armCounter };

/**
 * Per-arm stats from the experiment's counters: trials are exposures (counted by the experiment
 * stage), successes conversions (counted at ingestion, see `conversions.ts`).
 *
 * ```ts
 * const registry = new ExperimentRegistry({ store, clock, stats: counterArmStats(store) });
 * ```
 */
export function counterArmStats(counters: CounterStore): ArmStatsSource {
  return async (e) => {
    const top = new Map((await counters.topCounters(armCounter(e.id), e.variants.length * 2 + 10)).map((c) => [c.key, c.value]));
    return e.variants.map((v): ArmStats => {
      const trials = Math.max(0, top.get(`${v.id}:exposures`) ?? 0);
      return { trials, successes: Math.min(trials, Math.max(0, top.get(`${v.id}:conversions`) ?? 0)) };
    });
  };
}

/** An experiment with where it comes from, the weights in force and its allocation history. */
export interface ExperimentRecord {
  experiment: Experiment;
  /** `config` (read-only over REST) or `api` (posted). */
  source: 'config' | 'api';
  weights: number[];
  allocations: AllocationPoint[];
}

/** Options of {@link ExperimentRegistry}. */
export interface ExperimentRegistryOptions {
  /** Where posted definitions and allocation histories are persisted. */
  store: ArtifactStore;
  clock: Clock;
  /** Definitions from config, validated here (ConfigError naming what is wrong). */
  experiments?: readonly ExperimentInput[];
  /** How stale the definitions a turn sees may be (default 10 s): a replica re-reads after that. */
  refreshMs?: number;
  /** Per-arm stats of bandits (default: none, so bandits keep their configured weights). */
  stats?: ArmStatsSource;
  logger?: Logger;
}

interface Persisted {
  experiments: Experiment[];
  allocations: Record<string, AllocationPoint[]>;
}

/** How many artifact versions are kept behind the latest. */
const KEEP_VERSIONS = 10;

/**
 * The experiment registry. Turns read {@link ExperimentRegistry.runnable} (from memory, re-read
 * in the background when stale); REST and the CLI read and write through the store.
 *
 * Two replicas posting at the same instant may lose one of the two writes (last writer wins);
 * a POST is an operator's act, rare enough for that, and the answer tells them what was saved.
 *
 * ```ts
 * const registry = new ExperimentRegistry({ store, clock: Date.now, experiments: [{ id: 'k-test', variants: [...], metrics: {...} }] });
 * await registry.save({ id: 'tone', variants: [{ id: 'control' }, { id: 'friendly', overrides: { tone: 'friendly' } }], metrics: { primary: [{ kind: 'conversion' }] } });
 * ```
 */
export class ExperimentRegistry {
  private readonly configured: Experiment[];
  private readonly refreshMs: number;
  private state: Persisted = { experiments: [], allocations: {} };
  private cached: RunnableExperiment[] = [];
  private refreshedAt = -Infinity;
  private refreshing?: Promise<void>;

  constructor(private readonly options: ExperimentRegistryOptions) {
    this.refreshMs = options.refreshMs ?? 10_000;
    const ids = new Set<string>();
    this.configured = (options.experiments ?? []).map((input, i) => {
      let e: Experiment;
      try {
        e = parse(ExperimentSchema, input, `experiments[${i}]`);
      } catch (err) {
        throw new ConfigError(err instanceof Error ? err.message : String(err));
      }
      if (ids.has(e.id)) throw new ConfigError(`experiments[${i}]: duplicate experiment id "${e.id}"`);
      ids.add(e.id);
      return e;
    });
    this.cached = this.configured.map((e) => ({ experiment: e, weights: currentWeights(e, undefined) }));
  }

  /**
   * The experiments for a turn, from memory: the first call waits for the store once, later
   * ones start a background re-read when the copy is older than `refreshMs`. Never throws: a
   * failed read leaves the copy as it was (config only at first).
   */
  async runnable(): Promise<readonly RunnableExperiment[]> {
    if (this.refreshedAt === -Infinity) await this.refreshQuietly();
    else if (this.options.clock() - this.refreshedAt >= this.refreshMs) void this.refreshQuietly();
    return this.cached;
  }

  /** The experiments as last read, without waiting (for rules that run synchronously). */
  get current(): readonly RunnableExperiment[] {
    return this.cached;
  }

  /**
   * Re-reads the store now, and updates the bandits that are due (persisting their new
   * weights). Errors propagate; concurrent calls share one read.
   */
  refresh(): Promise<void> {
    return (this.refreshing ??= this.load().finally(() => {
      this.refreshing = undefined;
    }));
  }

  /** Every experiment, config first, read fresh from the store. */
  async list(): Promise<ExperimentRecord[]> {
    await this.refresh();
    return this.records();
  }

  /** One experiment, read fresh; NotFoundError when there is none of that id. */
  async get(id: string): Promise<ExperimentRecord> {
    await this.refresh();
    const found = this.records().find((r) => r.experiment.id === id);
    if (!found) throw new NotFoundError(`experiment "${id}"`);
    return found;
  }

  /**
   * Validates and saves a definition (ValidationError naming what is wrong), replacing a posted
   * one of the same id: that is how weights change, and enrolled users keep their variant
   * unless `bucketVersion` is bumped. ConflictError for an id defined in config.
   */
  async save(input: unknown): Promise<ExperimentRecord> {
    const e = parse(ExperimentSchema, input, 'experiment');
    if (this.configured.some((c) => c.id === e.id)) throw new ConflictError(`experiment "${e.id}" is defined in config and cannot be changed over the API`);
    await this.refresh();
    const experiments = this.state.experiments.filter((x) => x.id !== e.id).concat(e);
    const allocations = { ...this.state.allocations };
    const previous = this.state.experiments.find((x) => x.id === e.id);
    // New variants make the old history meaningless for the weights (it stays for the record only when arms match).
    if (previous && previous.variants.map((v) => v.id).join('\n') !== e.variants.map((v) => v.id).join('\n')) delete allocations[e.id];
    await this.persist({ experiments, allocations });
    return this.get(e.id);
  }

  private records(): ExperimentRecord[] {
    const all: [Experiment, 'config' | 'api'][] = [...this.configured.map((e): [Experiment, 'config'] => [e, 'config']), ...this.state.experiments.map((e): [Experiment, 'api'] => [e, 'api'])];
    return all.map(([experiment, source]) => {
      const allocations = this.history(experiment.id);
      return { experiment, source, weights: currentWeights(experiment, allocations), allocations: [...allocations] };
    });
  }

  private history(id: string): readonly AllocationPoint[] {
    return Object.hasOwn(this.state.allocations, id) ? this.state.allocations[id] : [];
  }

  private async refreshQuietly(): Promise<void> {
    try {
      await this.refresh();
    } catch (err) {
      // Retry after the TTL, not on every turn of an outage.
      this.refreshedAt = this.options.clock();
      this.options.logger?.warn({ err }, 'attune: could not read the experiments; serving the last known ones');
    }
  }

  private async load(): Promise<void> {
    const got = await this.options.store.getArtifact(EXPERIMENTS_ARTIFACT);
    this.apply(got ? decode(got.data) : { experiments: [], allocations: {} });
    await this.updateBandits();
  }

  private apply(state: Persisted): void {
    const ids = new Set(this.configured.map((e) => e.id));
    // A posted id that config took over later is config's.
    this.state = { experiments: state.experiments.filter((e) => !ids.has(e.id)), allocations: state.allocations };
    this.cached = [...this.configured, ...this.state.experiments].map((e) => ({ experiment: e, weights: currentWeights(e, this.history(e.id)) }));
    this.refreshedAt = this.options.clock();
  }

  private async updateBandits(): Promise<void> {
    const { stats, clock } = this.options;
    const now = clock();
    const due = [...this.configured, ...this.state.experiments].filter((e) => e.status === 'running' && isDue(e, this.history(e.id), now));
    if (!due.length) return;
    const allocations = { ...this.state.allocations };
    for (const e of due) {
      // Without stats the first point records the configured split, and it stays until stats come.
      const point = stats ? reallocate(e, await stats(e), now) : { at: new Date(now).toISOString(), weights: variantWeights(e) };
      allocations[e.id] = [...this.history(e.id), point].slice(-MAX_ALLOCATION_POINTS);
    }
    await this.persist({ experiments: this.state.experiments, allocations });
  }

  private async persist(state: Persisted): Promise<void> {
    const { store } = this.options;
    const version = await store.putArtifact(EXPERIMENTS_ARTIFACT, JSON.stringify(state));
    if (version > KEEP_VERSIONS) await store.pruneArtifacts(EXPERIMENTS_ARTIFACT, version - KEEP_VERSIONS);
    this.apply(state);
  }
}

/** Reads the persisted state; definitions that no longer parse are dropped, never served half-read. */
function decode(data: string): Persisted {
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    throw new ValidationError('the stored experiments are not valid JSON');
  }
  const r = (raw ?? {}) as { experiments?: unknown; allocations?: unknown };
  const experiments = Array.isArray(r.experiments) ? r.experiments.flatMap((e) => {
    const p = ExperimentSchema.safeParse(e);
    return p.success ? [p.data] : [];
  }) : [];
  const allocations: Record<string, AllocationPoint[]> = {};
  if (r.allocations && typeof r.allocations === 'object') {
    for (const [id, list] of Object.entries(r.allocations as Record<string, unknown>)) {
      if (Array.isArray(list)) allocations[id] = list.filter(isPoint);
    }
  }
  return { experiments, allocations };
}

function isPoint(p: unknown): p is AllocationPoint {
  if (typeof p !== 'object' || p === null) return false;
  const x = p as Record<string, unknown>;
  return typeof x.at === 'string' && !Number.isNaN(Date.parse(x.at)) && Array.isArray(x.weights) && x.weights.every((w) => typeof w === 'number' && Number.isFinite(w));
}
