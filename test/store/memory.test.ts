import { MEMORY_CAPS, memoryCaps } from '../../src/store/data/memory-caps';
import { MemoryStore } from '../../src/store/memory';
import { CONTRACT_OPTIONS, storeContract } from './contract';
import { event, ids, profile, session } from './fixtures';

// Memory keeps time through its injected clock, so TTL tests run without waiting.
storeContract('memory', async (options = {}) => {
  let now = Date.parse('2024-05-01T10:00:00.000Z');
  const store = new MemoryStore({ ...CONTRACT_OPTIONS, ...options, clock: () => now });
  const move = async (seconds: number) => {
    now += seconds * 1000;
  };
  return { store, advance: move, skip: move, raw: async () => store.rawDump() };
});

describe('MemoryStore caps', () => {
  test('past maxUsers the users inactive longest go whole; an active one stays', async () => {
    const store = new MemoryStore({ caps: { maxUsers: 3 } });
    for (const u of ['a', 'b', 'c']) await store.write({ events: [event(u, 1)], profiles: [profile(u)], sessions: [session(u, 's1')] });
    // a is active again, so b is now the one inactive longest.
    await store.write({ profiles: [profile('a')] });
    await store.write({ events: [event('d', 1)], profiles: [profile('d')] });
    expect((await store.readUser('b', 's1')).profile).toBeNull();
    expect((await store.exportUser('b')).events).toEqual([]);
    for (const u of ['a', 'c', 'd']) expect((await store.readUser(u)).profile).not.toBeNull();
    expect(ids((await store.readEvents()).events)).toEqual(['a-m1', 'c-m1', 'd-m1']);
  });

  test('past maxEvents the oldest entries leave both logs', async () => {
    const store = new MemoryStore({ caps: { maxEvents: 4 } });
    await store.write({ events: [event('a', 1), event('b', 2), event('a', 3)] });
    await store.write({ events: [event('b', 4), event('a', 5), event('b', 6)] });
    expect(ids((await store.readEvents()).events)).toEqual(['a-m3', 'b-m4', 'a-m5', 'b-m6']);
    expect(ids((await store.readEvents({ userId: 'a' })).events)).toEqual(['a-m3', 'a-m5']);
    expect(ids((await store.exportUser('b')).events)).toEqual(['b-m4', 'b-m6']);
  });

  test('past maxClaims the oldest claims are forgotten, the newest still de-duplicate', async () => {
    const store = new MemoryStore({ caps: { maxClaims: 2 } });
    expect(await store.claim(['m1', 'm2', 'm3'])).toEqual([true, true, true]);
    expect(await store.claim(['m3', 'm1'])).toEqual([false, true]);
  });

  test('claims past the de-duplication window are forgotten as new ones come in, well under the cap', async () => {
    let now = 0;
    const store = new MemoryStore({ dedupTtlSeconds: 60, clock: () => now });
    await store.claim(['old-1', 'old-2']);
    now += 30_000;
    await store.claim(['mid-1']);
    now += 31_000;
    // old-* are past the window, mid-1 is not: it still de-duplicates.
    expect(await store.claim(['new-1', 'mid-1'])).toEqual([true, false]);
    const claimed = JSON.stringify(JSON.parse(store.rawDump()).claimed);
    expect(claimed).not.toContain('old-');
    expect(claimed).toContain('mid-1');
  });

  test('a cap below 1 is refused', () => {
    expect(() => new MemoryStore({ caps: { maxUsers: 0 } })).toThrow(/maxUsers/);
  });

  test('caps come from the options, else ATTUNE_MEMORY_*, else the defaults; a bad variable is refused', () => {
    const env = { ATTUNE_MEMORY_MAX_USERS: '500', ATTUNE_MEMORY_MAX_EVENTS: '20000', ATTUNE_MEMORY_MAX_CLAIMS: '' };
    expect(memoryCaps({ maxUsers: 7 }, env)).toEqual({ maxUsers: 7, maxEvents: 20_000, maxClaims: MEMORY_CAPS.maxClaims });
    expect(memoryCaps({}, {})).toEqual(MEMORY_CAPS);
    expect(() => memoryCaps({}, { ATTUNE_MEMORY_MAX_USERS: 'lots' })).toThrow(/ATTUNE_MEMORY/);
    expect(() => memoryCaps({}, { ATTUNE_MEMORY_MAX_EVENTS: '0' })).toThrow(/ATTUNE_MEMORY/);
  });

  test('users with the same segments share one list, and each keeps their own', async () => {
    const store = new MemoryStore();
    await store.write({ memberships: [{ userId: 'a', segments: ['vip', 'new'] }, { userId: 'b', segments: ['new', 'vip'] }, { userId: 'c', segments: ['new'] }] });
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map(async (u) => (await store.readUser(u)).segments));
    expect(a).toEqual(['new', 'vip']);
    expect(a).toBe(b);
    expect(c).toEqual(['new']);
    await store.write({ memberships: [{ userId: 'a', segments: [] }] });
    expect((await store.readUser('a')).segments).toEqual([]);
    expect((await store.readUser('b')).segments).toEqual(['new', 'vip']);
  });
});

describe('MemoryStore on a large log', () => {
  test('erases a user whose events span a log of 150,000 (too many to spread as arguments)', async () => {
    const store = new MemoryStore({ ...CONTRACT_OPTIONS, caps: { maxEvents: 200_000 } });
    await store.write({ events: [event('ada', 0)] });
    for (let b = 0; b < 150; b++) await store.write({ events: [...Array.from({ length: 1000 }, (_, i) => event(`u${i % 100}`, b * 1000 + i)), event('ada', b + 1)] });
    expect(await store.eraseUser('ada')).toEqual({ removed: 151, data: 151, cache: 0 });
    expect((await store.exportUser('ada')).events).toEqual([]);
    expect((await store.readEvents({ limit: 1 })).events[0].messageId).toBe('u0-m0');
  });
});
