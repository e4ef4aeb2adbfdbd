import type { AuditFields, Store } from '../../src/store/store';
import { event, ids, profile, session, type ContractHarness, type MakeStore } from './fixtures';

/**
 * The privacy part of the store contract: rights (export, erase), suppression, the audit log
 * and retention. Run inside {@link storeContract} with the harness of the current test.
 * Encryption at rest is in contract-sealed.ts.
 */
export function privacyContract(current: () => ContractHarness, open: MakeStore): void {
  const store = (): Store => current().store;

  // A user id no other fixture contains, so a search of everything stored for it is meaningful.
  const ADA = 'ada-7f3a9c';

  /** Something of every kind for ADA, and a profile, session and event for bob. */
  async function writeRichUser(s: Store): Promise<void> {
    await s.write({
      events: [event(ADA, 1), event('bob', 1), event(ADA, 2), event(ADA, 3), event(ADA, 4)],
      profiles: [profile(ADA), profile('bob')],
      sessions: [session(ADA, 's2'), session(ADA, 's1'), session('bob', 's1')],
      memberships: [{ userId: ADA, segments: ['vip', 'buyers'] }],
      counters: [{ name: 'views', increments: { p1: 1 } }],
    });
    await s.cacheSet('recs', 'ada-recs', 60, ADA);
    await s.cacheSet('next', 'ada-next', 60, ADA);
    await s.cacheSet('recs', 'global-recs', 60);
  }

  /**
   * ADA's events, beyond what the per-user log keeps (3), interleaved with `others` users'
   * events over several batches; returns ADA's message ids in append order.
   */
  async function writeCrowd(s: Store, adaEvents: number, others: number, from = 1): Promise<string[]> {
    const mine: string[] = [];
    for (let n = from; n < from + adaEvents; n++) {
      await s.write({ events: [...Array.from({ length: others }, (_, i) => event(`crowd-${i}`, n)), event(ADA, n)] });
      mine.push(`${ADA}-m${n}`);
    }
    return mine;
  }

  /** Every event of the global log, page by page. */
  async function wholeLog(s: Store): Promise<string[]> {
    const all: string[] = [];
    for (let after: string | undefined; ; ) {
      const page = await s.readEvents({ after, limit: 100 });
      all.push(...ids(page.events));
      if (page.events.length < 100) return all;
      after = page.cursor;
    }
  }

  describe('rights: export', () => {
    test('an unknown user exports as empty', async () => {
      expect(await store().exportUser('nobody')).toEqual({ userId: 'nobody', profile: null, sessions: [], segments: [], events: [], cache: [] });
    });

    test('holds everything about the user, every event included, and nothing of anyone else', async () => {
      await writeRichUser(store());
      expect(await store().exportUser(ADA)).toEqual({
        userId: ADA,
        profile: profile(ADA),
        sessions: [session(ADA, 's1'), session(ADA, 's2')],
        segments: ['buyers', 'vip'],
        // All four, though the per-user log keeps three: the global log has them all.
        events: [1, 2, 3, 4].map((n) => event(ADA, n)),
        cache: [
          { key: 'next', value: 'ada-next' },
          { key: 'recs', value: 'ada-recs' },
        ],
      });
    });

    test("finds every event of the user's in the global log, past the per-user cap, among many other users' events", async () => {
      const mine = await writeCrowd(store(), 12, 40);
      expect(ids((await store().exportUser(ADA)).events)).toEqual(mine);
      expect(ids((await store().readEvents({ userId: ADA })).events)).toEqual(mine.slice(-3));
      expect(ids((await store().exportUser('crowd-7')).events)).toEqual(Array.from({ length: 12 }, (_, n) => `crowd-7-m${n + 1}`));
    });

    test('after a sweep by age, holds exactly the events the sweep kept', async () => {
      await writeCrowd(store(), 5, 10);
      await current().skip(100);
      const recent = await writeCrowd(store(), 5, 10, 6);
      expect(await store().sweep({ eventsMaxAgeSeconds: 50 })).toEqual({ events: 55, profiles: 0 });
      expect(ids((await store().exportUser(ADA)).events)).toEqual(recent);
    });

    test('leaves out expired sessions and cache entries', async () => {
      await store().write({ sessions: [session(ADA, 's1')] });
      await store().cacheSet('short', 'v', 1, ADA);
      await current().advance(1.2);
      expect(await store().exportUser(ADA)).toMatchObject({ sessions: [], cache: [] });
    });
  });

  describe('rights: erase', () => {
    test('removes every record of the user, counts them, and spares everyone else', async () => {
      await writeRichUser(store());
      // 4 events + profile + 2 sessions + 2 cache entries + the membership set.
      expect(await store().eraseUser(ADA)).toEqual({ removed: 10, data: 8, cache: 2 });
      expect(await store().exportUser(ADA)).toEqual({ userId: ADA, profile: null, sessions: [], segments: [], events: [], cache: [] });
      expect(await store().readUser(ADA, 's1')).toEqual({ profile: null, session: null, segments: [] });
      expect(await store().readEvents({ userId: ADA })).toEqual({ events: [] });
      expect(ids((await store().readEvents()).events)).toEqual(['bob-m1']);
      expect(await store().cacheGet('recs', ADA)).toBeNull();
      expect(await store().readUser('bob', 's1')).toEqual({ profile: profile('bob'), session: session('bob', 's1'), segments: [] });
      expect(await store().cacheGet('recs')).toBe('global-recs');
      expect(await store().topCounters('views', 1)).toEqual([{ key: 'p1', value: 1 }]);
    });

    test('afterwards no key or value anywhere spells the user id, suppression included', async () => {
      await writeRichUser(store());
      expect(await current().raw()).toContain(ADA);
      await store().suppress([ADA]);
      await store().appendAudit({ action: 'user.erase', outcome: 'success' });
      await store().eraseUser(ADA);
      const raw = await current().raw();
      expect(raw).not.toContain(ADA);
      expect(raw).toContain('bob');
      expect(await store().isSuppressed([ADA])).toEqual([true]);
    });

    test("removes every event of the user's from the global log, past the per-user cap and among many other users' events, and only theirs", async () => {
      await writeCrowd(store(), 12, 40);
      const before = await wholeLog(store());
      expect(await store().eraseUser(ADA)).toEqual({ removed: 12, data: 12, cache: 0 });
      expect(await wholeLog(store())).toEqual(before.filter((id) => !id.startsWith(ADA)));
      expect(await store().exportUser(ADA)).toEqual({ userId: ADA, profile: null, sessions: [], segments: [], events: [], cache: [] });
      expect(await current().raw()).not.toContain(ADA);
      expect((await store().exportUser('crowd-7')).events).toHaveLength(12);
    });

    test('after a sweep by age, removes what the sweep kept and leaves nothing', async () => {
      await writeCrowd(store(), 5, 10);
      await current().skip(100);
      await writeCrowd(store(), 5, 10, 6);
      await store().sweep({ eventsMaxAgeSeconds: 50 });
      expect(await store().eraseUser(ADA)).toEqual({ removed: 5, data: 5, cache: 0 });
      expect((await wholeLog(store())).filter((id) => id.startsWith(ADA))).toEqual([]);
      expect(await current().raw()).not.toContain(ADA);
    });

    test('reaches both sides, visibly: the source of truth and what is recomputed from it, snapshots included', async () => {
      await writeRichUser(store());
      // The user's snapshot is read, so a store that caches snapshots holds one now.
      expect((await store().readUser(ADA, 's1')).profile).toEqual(profile(ADA));
      // Data: 4 events + profile + 2 sessions + the membership set; cache: 2 entries.
      expect(await store().eraseUser(ADA)).toEqual({ removed: 10, data: 8, cache: 2 });
      expect(await current().raw()).not.toContain(ADA);
      expect(await store().readUser(ADA, 's1')).toEqual({ profile: null, session: null, segments: [] });
      expect(await store().readUser(ADA, 's2')).toEqual({ profile: null, session: null, segments: [] });
      expect([await store().cacheGet('recs', ADA), await store().cacheGet('next', ADA)]).toEqual([null, null]);
      // What is about no one stays on the cache side: the global entry and the counters.
      expect(await store().cacheGet('recs')).toBe('global-recs');
      expect(await store().topCounters('views', 1)).toEqual([{ key: 'p1', value: 1 }]);
    });

    test('an unknown user erases to nothing; an erased user can come back', async () => {
      expect(await store().eraseUser('nobody')).toEqual({ removed: 0, data: 0, cache: 0 });
      await writeRichUser(store());
      await store().eraseUser(ADA);
      expect(await store().eraseUser(ADA)).toEqual({ removed: 0, data: 0, cache: 0 });
      await store().write({ events: [event(ADA, 9)], profiles: [profile(ADA)] });
      expect(await store().exportUser(ADA)).toMatchObject({ profile: profile(ADA), events: [event(ADA, 9)] });
    });
  });

  describe('suppression', () => {
    test('answers per id, in order; suppressing twice is harmless; nothing asked, nothing answered', async () => {
      expect(await store().isSuppressed(['a', 'b'])).toEqual([false, false]);
      await store().suppress(['a', 'b']);
      await store().suppress(['b']);
      await store().suppress([]);
      expect(await store().isSuppressed(['b', 'c', 'a'])).toEqual([true, false, true]);
      expect(await store().isSuppressed([])).toEqual([]);
    });

    test('is lifted per id by unsuppress; unknown ids and nothing are harmless', async () => {
      await store().suppress(['a', 'b']);
      await store().unsuppress(['a', 'never']);
      await store().unsuppress([]);
      expect(await store().isSuppressed(['a', 'b'])).toEqual([false, true]);
    });

    test('survives erase and sweeps', async () => {
      await store().suppress([ADA]);
      await store().eraseUser(ADA);
      await current().skip(3600);
      await store().sweep({ eventsMaxAgeSeconds: 1, inactiveProfileMaxAgeSeconds: 1 });
      expect(await store().isSuppressed([ADA])).toEqual([true]);
    });
  });

  describe('audit log', () => {
    test('reads back records in order, types kept, in pages', async () => {
      const records: AuditFields[] = [
        { action: 'user.erase', outcome: 'success', removed: 10, retrained: false },
        { action: 'user.export', outcome: 'denied' },
        { action: 'keys.rotate', outcome: 'success', rewritten: 2.5 },
      ];
      for (const r of records) await store().appendAudit(r);
      expect(await store().readAudit()).toMatchObject({ records });
      const p1 = await store().readAudit({ limit: 2 });
      const p2 = await store().readAudit({ limit: 2, after: p1.cursor });
      expect([p1.records, p2.records]).toEqual([records.slice(0, 2), records.slice(2)]);
      expect(await store().readAudit({ after: p2.cursor })).toEqual({ records: [] });
    });

    test('an empty log is an empty page; erase and sweep leave the log alone', async () => {
      expect(await store().readAudit()).toEqual({ records: [] });
      await store().appendAudit({ action: 'user.erase', outcome: 'success' });
      await store().eraseUser(ADA);
      await current().skip(3600);
      await store().sweep({ eventsMaxAgeSeconds: 1, inactiveProfileMaxAgeSeconds: 1 });
      expect((await store().readAudit()).records).toHaveLength(1);
    });
  });

  describe('retention', () => {
    test('drops events received longer ago than the limit, from the global and per-user logs', async () => {
      await store().write({ events: [event(ADA, 1), event(ADA, 2)] });
      await current().skip(100);
      await store().write({ events: [event('bob', 1), event(ADA, 3)] });
      expect(await store().sweep({ eventsMaxAgeSeconds: 50 })).toEqual({ events: 2, profiles: 0 });
      expect(ids((await store().readEvents()).events)).toEqual(['bob-m1', `${ADA}-m3`]);
      expect(ids((await store().readEvents({ userId: ADA })).events)).toEqual([`${ADA}-m3`]);
      expect(await store().sweep({ eventsMaxAgeSeconds: 50 })).toEqual({ events: 0, profiles: 0 });
    });

    test("counts the store's receipt time, not the event's own timestamp", async () => {
      await store().write({ events: [{ ...event(ADA, 1), timestamp: '2001-01-01T00:00:00.000Z' }] });
      expect(await store().sweep({ eventsMaxAgeSeconds: 50 })).toEqual({ events: 0, profiles: 0 });
    });

    test('erases users inactive for longer than the limit, whole; activity is any write', async () => {
      await writeRichUser(store());
      await current().skip(100);
      await store().write({ memberships: [{ userId: 'bob', segments: ['back'] }] });
      expect(await store().sweep({ inactiveProfileMaxAgeSeconds: 50 })).toEqual({ events: 0, profiles: 1 });
      expect(await store().exportUser(ADA)).toEqual({ userId: ADA, profile: null, sessions: [], segments: [], events: [], cache: [] });
      expect((await store().exportUser('bob')).profile).toEqual(profile('bob'));
      expect(ids((await store().readEvents()).events)).toEqual(['bob-m1']);
    });

    test('an empty policy deletes nothing', async () => {
      await writeRichUser(store());
      await current().skip(3600);
      expect(await store().sweep({})).toEqual({ events: 0, profiles: 0 });
      expect((await store().readEvents()).events).toHaveLength(5);
    });

    test('with profileTtlSeconds, profiles expire after that long without a write', async () => {
      const { store: s, advance } = await open({ profileTtlSeconds: 1 });
      try {
        await s.write({ profiles: [profile(ADA)] });
        await advance(0.6);
        await s.write({ profiles: [profile(ADA, { orders: 2 })] });
        await advance(0.6); // 1.2 s after the first write, 0.6 s after the refresh
        expect((await s.readUser(ADA)).profile?.orders).toBe(2);
        await advance(0.5);
        expect((await s.readUser(ADA)).profile).toBeNull();
      } finally {
        await s.close();
      }
    });
  });
}
