import { StoreError, ValidationError } from '../../src/core/errors';
import { BreakerStore, StoreUnavailableError, circuitOf, type BreakerLogger } from '../../src/store/breaker';
import { MemoryStore } from '../../src/store/memory';
import type { Store } from '../../src/store/store';
import { CONTRACT_OPTIONS, storeContract } from './contract';
import { profile } from './fixtures';

// The wrapper changes nothing while the circuit is closed: the whole contract, on memory here
// (breaker-redis.test.ts runs it on Redis).
storeContract('breaker over memory', async (options = {}) => {
  let now = Date.parse('2024-05-01T10:00:00.000Z');
  const inner = new MemoryStore({ ...CONTRACT_OPTIONS, ...options, clock: () => now });
  const move = async (seconds: number) => {
    now += seconds * 1000;
  };
  return { store: new BreakerStore(inner, { logger: quiet }), advance: move, skip: move, raw: async () => inner.rawDump() };
});

const quiet: BreakerLogger = { warn: () => undefined, info: () => undefined };

/** A memory store that fails every call with a StoreError while `down`, counting the calls that reach it. */
function flaky(): { store: Store; calls: string[]; setDown(down: boolean): void } {
  const memory = new MemoryStore();
  const calls: string[] = [];
  let down = false;
  const store = new Proxy(memory, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver);
      if (typeof value !== 'function' || name === 'close') return value;
      return (...args: unknown[]) => {
        calls.push(String(name));
        if (down) return Promise.reject(new StoreError(`backend down (${String(name)})`));
        return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      };
    },
  });
  return { store, calls, setDown: (d) => (down = d) };
}

/** A logger that keeps what it was told. */
function recorder(): BreakerLogger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, warn: (_o, msg) => lines.push(`warn: ${msg}`), info: (_o, msg) => lines.push(`info: ${msg}`) };
}

describe('BreakerStore', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  test('opens after N consecutive back-end failures; then calls fail at once without reaching the store', async () => {
    const backend = flaky();
    const store = new BreakerStore(backend.store, { failureThreshold: 3, logger: quiet });
    backend.setDown(true);
    for (let i = 0; i < 3; i++) await expect(store.readUser('u1')).rejects.toThrow('backend down');
    expect(store.circuit).toMatchObject({ state: 'open', failures: 3, opened: 1 });
    backend.calls.length = 0;
    for (let i = 0; i < 10; i++) {
      const failure = store.write({ profiles: [profile('u1')] });
      await expect(failure).rejects.toBeInstanceOf(StoreUnavailableError);
      // Still a StoreError: callers (turns, the REST API's 503) need no new case.
      await expect(failure).rejects.toBeInstanceOf(StoreError);
    }
    await expect(store.claim(['m1'])).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.exportUser('u1')).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(backend.calls).toEqual([]);
    expect(store.circuit.skipped).toBe(12);
    await store.close();
  });

  test('release is tried even while the circuit is open: a failed write’s claims must go back for the retry', async () => {
    const backend = flaky();
    const store = new BreakerStore(backend.store, { failureThreshold: 1, probeIntervalMs: 60_000, logger: quiet });
    expect(await store.claim(['m1'])).toEqual([true]);
    backend.setDown(true);
    await expect(store.write({ profiles: [profile('u1')] })).rejects.toThrow(StoreError);
    expect(store.circuit.state).toBe('open');
    // The store came back before a probe noticed: the release reaches it, and the retry is new.
    backend.setDown(false);
    await store.release(['m1']);
    expect(await backend.store.claim(['m1'])).toEqual([true]);
    await store.close();
  });

  test('a success in between resets the count, and a ValidationError (the caller’s fault) never counts', async () => {
    const backend = flaky();
    const store = new BreakerStore(backend.store, { failureThreshold: 2, logger: quiet });
    backend.setDown(true);
    await expect(store.readUser('u1')).rejects.toThrow(StoreError);
    backend.setDown(false);
    await store.readUser('u1');
    backend.setDown(true);
    await expect(store.readUser('u1')).rejects.toThrow(StoreError);
    backend.setDown(false);
    for (let i = 0; i < 5; i++) await expect(store.readUser('')).rejects.toThrow(ValidationError);
    expect(store.circuit).toMatchObject({ state: 'closed', failures: 1, opened: 0 });
    await store.close();
  });

  test('probes with ping, backing off while the store stays down, and closes on the first answer', async () => {
    jest.useFakeTimers();
    const backend = flaky();
    const store = new BreakerStore(backend.store, { failureThreshold: 1, probeIntervalMs: 100, maxProbeIntervalMs: 400, logger: quiet });
    backend.setDown(true);
    await expect(store.readUser('u1')).rejects.toThrow(StoreError);
    backend.calls.length = 0;
    const pingsAfter = async (ms: number) => {
      await jest.advanceTimersByTimeAsync(ms);
      return backend.calls.filter((c) => c === 'ping').length;
    };
    // Probes at +100, then 200 and 400 apart (doubling), then 400 apart (the cap).
    expect(await pingsAfter(99)).toBe(0);
    expect(await pingsAfter(1)).toBe(1);
    expect(await pingsAfter(199)).toBe(1);
    expect(await pingsAfter(1)).toBe(2);
    expect(await pingsAfter(400)).toBe(3);
    expect(await pingsAfter(400)).toBe(4);
    expect(backend.calls.every((c) => c === 'ping')).toBe(true);
    expect(store.circuit.state).toBe('open');
    backend.setDown(false);
    await pingsAfter(400);
    expect(store.circuit.state).toBe('closed');
    await store.write({ profiles: [profile('u1')] });
    expect((await store.readUser('u1')).profile).toEqual(profile('u1'));
    await store.close();
  });

  test('logs the outage once when it opens and once when it closes, however many calls it skips', async () => {
    jest.useFakeTimers();
    const backend = flaky();
    const logger = recorder();
    const changes: string[] = [];
    const store = new BreakerStore(backend.store, { failureThreshold: 2, probeIntervalMs: 10, logger, onStateChange: (state) => changes.push(state) });
    backend.setDown(true);
    for (let i = 0; i < 50; i++) await store.readUser('u1').catch(() => undefined);
    await jest.advanceTimersByTimeAsync(500);
    backend.setDown(false);
    await jest.advanceTimersByTimeAsync(2000);
    expect(logger.lines).toEqual([
      'warn: attune: the store keeps failing; circuit open: calls skip it (turns run unpersonalized) until a probe answers',
      'info: attune: the store answers again; circuit closed: personalization resumes',
    ]);
    expect(changes).toEqual(['open', 'closed']);
    expect(store.circuit).toMatchObject({ state: 'closed', opened: 1, skipped: 48 });
    await store.close();
  });

  test('ping always asks the store, and an answer closes an open circuit at once', async () => {
    const backend = flaky();
    const store = new BreakerStore(backend.store, { failureThreshold: 1, probeIntervalMs: 60_000, logger: quiet });
    backend.setDown(true);
    await expect(store.ping()).rejects.toThrow(StoreError);
    expect(circuitOf(store)?.state).toBe('open');
    await expect(store.ping()).rejects.toThrow(StoreError);
    backend.setDown(false);
    await store.ping();
    expect(circuitOf(store)?.state).toBe('closed');
    expect(circuitOf(new MemoryStore())).toBeUndefined();
    await store.close();
  });

  test('a closed wrapper stops probing and says the store is closed', async () => {
    jest.useFakeTimers();
    const backend = flaky();
    const store = new BreakerStore(backend.store, { failureThreshold: 1, probeIntervalMs: 10, logger: quiet });
    backend.setDown(true);
    await expect(store.readUser('u1')).rejects.toThrow(StoreError);
    await store.close();
    backend.calls.length = 0;
    await jest.advanceTimersByTimeAsync(1000);
    expect(backend.calls).toEqual([]);
    backend.setDown(false);
    await expect(store.readUser('u1')).rejects.toThrow(ValidationError);
  });
});
