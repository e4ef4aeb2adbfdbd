import { ValidationError } from '../../src/core/errors';
import type { Store } from '../../src/store/store';
import { validationCases } from './contract-validation';
import { privacyContract } from './contract-privacy';
import { sealedContract } from './contract-sealed';
import { streamContract } from './contract-stream';
import { CONTRACT_OPTIONS, event, ids, profile, session, type ContractHarness, type MakeStore } from './fixtures';

export { CONTRACT_OPTIONS, type ContractHarness, type MakeStore } from './fixtures';

/**
 * The one contract every Store passes (test/store/memory.test.ts and redis.test.ts run it), in
 * the manner of botbuilder's storageBaseTests: each test gets a fresh empty store from
 * `makeStore`, built with {@link CONTRACT_OPTIONS} (1-second TTLs, at most 3 events per user).
 *
 * Rules the suite keeps so that it compares behaviour, never implementation:
 * - Cursors are opaque. Memory issues sequence numbers, Redis stream ids; the suite only passes
 *   back cursors the store gave it (to the log that gave them), and, as malformed cursors,
 *   strings neither store issues.
 * - Time passes only through `advance(seconds)` and `skip(seconds)`. Memory moves its injected
 *   clock for both; Redis expires keys on its own clock, so for TTLs its runner really waits
 *   (`advance`), while `skip` moves only the `clock` it timestamps receipt and activity with,
 *   which is all a sweep reads.
 *   Waits are chosen around the 1-second TTLs with slack on the side a slow machine could
 *   eat: an entry that must still be alive is read well inside its TTL; one that must be gone
 *   is read only after it. The TTL tests wait under 5 seconds in all.
 * - `claim` decides a repeated id inside one call as if the ids were claimed one after another:
 *   `claim(['a', 'a'])` is `[true, false]`.
 * - Counter ties rank by key in Unicode code point order (UTF-8 byte order, which Redis uses),
 *   not by JS's UTF-16 `<`.
 */
export function storeContract(name: string, makeStore: MakeStore): void {
  describe(`Store contract: ${name}`, () => {
    let harness: ContractHarness;
    let store: Store;
    let advance: (seconds: number) => Promise<void>;
    const opened: Store[] = [];

    beforeEach(async () => {
      harness = await makeStore();
      ({ store, advance } = harness);
      opened.push(store);
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    test('names its kind and answers ping', async () => {
      expect(store.kind).toMatch(/^[a-z]+$/);
      await expect(store.ping()).resolves.toBeUndefined();
    });

    describe('user snapshots', () => {
      test('an unknown user reads as empty', async () => {
        expect(await store.readUser('nobody', 's1')).toEqual({ profile: null, session: null, segments: [] });
      });

      test('reads back what was written, in depth', async () => {
        await store.write({ profiles: [profile('u1')], sessions: [session('u1', 's1')], memberships: [{ userId: 'u1', segments: ['vip', 'buyers'] }] });
        expect(await store.readUser('u1', 's1')).toEqual({ profile: profile('u1'), session: session('u1', 's1'), segments: ['buyers', 'vip'] });
      });

      test('a session is read only when asked for, and only for its own user and id', async () => {
        await store.write({ sessions: [session('u1', 's1')] });
        expect((await store.readUser('u1')).session).toBeNull();
        expect((await store.readUser('u1', 's2')).session).toBeNull();
        expect((await store.readUser('u2', 's1')).session).toBeNull();
        expect((await store.readUser('u1', 's1')).session).toEqual(session('u1', 's1'));
      });

      test('calls apply in the order made: a read made before an earlier write resolved sees it', async () => {
        await store.write({ profiles: [profile('u1', { traits: { n: 1 } })] });
        // Neither write is awaited before the reads are made.
        const first = store.write({ profiles: [profile('u1', { traits: { n: 2 } })], sessions: [session('u1', 's1')], events: [event('u1', 1)] });
        const read = store.readUser('u1', 's1');
        const second = store.write({ profiles: [profile('u1', { traits: { n: 3 } })], memberships: [{ userId: 'u1', segments: ['vip'] }] });
        const readAgain = store.readUser('u1', 's1');
        const events = store.readEvents({ userId: 'u1' });
        await Promise.all([first, second]);
        expect((await read).profile?.traits).toEqual({ n: 2 });
        expect((await read).session).toEqual(session('u1', 's1'));
        expect(await readAgain).toMatchObject({ profile: { traits: { n: 3 } }, segments: ['vip'] });
        expect((await events).events.map((e) => e.messageId)).toEqual([event('u1', 1).messageId]);
      });

      test('returned values are frozen in depth: mutating them throws and changes nothing stored', async () => {
        await store.write({ profiles: [profile('u1')], sessions: [session('u1', 's1')], memberships: [{ userId: 'u1', segments: ['a'] }] });
        const snap = await store.readUser('u1', 's1');
        expect(() => (snap.profile!.traits.name = 'Eve')).toThrow(TypeError);
        expect(() => snap.profile!.recentItems.push({ id: 'px', weight: 1, at: 'now' })).toThrow(TypeError);
        expect(() => (snap.session!.slots.color = 'blue')).toThrow(TypeError);
        expect(() => snap.session!.turns.push({ direction: 'in', at: 'now' })).toThrow(TypeError);
        expect(() => snap.segments.push('b')).toThrow(TypeError);
        expect(await store.readUser('u1', 's1')).toEqual({ profile: profile('u1'), session: session('u1', 's1'), segments: ['a'] });
      });

      test('a write takes its values over: they are frozen, and copies changed afterwards are new values', async () => {
        const p = profile('u1');
        const s = session('u1', 's1');
        const e = event('u1', 1);
        await store.write({ events: [e], profiles: [p], sessions: [s] });
        expect(() => (p.counts.turns = 99)).toThrow(TypeError);
        expect(() => s.intents.push('buy')).toThrow(TypeError);
        expect(() => (e.properties.product_id = 'changed')).toThrow(TypeError);
        // The way to change a stored value: copy what changes, share the rest, write the copy.
        const next = { ...p, counts: { ...p.counts, turns: 99 } };
        expect(await store.readUser('u1', 's1')).toMatchObject({ profile: profile('u1'), session: session('u1', 's1') });
        await store.write({ profiles: [next] });
        expect((await store.readUser('u1')).profile?.counts.turns).toBe(99);
        expect((await store.readEvents()).events).toEqual([event('u1', 1)]);
      });
    });

    describe('write batches', () => {
      test('a profile write replaces the whole profile, dropping fields the new one lacks', async () => {
        const older = { ...profile('u1', { traits: { name: 'Ada' } }), legacy: true };
        await store.write({ profiles: [older] });
        await store.write({ profiles: [profile('u1', { traits: { vip: true } })] });
        const read = (await store.readUser('u1')).profile;
        expect(read).toEqual(profile('u1', { traits: { vip: true } }));
        expect(read).not.toHaveProperty('legacy');
      });

      test('within one batch the later item for the same user or session wins', async () => {
        await store.write({
          profiles: [profile('u1', { orders: 1 }), profile('u1', { orders: 2 })],
          sessions: [session('u1', 's1', { intents: ['first'] }), session('u1', 's1', { intents: ['second'] })],
          memberships: [{ userId: 'u1', segments: ['first'] }, { userId: 'u1', segments: ['second'] }],
        });
        const snap = await store.readUser('u1', 's1');
        expect([snap.profile?.orders, snap.session?.intents, snap.segments]).toEqual([2, ['second'], ['second']]);
      });

      test('an empty batch is accepted and changes nothing', async () => {
        await store.write({});
        await store.write({ events: [], profiles: [], sessions: [], memberships: [], counters: [] });
        expect(await store.readEvents()).toEqual({ events: [] });
      });
    });

    describe('event log', () => {
      test('an empty log reads as an empty page without a cursor', async () => {
        expect(await store.readEvents()).toEqual({ events: [] });
        expect(await store.readEvents({ userId: 'u1' })).toEqual({ events: [] });
      });

      test('keeps append order across batches and users', async () => {
        await store.write({ events: [event('u1', 1), event('u2', 1)] });
        await store.write({ events: [event('u1', 2)] });
        expect(ids((await store.readEvents()).events)).toEqual(['u1-m1', 'u2-m1', 'u1-m2']);
        expect((await store.readEvents({ userId: 'u1' })).events).toEqual([event('u1', 1), event('u1', 2)]);
      });

      test('pages through the global log with a limit and cursors', async () => {
        await store.write({ events: [1, 2, 3, 4, 5].map((n) => event(`u${n % 2}`, n)) });
        const p1 = await store.readEvents({ limit: 2 });
        const p2 = await store.readEvents({ limit: 2, after: p1.cursor });
        const p3 = await store.readEvents({ limit: 2, after: p2.cursor });
        expect([p1, p2, p3].map((p) => ids(p.events))).toEqual([['u1-m1', 'u0-m2'], ['u1-m3', 'u0-m4'], ['u1-m5']]);
        expect([p1.cursor, p2.cursor, p3.cursor].every((c) => typeof c === 'string')).toBe(true);
        expect(await store.readEvents({ limit: 2, after: p3.cursor })).toEqual({ events: [] });
      });

      test("pages through one user's log with a limit and cursors", async () => {
        await store.write({ events: [event('u1', 1), event('u2', 1), event('u1', 2), event('u1', 3)] });
        const p1 = await store.readEvents({ userId: 'u1', limit: 2 });
        const p2 = await store.readEvents({ userId: 'u1', limit: 2, after: p1.cursor });
        expect([ids(p1.events), ids(p2.events)]).toEqual([['u1-m1', 'u1-m2'], ['u1-m3']]);
        expect(ids((await store.readEvents({ userId: 'u2' })).events)).toEqual(['u2-m1']);
      });

      test('a cursor at the end resumes with events appended later (tailing)', async () => {
        await store.write({ events: [event('u1', 1)] });
        const { cursor } = await store.readEvents();
        expect(await store.readEvents({ after: cursor })).toEqual({ events: [] });
        await store.write({ events: [event('u1', 2), event('u2', 1)] });
        expect(ids((await store.readEvents({ after: cursor })).events)).toEqual(['u1-m2', 'u2-m1']);
      });

      test('the per-user log keeps exactly the latest maxEventsPerUser; the global log keeps all', async () => {
        await store.write({ events: [event('u1', 1), event('u1', 2)] });
        await store.write({ events: [event('u1', 3), event('u2', 1), event('u1', 4), event('u1', 5)] });
        expect(CONTRACT_OPTIONS.maxEventsPerUser).toBe(3);
        expect(ids((await store.readEvents({ userId: 'u1' })).events)).toEqual(['u1-m3', 'u1-m4', 'u1-m5']);
        expect((await store.readEvents()).events).toHaveLength(6);
      });

      test('the per-user cap holds however many events arrive, one by one or in bulk', async () => {
        for (let n = 1; n <= 40; n++) await store.write({ events: [event('u1', n)] });
        expect(ids((await store.readEvents({ userId: 'u1' })).events)).toEqual(['u1-m38', 'u1-m39', 'u1-m40']);
        await store.write({ events: Array.from({ length: 25 }, (_, i) => event('u1', 41 + i)) });
        const { events, cursor } = await store.readEvents({ userId: 'u1', limit: 2 });
        expect(ids(events)).toEqual(['u1-m63', 'u1-m64']);
        expect(ids((await store.readEvents({ userId: 'u1', after: cursor })).events)).toEqual(['u1-m65']);
        expect((await store.exportUser('u1')).events).toHaveLength(65);
      });

      test('a cursor whose event was trimmed away still reads on from where it was', async () => {
        await store.write({ events: [event('u1', 1), event('u1', 2), event('u1', 3)] });
        const { cursor } = await store.readEvents({ userId: 'u1', limit: 1 });
        await store.write({ events: [event('u1', 4), event('u1', 5)] });
        expect(ids((await store.readEvents({ userId: 'u1', after: cursor })).events)).toEqual(['u1-m3', 'u1-m4', 'u1-m5']);
      });

      test('reads 1000 events by default and at most 10000', async () => {
        await store.write({ events: Array.from({ length: 1001 }, (_, n) => event(`bulk${n % 7}`, n)) });
        const first = await store.readEvents();
        expect(first.events).toHaveLength(1000);
        expect(ids((await store.readEvents({ after: first.cursor })).events)).toEqual(['bulk6-m1000']);
        expect((await store.readEvents({ limit: 10000 })).events).toHaveLength(1001);
      });

      test('returned events are frozen in depth', async () => {
        await store.write({ events: [event('u1', 1)] });
        const [read] = (await store.readEvents()).events;
        expect(() => (read.properties.product_id = 'changed')).toThrow(TypeError);
        expect(() => (read.context.locale = 'xx')).toThrow(TypeError);
        expect((await store.readEvents()).events).toEqual([event('u1', 1)]);
      });
    });

    describe('de-duplication claims', () => {
      test('the first claim of an id is true, every repeat false', async () => {
        expect(await store.claim(['a', 'b'])).toEqual([true, true]);
        expect(await store.claim(['b', 'c', 'a'])).toEqual([false, true, false]);
      });

      test('a repeat inside one call counts as a repeat: claim([a, a]) is [true, false]', async () => {
        expect(await store.claim(['a', 'a', 'b', 'a'])).toEqual([true, false, true, false]);
      });

      test('a released claim can be claimed again, once; releasing an unclaimed id is harmless', async () => {
        expect(await store.claim(['a', 'b'])).toEqual([true, true]);
        await store.release(['a', 'never-claimed']);
        await store.release([]);
        expect(await store.claim(['a', 'b', 'a'])).toEqual([true, false, false]);
      });

      test('claiming nothing returns nothing', async () => {
        expect(await store.claim([])).toEqual([]);
      });

      test('an id can be claimed again once the de-duplication window has passed', async () => {
        expect(await store.claim(['a'])).toEqual([true]);
        await advance(CONTRACT_OPTIONS.dedupTtlSeconds + 0.2);
        expect(await store.claim(['a', 'a'])).toEqual([true, false]);
      });
    });

    describe('sessions', () => {
      test('expire after the inactivity TTL and are refreshed by each write', async () => {
        await store.write({ sessions: [session('u1', 's1')] });
        await advance(0.6);
        await store.write({ sessions: [session('u1', 's1', { intents: ['again'] })] });
        await advance(0.6); // 1.2 s after the first write, 0.6 s after the refresh
        expect((await store.readUser('u1', 's1')).session?.intents).toEqual(['again']);
        await advance(0.5); // 1.1 s after the refresh
        expect((await store.readUser('u1', 's1')).session).toBeNull();
      });
    });

    describe('memberships', () => {
      test('are replaced whole, de-duplicated, sorted, and per user', async () => {
        await store.write({ memberships: [{ userId: 'u1', segments: ['b', 'a', 'b'] }, { userId: 'u2', segments: ['x'] }] });
        expect((await store.readUser('u1')).segments).toEqual(['a', 'b']);
        await store.write({ memberships: [{ userId: 'u1', segments: ['c'] }] });
        expect((await store.readUser('u1')).segments).toEqual(['c']);
        await store.write({ memberships: [{ userId: 'u1', segments: [] }] });
        expect((await store.readUser('u1')).segments).toEqual([]);
        expect((await store.readUser('u2')).segments).toEqual(['x']);
      });
    });

    describe('counters', () => {
      test('add across batches and within one, fractions and negatives included', async () => {
        await store.write({ counters: [{ name: 'views', increments: { p1: 1, p2: 2 } }, { name: 'views', increments: { p2: 1 } }] });
        await store.write({ counters: [{ name: 'views', increments: { p1: 2.5, p3: -1, p4: 0 } }, { name: 'buys', increments: { p1: 7 } }] });
        expect(await store.topCounters('views', 10)).toEqual([
          { key: 'p1', value: 3.5 },
          { key: 'p2', value: 3 },
          { key: 'p4', value: 0 },
          { key: 'p3', value: -1 },
        ]);
        expect(await store.topCounters('buys', 10)).toEqual([{ key: 'p1', value: 7 }]);
      });

      test('rank by value descending, ties by key ascending, also where k cuts through a tie', async () => {
        await store.write({ counters: [{ name: 'pop', increments: { b: 2, a: 2, d: 2, c: 1, e: 3 } }] });
        const keys = async (k: number) => (await store.topCounters('pop', k)).map((c) => c.key);
        expect(await keys(10)).toEqual(['e', 'a', 'b', 'd', 'c']);
        expect(await keys(3)).toEqual(['e', 'a', 'b']);
        expect(await keys(2)).toEqual(['e', 'a']);
        expect(await keys(1)).toEqual(['e']);
      });

      test('break ties in code point order, emoji after the rest of the BMP', async () => {
        await store.write({ counters: [{ name: 'pop', increments: { '\u{1F600}': 1, '\uFF61': 1, z: 1, 'é': 1 } }] });
        expect((await store.topCounters('pop', 3)).map((c) => c.key)).toEqual(['z', 'é', '\uFF61']);
      });

      test('an unknown counter is empty', async () => {
        expect(await store.topCounters('never', 5)).toEqual([]);
      });
    });

    describe('cache', () => {
      test('gets what was set, latest set wins, missing is null', async () => {
        expect(await store.cacheGet('k')).toBeNull();
        await store.cacheSet('k', 'v1', 60);
        await store.cacheSet('k', 'v2', 60);
        expect(await store.cacheGet('k')).toBe('v2');
      });

      test('per-user entries are scoped to their user and apart from global ones', async () => {
        await store.cacheSet('recs', 'global', 60);
        await store.cacheSet('recs', 'for-u1', 60, 'u1');
        expect([await store.cacheGet('recs'), await store.cacheGet('recs', 'u1'), await store.cacheGet('recs', 'u2')]).toEqual(['global', 'for-u1', null]);
      });

      test('entries expire after their own TTL', async () => {
        await store.cacheSet('short', 'v', 1);
        await store.cacheSet('short', 'v', 1, 'u1');
        await store.cacheSet('long', 'v', 60);
        await advance(0.5);
        expect(await store.cacheGet('short')).toBe('v');
        await advance(0.7);
        expect([await store.cacheGet('short'), await store.cacheGet('short', 'u1'), await store.cacheGet('long')]).toEqual([null, null, 'v']);
      });
    });

    describe('artifacts', () => {
      test('are numbered 1, 2, … per name; read latest or a given version; missing is null', async () => {
        expect(await store.getArtifact('model')).toBeNull();
        expect(await store.getArtifact('model', 1)).toBeNull();
        expect([await store.putArtifact('model', 'one'), await store.putArtifact('model', 'two')]).toEqual([1, 2]);
        expect(await store.putArtifact('other', 'x')).toBe(1);
        expect(await store.getArtifact('model')).toEqual({ version: 2, data: 'two' });
        expect(await store.getArtifact('model', 1)).toEqual({ version: 1, data: 'one' });
        expect(await store.getArtifact('model', 3)).toBeNull();
      });

      test('pruning drops the versions below the one kept; numbering goes on', async () => {
        for (const data of ['one', 'two', 'three']) await store.putArtifact('model', data);
        expect(await store.pruneArtifacts('model', 3)).toBe(2);
        expect(await store.pruneArtifacts('model', 3)).toBe(0);
        expect([await store.getArtifact('model', 1), await store.getArtifact('model', 2)]).toEqual([null, null]);
        expect(await store.getArtifact('model')).toEqual({ version: 3, data: 'three' });
        expect(await store.putArtifact('model', 'four')).toBe(4);
        expect(await store.pruneArtifacts('never', 5)).toBe(0);
      });
    });

    privacyContract(() => harness, makeStore);
    sealedContract(() => harness, makeStore);
    streamContract(() => harness);

    describe('validation: a malformed argument is a ValidationError and changes nothing', () => {
      test.each(validationCases())('%s', async (_label, call) => {
        const failure = await call(store).then(() => 'resolved', (e: unknown) => e);
        expect(failure).toBeInstanceOf(ValidationError);
        expect((failure as ValidationError).code).toBe('invalid_argument');
        // Every case also carries valid work (a good event, profile, claim); none of it lands.
        expect(await store.readEvents()).toEqual({ events: [] });
        expect(await store.readUser('ok', 's1')).toEqual({ profile: null, session: null, segments: [] });
        expect(await store.topCounters('views', 5)).toEqual([]);
        expect(await store.claim(['ok-claim'])).toEqual([true]);
        expect(await store.readAudit()).toEqual({ records: [] });
        expect(await store.isSuppressed(['ok'])).toEqual([false]);
      });
    });

    describe('a closed store', () => {
      const calls: [string, (s: Store) => Promise<unknown>][] = [
        ['ping', (s) => s.ping()],
        ['readUser', (s) => s.readUser('u1', 's1')],
        ['write', (s) => s.write({ events: [event('u1', 1)] })],
        ['readEvents', (s) => s.readEvents()],
        ['claim', (s) => s.claim(['a'])],
        ['topCounters', (s) => s.topCounters('views', 1)],
        ['cacheGet', (s) => s.cacheGet('k')],
        ['cacheSet', (s) => s.cacheSet('k', 'v', 1)],
        ['putArtifact', (s) => s.putArtifact('m', 'x')],
        ['getArtifact', (s) => s.getArtifact('m')],
        ['pruneArtifacts', (s) => s.pruneArtifacts('m', 2)],
        ['exportUser', (s) => s.exportUser('u1')],
        ['eraseUser', (s) => s.eraseUser('u1')],
        ['suppress', (s) => s.suppress(['u1'])],
        ['isSuppressed', (s) => s.isSuppressed(['u1'])],
        ['appendAudit', (s) => s.appendAudit({ action: 'x' })],
        ['readAudit', (s) => s.readAudit()],
        ['sweep', (s) => s.sweep({})],
        ['reencryptAll', (s) => s.reencryptAll()],
        ['ensureGroup', (s) => s.ensureGroup('g')],
        ['readGroup', (s) => s.readGroup('g', 'c', { count: 1 })],
        ['ack', (s) => s.ack('g', [])],
        ['claimStale', (s) => s.claimStale('g', 'c', { minIdleMs: 0, count: 1 })],
        ['pending', (s) => s.pending('g')],
      ];

      test.each(calls)('rejects %s with a ValidationError', async (_method, call) => {
        await store.close();
        const failure = await call(store).catch((e: unknown) => e);
        expect(failure).toBeInstanceOf(ValidationError);
        expect((failure as ValidationError).message).toBe('store is closed');
      });

      test('can be closed twice', async () => {
        await store.close();
        await expect(store.close()).resolves.toBeUndefined();
      });
    });
  });
}
