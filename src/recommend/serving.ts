import type { Catalog } from '../core/catalog';
import type { ArtifactStore, EventLog } from '../store/store';
import { createRecommender, loadRecommender, type ModelKind } from './models';
import { ConflictError, NotFoundError } from '../core/errors';
import type { FitOptions, Interaction, ModelArtifact, Recommender } from './recommender';
import type { RecommendationService } from './service';
import { interactionsFromLog, itemFeatures } from './training';

/** Name under which trained recommenders are versioned in the store. */
export const RECOMMENDER_ARTIFACT = 'recommender';

/** Suffix of the artifact that records which version is served (`recommender.served`). */
export const SERVED_SUFFIX = '.served';

/** One served version, as the served record keeps it. */
export interface ServedVersion {
  version: number;
  kind: string;
  /** Epoch ms of the newest interaction it was trained on: a holdout after it is unseen by it. */
  trainedThrough?: number;
  /** Why it is served: trained and served at once, promoted after evaluation, or rolled back to. */
  reason: 'trained' | 'promoted' | 'rollback';
  /** ISO time it started being served. */
  at: string;
}

/** Which version every replica serves, with the versions served before it (newest last). */
export interface ServedRecord {
  current: ServedVersion;
  history: ServedVersion[];
}

/** How many earlier served versions the record keeps for rollback. */
const SERVED_HISTORY = 20;

/** Options of {@link RecommenderServing.train}. */
export interface TrainOptions extends FitOptions {
  /** Model kind (default `itemknn`, item co-occurrence). */
  kind?: ModelKind;
  params?: Record<string, unknown>;
}

/** What a training run produced. */
export interface TrainResult {
  kind: string;
  /** Artifact version saved in the store. */
  version: number;
  interactions: number;
  users: number;
  items: number;
}

/** What serving needs: the event log to train on, artifacts to save, the catalog and the service to swap models into. */
export interface ServingDeps {
  store: EventLog & ArtifactStore;
  catalog: Catalog;
  service: RecommendationService;
  /** Artifact name (default {@link RECOMMENDER_ARTIFACT}). */
  name?: string;
}

/**
 * Trains recommenders off the turn path, saves them as versioned artifacts by name, loads
 * them back (every replica serves the latest), and forgets erased users by retraining.
 *
 * ```ts
 * const serving = new RecommenderServing({ store, catalog, service });
 * await serving.train({ kind: 'ease' });
 * await serving.load(); // on another replica
 * ```
 */
export class RecommenderServing {
  private readonly name: string;

  constructor(private readonly deps: ServingDeps) {
    this.name = deps.name ?? RECOMMENDER_ARTIFACT;
  }

  /** The model served now, if any. */
  get model(): Recommender | undefined {
    return this.deps.service.model;
  }

  /** Serves a model (or none). */
  set(model: Recommender | undefined): void {
    this.deps.service.setModel(model);
  }

  /** Trains on the whole event log, saves a new artifact version, and serves it. */
  async train(options: TrainOptions = {}): Promise<TrainResult> {
    const { store, catalog } = this.deps;
    const interactions = await interactionsFromLog(store);
    const kind = options.kind ?? 'itemknn';
    const model = createRecommender(kind, options.params);
    model.fit({ interactions, items: itemFeatures(catalog) }, { seed: options.seed, onProgress: options.onProgress });
    const version = await store.putArtifact(this.name, JSON.stringify(model.toArtifact()));
    await this.record({ version, kind, trainedThrough: newest(interactions), reason: 'trained' });
    this.set(model);
    return { kind, version, interactions: interactions.length, users: new Set(interactions.map((i) => i.user)).size, items: new Set(interactions.map((i) => i.item)).size };
  }

  /**
   * Serves a saved model: an artifact object (such as a file written by `attune train --out`),
   * the given stored version, or the version the served record names (the latest when there
   * is no record). False when the store holds none.
   */
  async load(source?: ModelArtifact | { version?: number }): Promise<boolean> {
    if (source && 'kind' in source) {
      this.set(loadRecommender(source));
      return true;
    }
    const version = source?.version ?? (await this.served())?.current.version;
    const saved = await this.deps.store.getArtifact(this.name, version);
    if (!saved) return false;
    this.set(loadRecommender(JSON.parse(saved.data) as ModelArtifact));
    return true;
  }

  /** A stored version as a model, without serving it (undefined when the store holds no such version). */
  async version(version: number): Promise<Recommender | undefined> {
    const saved = await this.deps.store.getArtifact(this.name, version);
    return saved ? loadRecommender(JSON.parse(saved.data) as ModelArtifact) : undefined;
  }

  /** Saves a model as a new version without serving it (a candidate before evaluation). */
  async save(model: Recommender): Promise<number> {
    return this.deps.store.putArtifact(this.name, JSON.stringify(model.toArtifact()));
  }

  /** The served record, or undefined before the first training that wrote one. */
  async served(): Promise<ServedRecord | undefined> {
    const saved = await this.deps.store.getArtifact(this.name + SERVED_SUFFIX);
    return saved ? (JSON.parse(saved.data) as ServedRecord) : undefined;
  }

  /**
   * Makes a stored version the served one, for this replica now and for every replica that
   * loads: the served record is a versioned artifact of its own, so replicas agree on Redis.
   */
  async promote(version: number, details: { kind: string; trainedThrough?: number; reason?: ServedVersion['reason'] }): Promise<ServedRecord> {
    const model = await this.version(version);
    if (!model) throw new NotFoundError(`model version ${version} is not stored`);
    const record = await this.record({ version, kind: details.kind, trainedThrough: details.trainedThrough, reason: details.reason ?? 'promoted' });
    this.set(model);
    return record;
  }

  /**
   * Serves again the version served before the current one. Throws a {@link ConflictError}
   * when there is none to go back to.
   */
  async rollback(): Promise<ServedRecord> {
    const record = await this.served();
    const previous = record?.history[record.history.length - 1];
    if (!record || !previous) throw new ConflictError('no earlier served version to roll back to');
    const model = await this.version(previous.version);
    if (!model) throw new NotFoundError(`model version ${previous.version} is no longer stored`);
    const next: ServedRecord = { current: { ...previous, reason: 'rollback', at: new Date().toISOString() }, history: record.history.slice(0, -1) };
    await this.writeRecord(next);
    this.set(model);
    return next;
  }

  private async record(v: Omit<ServedVersion, 'at'>): Promise<ServedRecord> {
    const before = await this.served();
    const history = before ? [...before.history, before.current].slice(-SERVED_HISTORY) : [];
    const record: ServedRecord = { current: { ...v, at: new Date().toISOString() }, history };
    await this.writeRecord(record);
    return record;
  }

  /** Saves the record as the newest version of its artifact, and drops the older ones (the record carries its own history). */
  private async writeRecord(record: ServedRecord): Promise<void> {
    const name = this.name + SERVED_SUFFIX;
    const version = await this.deps.store.putArtifact(name, JSON.stringify(record));
    await this.deps.store.pruneArtifacts(name, version);
  }

  /** Whether the served model holds factors or history for a (stored) user id. */
  knowsUser(userId: string): boolean {
    return this.model?.knowsUser(userId) ?? false;
  }

  /** Retrains the served kind on the log as it is now and drops every older version (they hold erased users). */
  async forget(): Promise<void> {
    const model = this.model;
    if (!model) return;
    const { version } = await this.train({ kind: model.kind as ModelKind });
    await this.deps.store.pruneArtifacts(this.name, version);
    // Older versions are gone: the record must not offer them for rollback.
    const record = await this.served();
    if (record) await this.writeRecord({ current: record.current, history: [] });
  }
}

/** Epoch ms of the newest interaction, or undefined for none. */
function newest(interactions: readonly Interaction[]): number | undefined {
  let t: number | undefined;
  for (const x of interactions) if (Number.isFinite(x.time) && (t === undefined || x.time > t)) t = x.time;
  return t;
}
