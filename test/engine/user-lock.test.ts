import { UserLock } from '../../src/engine/user-lock';

/** A promise settled from outside, to hold a lock for exactly as long as the test wants. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('UserLock', () => {
  test('holders of one key run one at a time, in arrival order', async () => {
    const lock = new UserLock();
    const log: string[] = [];
    const first = gate();
    const a = lock.run('u1', async () => {
      log.push('a:start');
      await first.wait;
      log.push('a:end');
      return 'a';
    });
    const b = lock.run('u1', async () => {
      log.push('b');
      return 'b';
    });
    const c = lock.run('u1', async () => {
      log.push('c');
      return 'c';
    });
    await settle();
    expect(log).toEqual(['a:start']);
    first.open();
    expect(await Promise.all([a, b, c])).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a:start', 'a:end', 'b', 'c']);
  });

  test('different keys run concurrently', async () => {
    const lock = new UserLock();
    const held = gate();
    const a = lock.run('u1', () => held.wait);
    let ran = false;
    await lock.run('u2', async () => {
      ran = true;
    });
    expect(ran).toBe(true);
    held.open();
    await a;
  });

  test('a holder that throws passes its error on and releases the lock', async () => {
    const lock = new UserLock();
    const failing = lock.run('u1', async () => {
      throw new Error('boom');
    });
    const next = lock.run('u1', async () => 'next');
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
    await expect(lock.run('u1', async () => 'later')).resolves.toBe('later');
  });

  test('read-modify-write cycles on one key lose no update', async () => {
    const lock = new UserLock();
    let stored = 0;
    const increment = () =>
      lock.run('u1', async () => {
        const read = stored;
        await settle();
        stored = read + 1;
      });
    await Promise.all(Array.from({ length: 20 }, increment));
    expect(stored).toBe(20);
  });
});
