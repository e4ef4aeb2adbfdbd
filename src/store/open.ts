import { ConfigError } from '../core/errors';
import { BreakerStore, type BreakerOptions } from './breaker';
import { MemoryStore } from './memory';
import { RedisStore, type RedisStoreOptions } from './redis';
import type { Store, StoreOptions } from './store';

/** Options of {@link openStore}: the common ones plus what some back ends read. */
export interface OpenStoreOptions extends StoreOptions {
  /** Key prefix for back ends that share a keyspace (Redis). Default `attune:`. */
  keyPrefix?: string;
  /** Redis: the in-process snapshot cache (see `RedisStoreOptions.userCache`); `false` for one-shot jobs. */
  userCache?: RedisStoreOptions['userCache'];
  /** Redis: the deadline of turn-path calls (see `RedisStoreOptions.commandTimeoutMs`). */
  commandTimeoutMs?: number;
  /** Redis: when a silent connection is taken for dead (see `RedisStoreOptions.socketTimeoutMs`). */
  socketTimeoutMs?: number;
  /**
   * Back ends that can be down (Redis): the circuit breaker in front of the store (see
   * {@link BreakerStore}), on by default; `false` to open the bare store.
   */
  breaker?: BreakerOptions | false;
}

/** Opens a store of one back end from its URL. */
export type StoreOpener = (url: string, options: OpenStoreOptions) => Store;

// Back ends by URL scheme (with the colon, lower case), as Gorse registers its databases.
const openers = new Map<string, StoreOpener>();

/**
 * Makes `openStore` open URLs of `scheme` with `open`; a later registration replaces an earlier
 * one. `scheme` is written with its colon, e.g. `mongodb:`.
 *
 * ```ts
 * registerStore('mongodb:', (url, options) => new MongoStore(url, options));
 * ```
 */
export function registerStore(scheme: string, open: StoreOpener): void {
  if (!/^[a-z][a-z0-9+.-]*:$/.test(scheme)) throw new ConfigError(`store scheme must look like "name:", got "${scheme}"`);
  openers.set(scheme, open);
}

registerStore('memory:', (_url, { keyPrefix: _prefix, userCache: _cache, commandTimeoutMs: _deadline, socketTimeoutMs: _socket, breaker: _breaker, ...options }) => new MemoryStore(options));

/** Redis behind a circuit breaker (unless `breaker: false`): a Redis that is down costs turns nothing. */
function openRedis(url: string, { breaker, ...options }: OpenStoreOptions): Store {
  const store = new RedisStore({ ...options, url });
  return breaker === false ? store : new BreakerStore(store, breaker);
}
registerStore('redis:', openRedis);
registerStore('rediss:', openRedis);

/**
 * Opens the store a URL names: nothing (or `memory:`) is the embedded memory store,
 * `redis://` and `rediss://` are Redis, behind a circuit breaker (option `breaker`); any
 * other scheme is a ConfigError. The URL usually comes from configuration, so an unset
 * variable gives the embedded default.
 *
 * ```ts
 * const store = openStore(process.env.ATTUNE_REDIS_URL, { sessionTtlSeconds: 900 });
 * await store.ping();
 * ```
 */
export function openStore(url?: string, options: OpenStoreOptions = {}): Store {
  const scheme = url ? /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1].toLowerCase() : 'memory';
  const open = scheme === undefined ? undefined : openers.get(`${scheme}:`);
  // Only the scheme goes into the message: the rest of a URL may hold a password.
  if (!open) throw new ConfigError(`unknown store URL scheme ${scheme ? `"${scheme}:"` : '(none)'}: expected memory:, redis:// or rediss://`);
  return open(url ?? '', options);
}
