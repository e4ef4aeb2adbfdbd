import { z } from 'zod';
import { NotFoundError, ValidationError } from '../../core/errors';
import { parse } from '../../core/validate';
import type { ArtifactStore } from '../../store/store';
import type { Discovery } from './discover';
import { ScalerSchema } from './scale';

/**
 * Discovery results and accepted segmentations as versioned artifacts. A discovery is saved
 * as a proposal (`segments.discovered`, one version per run); nothing changes for users until
 * an operator names its clusters and accepts it, which saves the live segmentation
 * (`segments.live`) every replica serves. Both hold aggregates only: centroids, sizes, means;
 * no user id.
 */

/** The artifact of discovery runs. */
export const DISCOVERY_ARTIFACT = 'segments.discovered';
/** The artifact of the accepted, live segmentation. */
export const LIVE_ARTIFACT = 'segments.live';

const SEGMENT_ID = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'segment ids are lower-case letters, digits, - and _');

/** zod schema of a saved discovery. */
export const DiscoveryArtifactSchema = z.object({
  kind: z.literal('attune.segments.discovery'),
  createdAt: z.string(),
  method: z.enum(['kmeans', 'ward']),
  features: z.array(z.string()).min(1),
  scaler: ScalerSchema,
  k: z.number().int().min(2),
  silhouettes: z.array(z.object({ k: z.number().int(), silhouette: z.number(), eligible: z.boolean() })),
  clusters: z.array(z.object({ label: z.string(), suggestedId: z.string(), size: z.number().int(), centroid: z.array(z.number()), means: z.array(z.number()) })).min(2),
  users: z.number().int(),
  seed: z.number(),
});
/** A saved discovery. */
export type DiscoveryArtifact = z.infer<typeof DiscoveryArtifactSchema>;

/** zod schema of the live segmentation. */
export const LiveSegmentationSchema = z.object({
  kind: z.literal('attune.segments.live'),
  /** The discovery version it was accepted from. */
  from: z.number().int().positive(),
  acceptedAt: z.string(),
  features: z.array(z.string()).min(1),
  scaler: ScalerSchema,
  segments: z.array(z.object({ id: SEGMENT_ID, name: z.string(), centroid: z.array(z.number()) })).min(2),
});
/** The accepted segmentation: each user belongs to the segment of the nearest centroid. */
export type LiveSegmentation = z.infer<typeof LiveSegmentationSchema>;

/** The names an operator gives clusters, by cluster index: an id, and optionally a display name. */
export type ClusterNames = Record<number, { id: string; name?: string }>;

/**
 * Saves a discovery as a new version of {@link DISCOVERY_ARTIFACT}.
 *
 * ```ts
 * const version = await saveDiscovery(store, discoverSegments(profiles, options), Date.now());
 * ```
 */
export async function saveDiscovery(store: ArtifactStore, d: Discovery, nowMs: number): Promise<number> {
  const artifact: DiscoveryArtifact = {
    kind: 'attune.segments.discovery',
    createdAt: new Date(nowMs).toISOString(),
    method: d.method,
    features: d.features,
    scaler: d.scaler,
    k: d.k,
    silhouettes: d.silhouettes,
    clusters: d.clusters,
    users: d.users,
    seed: d.seed,
  };
  return store.putArtifact(DISCOVERY_ARTIFACT, JSON.stringify(artifact));
}

/** A saved discovery (default: the latest); NotFoundError when there is none. */
export async function loadDiscovery(store: ArtifactStore, version?: number): Promise<{ version: number; discovery: DiscoveryArtifact }> {
  const found = await store.getArtifact(DISCOVERY_ARTIFACT, version);
  if (!found) throw new NotFoundError(version === undefined ? 'discovery' : `discovery version ${version}`);
  return { version: found.version, discovery: parse(DiscoveryArtifactSchema, JSON.parse(found.data), 'discovery artifact') };
}

/**
 * Accepts a saved discovery: every cluster gets the id (and name) an operator chose, and the
 * result is saved as the live segmentation. Each cluster must be named once, with distinct
 * ids; unnamed clusters are refused, since every user would be assigned to one of them.
 *
 * ```ts
 * await acceptDiscovery(store, 3, { 0: { id: 'big-spenders' }, 1: { id: 'yoga-chatters', name: 'Yoga chatters' } }, Date.now());
 * ```
 */
export async function acceptDiscovery(store: ArtifactStore, version: number, names: ClusterNames, nowMs: number): Promise<{ version: number; live: LiveSegmentation }> {
  const { discovery } = await loadDiscovery(store, version);
  const issues: { path: (string | number)[]; message: string }[] = [];
  const ids = new Set<string>();
  const segments = discovery.clusters.map((c, i) => {
    const given = Object.hasOwn(names, i) ? names[i] : undefined;
    if (!given) issues.push({ path: ['names', i], message: `name cluster ${i} (${c.label})` });
    else if (ids.has(given.id)) issues.push({ path: ['names', i], message: `segment id ${given.id} is given twice` });
    else if (!SEGMENT_ID.safeParse(given.id).success) issues.push({ path: ['names', i], message: 'segment ids are lower-case letters, digits, - and _' });
    if (given) ids.add(given.id);
    return { id: given?.id ?? '', name: given?.name ?? c.label, centroid: c.centroid };
  });
  for (const k of Object.keys(names)) if (!(Number(k) >= 0 && Number(k) < discovery.clusters.length)) issues.push({ path: ['names', k], message: `no cluster ${k}: the discovery has ${discovery.clusters.length}` });
  if (issues.length) throw new ValidationError('invalid acceptance', issues);
  const live: LiveSegmentation = { kind: 'attune.segments.live', from: version, acceptedAt: new Date(nowMs).toISOString(), features: discovery.features, scaler: discovery.scaler, segments };
  return { version: await store.putArtifact(LIVE_ARTIFACT, JSON.stringify(live)), live };
}

/** The live segmentation, or null when none was accepted. */
export async function loadLiveSegmentation(store: ArtifactStore): Promise<LiveSegmentation | null> {
  const found = await store.getArtifact(LIVE_ARTIFACT);
  return found ? parse(LiveSegmentationSchema, JSON.parse(found.data), 'live segmentation') : null;
}
