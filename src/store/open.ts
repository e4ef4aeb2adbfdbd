import { ConfigError } from '../core/errors';
import { MemoryStore } from './memory';
import { RedisStore, type RedisStoreOptions } from './redis';
import type { Store, StoreOptions } from './store';

/** Options of {@link openStore}: the common ones plus what some back ends read. */
export interface OpenStoreOptions extends StoreOptions {
  /** Key prefix for back ends that share a keyspace (Redis). Default `attune:`. */
  keyPrefix?: string;
  /** Redis: the in-process snapshot cache (see `RedisStoreOptions.userCache`); `false` for one-shot jobs. */
  userCache?: RedisStoreOptions['userCache'];
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

registerStore('memory:', (_url, { keyPrefix: _prefix, userCache: _cache, ...options }) => new MemoryStore(options));
registerStore('redis:', (url, options) => new RedisStore({ ...options, url }));
registerStore('rediss:', (url, options) => new RedisStore({ ...options, url }));

/**
 * Opens the store a URL names: nothing (or `memory:`) is the embedded memory store,
 * `redis://` and `rediss://` are Redis; any other scheme is a ConfigError. The URL usually
 * comes from configuration, so an unset variable gives the embedded default.
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
