import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import type { Cipher } from '../../src/privacy/cipher';
import { MemoryStore } from '../../src/store/memory';
import { RedisStore } from '../../src/store/redis';
import type { Store } from '../../src/store/store';
import { deleteKeys, dumpKeys, RUN_PREFIX, redisUrlFor } from '../store/redis-harness';

/** A store under test with a view of everything it holds at rest. */
export interface Backend {
  store: Store;
  /** Every key and value at rest, as one string. */
  raw(): Promise<string>;
  /** A raw Redis client on the store's database (Redis only), for planting damaged records. */
  client?: Redis;
  /** The store's key prefix (Redis only). */
  prefix?: string;
  close(): Promise<void>;
}

const redisUrl = redisUrlFor('stores under test: Redis');

/** The memory store, and the Redis store when the Redis tests can run (see redisUrlFor). */
export function backends(options: { cipher?: Cipher } = {}): [string, () => Backend][] {
  const memory = (): Backend => {
    const store = new MemoryStore({ cipher: options.cipher });
    return { store, raw: async () => store.rawDump(), close: () => store.close() };
  };
  const redis = (url: string) => (): Backend => {
    const prefix = `${RUN_PREFIX}${randomBytes(4).toString('hex')}:`;
    const client = new Redis(url, { maxRetriesPerRequest: 1 });
    const store = new RedisStore({ redis: client, keyPrefix: prefix, cipher: options.cipher });
    return {
      store,
      client,
      prefix,
      raw: () => dumpKeys(client, prefix),
      async close() {
        await deleteKeys(client, prefix);
        await store.close();
        client.disconnect();
      },
    };
  };
  return [['memory', memory], ...(redisUrl ? [['redis', redis(redisUrl)] as [string, () => Backend]] : [])];
}
