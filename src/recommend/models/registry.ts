/**
 * The single-model kinds by name: how to create one from params and how to load one from an
 * artifact. Separate from index.ts so the hybrid can build its parts without an import cycle.
 */
import { ConfigError } from '../../core/errors';
import type { ModelArtifact, Recommender } from '../recommender';
import { isRecord } from '../artifact';
import { Als } from './als';
import { ContentBased } from './content';
import { Ease } from './ease';
import { ItemKnn } from './itemknn';
import { MatrixFactorization } from './mf';
import { Popularity } from './pop';
import { Rp3Beta } from './rp3beta';

/** How to make and restore one kind of model. */
export interface ModelEntry {
  create(params?: Record<string, unknown>): Recommender;
  load(artifact: ModelArtifact): Recommender;
}

/** Every kind except `hybrid`, which blends these. */
export const BASE_MODELS = {
  pop: { create: (p) => new Popularity(p), load: (a) => Popularity.fromArtifact(a) },
  itemknn: { create: (p) => new ItemKnn(p), load: (a) => ItemKnn.fromArtifact(a) },
  ease: { create: (p) => new Ease(p), load: (a) => Ease.fromArtifact(a) },
  als: { create: (p) => new Als(p), load: (a) => Als.fromArtifact(a) },
  mf: { create: (p) => new MatrixFactorization(p), load: (a) => MatrixFactorization.fromArtifact(a) },
  content: { create: (p) => new ContentBased(p), load: (a) => ContentBased.fromArtifact(a) },
  rp3beta: { create: (p) => new Rp3Beta(p), load: (a) => Rp3Beta.fromArtifact(a) },
} satisfies Record<string, ModelEntry>;

/** A kind the hybrid may blend. */
export type BaseKind = keyof typeof BASE_MODELS;

/** True when `kind` names a single (non-hybrid) model. */
export function isBaseKind(kind: unknown): kind is BaseKind {
  return typeof kind === 'string' && Object.prototype.hasOwnProperty.call(BASE_MODELS, kind);
}

/** Creates a single model; ConfigError on an unknown kind or bad params. */
export function createBase(kind: string, params?: Record<string, unknown>): Recommender {
  if (!isBaseKind(kind)) throw new ConfigError(`unknown model kind ${kind} (known: ${Object.keys(BASE_MODELS).join(', ')})`);
  return BASE_MODELS[kind].create(params);
}

/** Loads a single model's artifact; ConfigError on an unknown kind or format. */
export function loadBase(artifact: ModelArtifact): Recommender {
  if (!isRecord(artifact) || !isBaseKind(artifact.kind)) throw new ConfigError(`unknown model kind in artifact: ${isRecord(artifact) ? String(artifact.kind) : 'not an object'}`);
  return BASE_MODELS[artifact.kind].load(artifact);
}
