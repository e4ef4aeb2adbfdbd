import { MemoryStore } from '../../src/store/memory';
import { CONTRACT_OPTIONS, storeContract } from './contract';

// Memory keeps time through its injected clock, so TTL tests run without waiting.
storeContract('memory', async () => {
  let now = Date.parse('2024-05-01T10:00:00.000Z');
  const store = new MemoryStore({ ...CONTRACT_OPTIONS, clock: () => now });
  return {
    store,
    advance: async (seconds) => {
      now += seconds * 1000;
    },
  };
});
