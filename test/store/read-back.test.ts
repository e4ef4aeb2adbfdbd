import fc from 'fast-check';
import { createAttune } from '../../index';
import { deepFreeze } from '../../src/core/frozen';
import { readBackEvent, readBackProfile, readBackSession } from '../../src/store/read-back';
import { READ_PROFILE_LUA, RedisKeys } from '../../src/store/redis-layout';
import { profileFields } from '../../src/store/redis-turn';
import { backends } from '../support/backends';
import { smallCatalog } from '../support/catalog';
import { chatWith } from '../support/chat';
import { event, profile, session } from './fixtures';

/** What a store reads back is checked and mended: one bad record never breaks a later turn. */
describe('read-back checks', () => {
  it('a sound profile, session and event read back unchanged, with nothing mended', () => {
    expect(readBackProfile(profile('u1'))).toEqual({ value: profile('u1'), repaired: [] });
    expect(readBackSession(session('u1', 's1'))).toEqual({ value: session('u1', 's1'), repaired: [] });
    expect(readBackEvent(event('u1', 1))).toEqual({ value: event('u1', 1), repaired: [] });
  });

  it('each field of a wrong shape is replaced by its empty value, and named', () => {
    const bad = { ...profile('u1'), counts: { turns: 'three' }, recentItems: 'oops', affinities: null, consent: { analytics: 'yes' }, orders: Number.NaN };
    const { value, repaired } = readBackProfile(bad);
    expect(value).toMatchObject({ userId: 'u1', counts: {}, recentItems: [], affinities: {}, orders: 0 });
    expect(value?.consent).toBeUndefined();
    expect(repaired.sort()).toEqual(['affinities', 'consent', 'counts', 'orders', 'recentItems']);
  });

  it('a profile without a user id, or not an object, reads as absent', () => {
    expect(readBackProfile({ counts: {} }).value).toBeNull();
    expect(readBackProfile('junk').value).toBeNull();
    expect(readBackSession({ userId: 'u1' }).value).toBeNull();
  });

  it('an event is mended, never dropped (a page of the log keeps its length)', () => {
    expect(readBackEvent(42).value).toMatchObject({ type: 'track', event: 'Unreadable Event', properties: {} });
    expect(readBackEvent({ ...event('u1', 1), properties: 'x', type: 'weird' }).repaired.sort()).toEqual(['properties', 'type']);
  });

  it('a frozen part found sound is not checked again; a part that is not frozen is, and can turn out damaged', () => {
    const items = [{ id: 'p1', weight: 1, at: '2024-05-01T10:00:00.000Z' }];
    const frozen = deepFreeze({ ...profile('u1'), recentItems: items });
    expect(readBackProfile(frozen).repaired).toEqual([]);
    // Checked once: the same frozen item is not read again (its getter would count it).
    let reads = 0;
    const item = Object.freeze(Object.defineProperty({ id: 'p2', weight: 1 }, 'at', { get: () => (reads++, '2024-05-01T10:00:00.000Z'), enumerable: true }));
    const withItem = { ...frozen, recentItems: [item] };
    expect(readBackProfile(withItem).repaired).toEqual([]);
    expect(readBackProfile(withItem).repaired).toEqual([]);
    expect(reads).toBe(1);
    // Not frozen: checked on every read, so a change made since is seen.
    const open = { id: 'p3', weight: 1, at: '2024-05-01T10:00:00.000Z' };
    const withOpen = { ...frozen, recentItems: [open] };
    expect(readBackProfile(withOpen).repaired).toEqual([]);
    open.weight = Number.NaN;
    expect(readBackProfile(withOpen).repaired).toEqual(['recentItems']);
  });

  it('remembered checks decide as fresh ones: a frozen record and an unfrozen copy of it read back alike', () => {
    const time = fc.oneof(fc.constant('2024-05-01T10:00:00.000Z'), fc.constant('soon'));
    const num = fc.oneof(fc.integer(), fc.constant(Number.NaN), fc.constant('1'));
    const turn = fc.record({ direction: fc.constantFrom('in', 'out', 'sideways'), at: time, text: fc.option(fc.string(), { nil: undefined }) });
    const item = fc.record({ id: fc.oneof(fc.string(), fc.constant(3)), weight: num, at: time });
    const lists = fc.dictionary(fc.string({ maxLength: 4 }), fc.array(num, { maxLength: 3 }), { maxKeys: 3, noNullPrototype: true });
    const counts = fc.dictionary(fc.string({ maxLength: 4 }), num, { maxKeys: 3, noNullPrototype: true });
    // Parts are shared between records, as successive profiles share them.
    fc.assert(
      fc.property(fc.array(fc.record({ counts, recent: lists, recentItems: fc.array(item, { maxLength: 3 }), purchased: fc.array(fc.oneof(fc.string(), fc.constant(3)), { maxLength: 3 }), turns: fc.array(turn, { maxLength: 3 }) }), { minLength: 1, maxLength: 4 }), (versions) => {
        for (const v of versions) {
          const p = { ...profile('u1'), counts: v.counts, recent: v.recent, recentItems: v.recentItems, purchased: v.purchased };
          const s = { ...session('u1', 's1'), turns: v.turns };
          const copy = JSON.parse(JSON.stringify([p, s], (_k, x: unknown) => (typeof x === 'number' && Number.isNaN(x) ? '__nan' : x)), (_k, x: unknown) => (x === '__nan' ? Number.NaN : x)) as [typeof p, typeof s];
          deepFreeze([p, s]);
          for (let round = 0; round < 2; round++) {
            expect(readBackProfile(p)).toEqual(readBackProfile(copy[0]));
            expect(readBackSession(s)).toEqual(readBackSession(copy[1]));
          }
        }
      }),
      { numRuns: 200, seed: 14 },
    );
  });
});

// Redis only; without it backends() has already put a skipped block (or, under CI=true, a
// failing one) in this file, and an empty table would be an error.
const onRedis = backends().filter(([name]) => name === 'redis');
if (onRedis.length) {
  describe.each(onRedis)('damaged records at rest on %s', (_name, make) => {
    it('a profile and session damaged at rest are mended on read: the user’s next turn is personalized and writes them whole', async () => {
      const b = make();
      const attune = createAttune({ store: b.store, catalog: smallCatalog(), idKeys: false });
      try {
        const adapter = chatWith(attune, 'ann');
        await adapter.send('I need running shoes').assertReply(() => undefined).startTest();
        await attune.flush();
        const keys = new RedisKeys(b.prefix!);
        const client = b.client!;
        // The profile as stored, whichever form it has (packed string, read as its bytes, or plain hash).
        const stored = async () => {
          const raw = (await client.callBuffer('EVAL', READ_PROFILE_LUA, 1, keys.profile('ann'))) as Buffer | Buffer[];
          return profileFields(Array.isArray(raw) ? raw.map(String) : raw, 'ann');
        };
        // Damage: a field that is not JSON, one of the wrong shape, and a session that is not JSON,
        // the profile written back as a plain hash (the form the compact one falls back to).
        const damaged = { ...(await stored()), counts: '{not json', recentItems: '"a string"', affinities: '{"running":"lots"}' };
        await client.multi().del(keys.profile('ann')).hset(keys.profile('ann'), damaged).exec();
        const sessionKeys = await client.keys(`${b.prefix}*session*`);
        for (const k of sessionKeys) if ((await client.type(k)) === 'string') await client.set(k, '{"broken"');
        let degraded: boolean | undefined;
        const attune2 = createAttune({ store: b.store, catalog: smallCatalog(), idKeys: false });
        await attune2.handle({ id: 't2', userId: 'ann', sessionId: 'x', channel: 'test', kind: 'message', text: 'more running please', signals: {}, timestamp: new Date().toISOString() }, (ctx) => {
          degraded = ctx.degraded;
        });
        await attune2.flush();
        expect(degraded).toBe(false);
        const p = await attune2.profile('ann');
        expect(p?.counts.turns).toBe(1);
        expect(p?.affinities.running).toBeGreaterThan(0);
        expect(await client.type(keys.profile('ann'))).toBe('string');
        expect(JSON.parse((await stored()).counts)).toMatchObject({ turns: 1 });
      } finally {
        await attune.flush();
        await b.close();
      }
    });
  });
}
