import { MemoryStore } from '../../src/store/memory';
import { CONTRACT_OPTIONS, storeContract } from './contract';

// Memory keeps time through its injected clock, so TTL tests run without waiting.
storeContract('memory', async (options = {}) => {
  let now = Date.parse('2024-05-01T10:00:00.000Z');
  const store = new MemoryStore({ ...CONTRACT_OPTIONS, ...options, clock: () => now });
  const move = async (seconds: number) => {
    now += seconds * 1000;
  };
  return { store, advance: move, skip: move, raw: async () => store.rawDump() };
});
