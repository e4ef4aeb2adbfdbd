import { ConfigError } from '../../src/core/errors';
import { BreakerStore } from '../../src/store/breaker';
import { MemoryStore } from '../../src/store/memory';
import { openStore, registerStore } from '../../src/store/open';
import { RedisStore } from '../../src/store/redis';

describe('openStore', () => {
  test.each([undefined, '', 'memory:', 'MEMORY:'])('%p opens the embedded memory store', async (url) => {
    const store = openStore(url, { sessionTtlSeconds: 5, keyPrefix: 'ignored:' });
    expect(store).toBeInstanceOf(MemoryStore);
    await store.close();
  });

  test.each(['redis://127.0.0.1:1', 'rediss://127.0.0.1:1'])('%s opens a RedisStore behind a circuit breaker', async (url) => {
    // Construction does not wait for a connection, so no Redis is needed (nothing listens on
    // port 1); closing right away stops the attempt.
    const store = openStore(url, { keyPrefix: 'attune-open-test:' });
    try {
      expect(store).toBeInstanceOf(BreakerStore);
      expect((store as BreakerStore).inner).toBeInstanceOf(RedisStore);
      expect(store.kind).toBe('redis');
    } finally {
      await store.close();
    }
  });

  test('breaker: false opens the bare RedisStore', async () => {
    const store = openStore('redis://127.0.0.1:1', { keyPrefix: 'attune-open-test:', breaker: false });
    try {
      expect(store).toBeInstanceOf(RedisStore);
    } finally {
      await store.close();
    }
  });

  test.each(['mongodb://db/attune', 'localhost:6379', '127.0.0.1', 'http://redis'])('%s is a ConfigError', (url) => {
    expect(() => openStore(url)).toThrow(ConfigError);
  });

  test('the error names the scheme but never the rest of the URL, which may hold a password', () => {
    expect(() => openStore('mongodb://admin:hunter2@db/attune')).toThrow('unknown store URL scheme "mongodb:"');
    expect(() => openStore('mongodb://admin:hunter2@db/attune')).not.toThrow(/hunter2/);
  });

  test('a back end registered for a scheme opens its URLs', async () => {
    const opened: string[] = [];
    registerStore('test-kv:', (url, options) => {
      opened.push(url);
      return new MemoryStore(options);
    });
    const store = openStore('test-kv://somewhere');
    expect([store.kind, opened]).toEqual(['memory', ['test-kv://somewhere']]);
    await store.close();
  });

  test('a scheme must be written as `name:`', () => {
    expect(() => registerStore('redis', () => new MemoryStore())).toThrow(ConfigError);
  });
});
