import { MemoryStore } from '../../src/store/memory';
import { observedStore, type StoreCall } from '../../src/store/observed';
import type { Store } from '../../src/store/store';

describe('observedStore', () => {
  it('reports every call, its outcome included, through one wrapper per method; a method replaced on the store is observed as replaced', async () => {
    const calls: StoreCall[] = [];
    const inner = new MemoryStore();
    const store = observedStore(inner, { emit: (_name, call) => void calls.push(call) });
    expect(store.ping).toBe(store.ping);
    await store.ping();
    await store.ping();
    expect(calls.map((c) => [c.method, c.ok])).toEqual([
      ['ping', true],
      ['ping', true],
    ]);
    const failing: Store['ping'] = () => Promise.reject(new Error('down'));
    (inner as unknown as { ping: Store['ping'] }).ping = failing;
    await expect(store.ping()).rejects.toThrow('down');
    expect(calls[2]).toMatchObject({ method: 'ping', ok: false });
    expect((calls[2].error as Error).message).toBe('down');
  });
});
