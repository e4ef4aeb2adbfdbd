import { ValidationError } from '../../src/core/errors';
import { MemoryStore } from '../../src/store/memory';
import { validated } from '../../src/store/validated';
import { CONTRACT_OPTIONS, profile } from './fixtures';

/** A memory store that counts the calls reaching its class's methods. */
class CountingStore extends MemoryStore {
  reached = 0;
  override async readUser(userId: string, sessionId?: string) {
    this.reached += 1;
    return super.readUser(userId, sessionId);
  }
  override async write(batch: Parameters<MemoryStore['write']>[0]) {
    this.reached += 1;
    return super.write(batch);
  }
}

describe('validated: one argument check in front of every back end', () => {
  test('a malformed argument is a rejected ValidationError and the back end is never called', async () => {
    const store = new CountingStore(CONTRACT_OPTIONS);
    const calls = [() => store.readUser(''), () => store.readUser('u1', ''), () => store.write({ profiles: [profile('')] })];
    for (const call of calls) {
      // A rejected promise, not a synchronous throw: callers chain `.catch` on every store call.
      const result = call();
      expect(result).toBeInstanceOf(Promise);
      await expect(result).rejects.toBeInstanceOf(ValidationError);
    }
    expect(store.reached).toBe(0);
    await store.readUser('u1');
    expect(store.reached).toBe(1);
  });

  test('the store keeps its class and its own extras, and is checked once however often it is wrapped', async () => {
    const store = new MemoryStore(CONTRACT_OPTIONS);
    const readUser = store.readUser;
    expect(validated(store, /^\d+$/)).toBe(store);
    expect(store.readUser).toBe(readUser);
    expect(store).toBeInstanceOf(MemoryStore);
    await store.write({ profiles: [profile('u1')] });
    expect(store.rawDump()).toContain('u1');
  });

  test("cursors and entry ids are checked against the back end's own form", async () => {
    const store = new MemoryStore(CONTRACT_OPTIONS);
    await expect(store.readEvents({ after: '1-0' })).rejects.toThrow('cursor is not one this store issued');
    await expect(store.ack('g', ['1-0'])).rejects.toThrow('entry id is not one this store issued');
    await expect(store.readEvents({ after: '7' })).resolves.toEqual({ events: [] });
  });
});
