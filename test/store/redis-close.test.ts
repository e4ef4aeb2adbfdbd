import { createHook } from 'node:async_hooks';
import Redis from 'ioredis';
import { RedisStore } from '../../src/store/redis';
import { RUN_PREFIX, onTestRedis } from './redis-harness';
import { until } from '../support/until';

/*
 * Closing a Redis store while a connection of its own is down (between two reconnection
 * attempts) ends it there and then: the process can exit. ioredis's own disconnect() would
 * leave such a client "reconnecting" for good, with a 2-second timer behind it that keeps node
 * (and jest) running.
 */

/**
 * Watches the timers that the store or its Redis client create from now on: `pending()` lists
 * those still armed and ref'd (what keeps node from exiting, besides sockets). Who created a
 * timer is read off the stack, so that jest's own (its reporter ticks meanwhile) do not count.
 */
function watchTimers(): { pending(): Promise<NodeJS.Timeout[]>; stop(): void } {
  const armed = new Map<number, NodeJS.Timeout>();
  const ours = /[\\/](ioredis|src[\\/]store)[\\/]/;
  const hook = createHook({
    init: (id, type, _trigger, resource) => {
      if (type !== 'Timeout') return;
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 40;
      const stack = new Error().stack ?? '';
      Error.stackTraceLimit = limit;
      if (ours.test(stack)) armed.set(id, resource as NodeJS.Timeout);
    },
    destroy: (id) => armed.delete(id), // fired or cleared
  }).enable();
  return {
    pending: async () => {
      // Node reports destroys in a batch of its own, run before the next immediate.
      await new Promise((resolve) => setImmediate(resolve));
      return [...armed.values()].filter((t) => t.hasRef());
    },
    stop: () => hook.disable(),
  };
}
/**
 * Closes `store` from `client`'s next `reconnecting` event, the one moment it is sure to be
 * between two attempts (a retry may be due at once: by the time anything awaited elsewhere
 * comes back, it may be connecting again); resolves with the status it was closed in.
 */
const closeWhenReconnecting = (client: Redis, store: RedisStore) =>
  new Promise<string>((resolve, reject) =>
    client.once('reconnecting', () => {
      const status = client.status;
      store.close().then(() => resolve(status), reject);
    }),
  );
const internals = (store: RedisStore) => store as unknown as { redis: Redis; cache: { serving(): boolean }; tracking: { sub?: Redis; subId?: string } };

test('a store closed while its Redis is unreachable ends its connection at once, with no timer left behind', async () => {
  const timers = watchTimers();
  try {
    // Nothing listens on port 1: every attempt is refused, and the client waits to try again.
    const store = new RedisStore({ url: 'redis://127.0.0.1:1', keyPrefix: `${RUN_PREFIX}close:` });
    const { redis } = internals(store);
    expect(await closeWhenReconnecting(redis, store)).toBe('reconnecting');
    expect(redis.status).toBe('end');
    expect(await timers.pending()).toEqual([]);
  } finally {
    timers.stop();
  }
});

onTestRedis('RedisStore closed while its invalidation connection is down', (url) => {
  const admin = new Redis(url);
  afterAll(() => admin.quit());

  test('a store closed while its invalidation connection reconnects ends that connection at once, with no timer left behind', async () => {
    const timers = watchTimers();
    const store = new RedisStore({ url, keyPrefix: `${RUN_PREFIX}close:` });
    try {
      const { cache, redis, tracking } = internals(store);
      await until('tracking is on', () => cache.serving());
      const sub = tracking.sub!;
      const closed = closeWhenReconnecting(sub, store);
      await admin.client('KILL', 'ID', tracking.subId!);
      expect(await closed).toBe('reconnecting');
      expect(sub.status).toBe('end');
      // The store's own connection was up: QUIT, whose socket closes a moment after the reply.
      await until('the store connection has ended', () => redis.status === 'end');
      expect(await timers.pending()).toEqual([]);
    } finally {
      timers.stop();
      await store.close();
    }
  });
});
