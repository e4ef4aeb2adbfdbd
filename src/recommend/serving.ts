import type { Catalog } from '../core/catalog';
import type { ArtifactStore, EventLog } from '../store/store';
import { createRecommender, loadRecommender, type ModelKind } from './models';
import type { FitOptions, ModelArtifact, Recommender } from './recommender';
import type { RecommendationService } from './service';
import { interactionsFromLog, itemFeatures } from './training';

/** Name under which trained recommenders are versioned in the store. */
export const RECOMMENDER_ARTIFACT = 'recommender';

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
    this.set(model);
    return { kind, version, interactions: interactions.length, users: new Set(interactions.map((i) => i.user)).size, items: new Set(interactions.map((i) => i.item)).size };
  }

  /**
   * Serves a saved model: an artifact object (such as a file written by `attune train --out`),
   * or the store's latest (or given) version. False when the store holds none.
   */
  async load(source?: ModelArtifact | { version?: number }): Promise<boolean> {
    if (source && 'kind' in source) {
      this.set(loadRecommender(source));
      return true;
    }
    const saved = await this.deps.store.getArtifact(this.name, source?.version);
    if (!saved) return false;
    this.set(loadRecommender(JSON.parse(saved.data) as ModelArtifact));
    return true;
  }

  /** A stored version as a model, without serving it (undefined when the store holds no such version). */
  async version(version: number): Promise<Recommender | undefined> {
    const saved = await this.deps.store.getArtifact(this.name, version);
    return saved ? loadRecommender(JSON.parse(saved.data) as ModelArtifact) : undefined;
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
  }
}
