import { MemoryStore } from '../../src/store/memory';
import { CONTRACT_OPTIONS, storeContract } from './contract';
import { event } from './fixtures';

// Memory keeps time through its injected clock, so TTL tests run without waiting.
storeContract('memory', async (options = {}) => {
  let now = Date.parse('2024-05-01T10:00:00.000Z');
  const store = new MemoryStore({ ...CONTRACT_OPTIONS, ...options, clock: () => now });
  const move = async (seconds: number) => {
    now += seconds * 1000;
  };
  return { store, advance: move, skip: move, raw: async () => store.rawDump() };
});

describe('MemoryStore on a large log', () => {
  test('erases a user whose events span a log of 150,000 (too many to spread as arguments)', async () => {
    const store = new MemoryStore(CONTRACT_OPTIONS);
    await store.write({ events: [event('ada', 0)] });
    for (let b = 0; b < 150; b++) await store.write({ events: [...Array.from({ length: 1000 }, (_, i) => event(`u${i % 100}`, b * 1000 + i)), event('ada', b + 1)] });
    expect(await store.eraseUser('ada')).toEqual({ removed: 151, data: 151, cache: 0 });
    expect((await store.exportUser('ada')).events).toEqual([]);
    expect((await store.readEvents({ limit: 1 })).events[0].messageId).toBe('u0-m0');
  });
});
