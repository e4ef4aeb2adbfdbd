import { compareKeys } from '../validate';

/** A value with an expiry time (epoch ms of the store's clock; `Infinity` for never). */
export interface Expiring<T> {
  value: T;
  expiresAt: number;
}

/** A live value of `map`, dropping it when expired (as Redis expires on access). */
export function liveValue<T>(map: Map<string, Expiring<T>> | undefined, key: string, now: number): T | undefined {
  const entry = map?.get(key);
  if (!entry) return undefined;
  if (entry.expiresAt <= now) {
    map?.delete(key);
    return undefined;
  }
  return entry.value;
}

/**
 * The recomputable side of a {@link MemoryStore}: counters, cache entries (global and per
 * user) and model artifacts, each mirroring a Redis key of the same role. Anything here can be
 * thrown away and rebuilt from the source of truth (data/); what is about a user goes with the
 * user's erasure, which reaches it through {@link MemoryCacheSide.eraseUser}. Arguments were
 * checked in front (validated.ts).
 */
export class MemoryCacheSide {
  readonly counters = new Map<string, Map<string, number>>();
  readonly cache = new Map<string, Expiring<string>>();
  readonly userCache = new Map<string, Map<string, Expiring<string>>>();
  /** Versions by name; a pruned version is a hole, so numbering goes on. */
  readonly artifacts = new Map<string, (string | undefined)[]>();

  constructor(private readonly now: () => number) {}

  /** Adds to named counters (the counters of a write batch). */
  count(counters: readonly { name: string; increments: Record<string, number> }[]): void {
    for (const c of counters) {
      const counter = this.counters.get(c.name) ?? new Map<string, number>();
      for (const [key, by] of Object.entries(c.increments)) counter.set(key, (counter.get(key) ?? 0) + by);
      this.counters.set(c.name, counter);
    }
  }

  topCounters(name: string, k: number): { key: string; value: number }[] {
    const counter = this.counters.get(name);
    if (!counter) return [];
    return [...counter.entries()]
      .map(([key, value]) => ({ key, value }))
      .sort((a, b) => b.value - a.value || compareKeys(a.key, b.key))
      .slice(0, k);
  }

  cacheGet(key: string, userId?: string): string | null {
    const scope = userId === undefined ? this.cache : this.userCache.get(userId);
    return liveValue(scope, key, this.now()) ?? null;
  }

  cacheSet(key: string, value: string, ttlSeconds: number, userId?: string): void {
    const entry = { value, expiresAt: this.now() + ttlSeconds * 1000 };
    if (userId === undefined) this.cache.set(key, entry);
    else this.userCache.set(userId, (this.userCache.get(userId) ?? new Map<string, Expiring<string>>()).set(key, entry));
  }

  putArtifact(name: string, data: string): number {
    const versions = this.artifacts.get(name) ?? [];
    versions.push(data);
    this.artifacts.set(name, versions);
    return versions.length;
  }

  getArtifact(name: string, version?: number): { version: number; data: string } | null {
    const versions = this.artifacts.get(name);
    if (!versions?.length) return null;
    const v = version ?? versions.length;
    const data = versions[v - 1];
    return data === undefined ? null : { version: v, data };
  }

  pruneArtifacts(name: string, keep: number): number {
    const versions = this.artifacts.get(name) ?? [];
    let n = 0;
    for (let i = 0; i < Math.min(keep - 1, versions.length); i++) {
      if (versions[i] !== undefined) n += 1;
      versions[i] = undefined;
    }
    return n;
  }

  /** The user's live cache entries, by key. */
  entriesOf(userId: string): { key: string; value: string }[] {
    const mine = this.userCache.get(userId);
    const now = this.now();
    return [...(mine?.keys() ?? [])].sort().flatMap((key) => {
      const value = liveValue(mine, key, now);
      return value === undefined ? [] : [{ key, value }];
    });
  }

  /** Removes the user's cache entries; returns how many were live. */
  eraseUser(userId: string): number {
    const live = this.entriesOf(userId).length;
    this.userCache.delete(userId);
    return live;
  }

  /** Every structure, for the store's raw dump. */
  dump(): Record<string, Map<string, unknown>> {
    return { counters: this.counters, cache: this.cache, userCache: this.userCache, artifacts: this.artifacts };
  }
}
