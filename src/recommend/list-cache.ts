import type { Recommendation } from '../core/personalization';
import { markList } from './list-identity';
import type { RecommendRequest } from './request';

/**
 * Computed lists, remembered until what they were computed from changes. A list is a pure
 * function of the request (user, k, context, exclusions, filter, weights, model name,
 * diversity), of the parts of the profile that serving reads (purchases, recent items,
 * affinities), of the user's online adjustment, and of the service's state (models, online
 * source, gate, popularity snapshot). The request and the profile parts make the key; the
 * service invalidates the whole cache on every change of its state, so that a list made
 * before a change is never served after it. The gate answers from state of its own (the
 * review queue), so an entry also keeps what the gate said while it was computed, and is served
 * only while the gate still says the same. An entry lives `ttlMs` at most (derived data about a
 * user is not kept long, erased users included), and the cache holds `maxEntries` at most,
 * least recently used out first.
 */

/** What the gate was asked while a list was computed, and what it was told. */
export interface GateRecord {
  /** Item → whether the gate held it. */
  readonly answers: ReadonlyMap<string, boolean>;
  /** The held items the list would have shown, as the gate was told them (none: not told). */
  readonly told?: readonly string[];
}

interface Entry {
  readonly at: number;
  readonly list: readonly Recommendation[];
  readonly gate?: GateRecord;
}

/** Options of {@link ListCache}. */
export interface ListCacheOptions {
  /** Most lists remembered (default 10,000). */
  maxEntries?: number;
  /** Longest a list is served from memory, in ms (default 60 s). */
  ttlMs?: number;
  clock: () => number;
}

/**
 * What a list is computed from, on the request's side (see {@link listKey}): a request whose
 * exclusions were read into an array (an iterable can be read once only).
 */
export type ListRequest = Omit<RecommendRequest, 'exclude'> & { exclude?: readonly string[] };

/** A list's copy: callers may change what they are given, and the cache keeps its own. */
const copied = (list: readonly Recommendation[]): Recommendation[] => list.map((r) => ({ ...r }));

/**
 * Remembered lists, by {@link listKey}.
 *
 * ```ts
 * const cache = new ListCache({ clock: Date.now });
 * cache.get(key) ?? cache.set(key, computed);
 * cache.invalidate(); // a model was swapped: nothing computed before is served
 * ```
 */
export class ListCache {
  private readonly entries = new Map<string, Entry>();
  private readonly max: number;
  private readonly ttlMs: number;
  private readonly clock: () => number;

  constructor(options: ListCacheOptions) {
    this.max = options.maxEntries ?? 10_000;
    this.ttlMs = options.ttlMs ?? 60_000;
    this.clock = options.clock;
  }

  /** Something every list depends on changed: no entry made before is served again. */
  invalidate(): void {
    // Lists are computed synchronously: none is under way while this runs.
    this.entries.clear();
  }

  /** Drops every list remembered for `userId` (the user was erased: nothing derived from them stays). */
  forgetUser(userId: string): void {
    // Every key begins with the JSON array's first element, the user id (see listKey).
    const prefix = `${JSON.stringify([userId]).slice(0, -1)},`;
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  /**
   * A copy of the list remembered for `key`, when it was made since the last invalidation,
   * within its time, and (with a gate record) `stillHeld` answers as the gate did then.
   */
  get(key: string, stillHeld?: (itemId: string) => boolean): { list: Recommendation[]; gate?: GateRecord } | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (this.clock() - e.at >= this.ttlMs || (e.gate && !sameAnswers(e.gate, stillHeld))) {
      this.entries.delete(key);
      return undefined;
    }
    // Re-inserting keeps the map in least-recently-used order, oldest first.
    this.entries.delete(key);
    this.entries.set(key, e);
    const list = copied(e.list);
    markList(list, e);
    return { list, gate: e.gate };
  }

  /**
   * Remembers a copy of `list` for `key`. `list` itself is marked as that entry's (see
   * `listIdentity`): it is the answer of the request that computed it.
   */
  set(key: string, list: readonly Recommendation[], gate?: GateRecord): void {
    this.entries.delete(key);
    const entry: Entry = { at: this.clock(), list: copied(list), gate };
    markList(list, entry);
    this.entries.set(key, entry);
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** Lists remembered now. */
  get size(): number {
    return this.entries.size;
  }
}

function sameAnswers(record: GateRecord, holds: ((itemId: string) => boolean) | undefined): boolean {
  if (!holds) return false;
  for (const [item, held] of record.answers) if (holds(item) !== held) return false;
  return true;
}

/** A number as text that tells every value apart (JSON gives `null` for NaN and both infinities, and `0` for -0). */
const num = (n: number | undefined): string => (n === undefined ? '' : Object.is(n, -0) ? '-0' : String(n));

/** JSON of frozen values, once per value: a stored profile's parts are frozen and shared from read to read. */
const frozenJson = new WeakMap<object, string>();

function json(value: unknown): string {
  if (typeof value !== 'object' || value === null || !Object.isFrozen(value)) return JSON.stringify(value) ?? '';
  let text = frozenJson.get(value);
  if (text === undefined) frozenJson.set(value, (text = JSON.stringify(value)));
  return text;
}

/**
 * The key of a request's list: every input of the list that the request carries, and the
 * user's online adjustment revision (`revision`, undefined without one). Two requests with one
 * key get the same list from the same service state.
 *
 * ```ts
 * listKey({ userId: 'u1', profile, k: 5 }, undefined);
 * ```
 */
export function listKey(req: ListRequest, revision: string | undefined): string {
  const w = req.weights;
  const f = req.filter;
  // Typed as a record of every request field but the profile (keyed below, by its parts):
  // a field added to the request fails to compile here until it is part of the key. The user
  // comes first (see forgetUser).
  const parts: Record<Exclude<keyof ListRequest, 'profile'>, unknown> = {
    userId: req.userId,
    k: num(req.k),
    context: req.context ?? null,
    exclude: req.exclude ?? [],
    weights: w ? [num(w.model), num(w.affinity), num(w.popularity)] : null,
    model: req.model ?? null,
    filter: f ? [num(f.maxPrice), num(f.minPrice), f.categories ?? null, f.tags ?? null] : null,
    diversity: num(req.diversity),
    maxPerCategory: num(req.maxPerCategory),
    propensity: req.propensity ? Object.entries(req.propensity).map(([category, p]) => [category, num(p)]) : null,
    propensityBoost: num(req.propensityBoost),
  };
  const head = JSON.stringify([...Object.values(parts), revision ?? null]);
  const p = req.profile;
  // JSON never holds a raw NUL: it separates the parts unambiguously.
  return p ? `${head}\u0000${json(p.purchased)}\u0000${json(p.recentItems)}\u0000${json(p.affinities)}` : head;
}
