import { createAttune } from '../../index';
import type { Turn } from '../../src/core/turn';
import { defineEffect } from '../../src/engine/effects';
import type { Stage } from '../../src/engine/turn-runner';
import { backends } from '../support/backends';
import { smallCatalog } from '../support/catalog';

/**
 * A stage of one's own, with a kind of write of its own: one file, one store role (here the
 * cache), written with the turn after the bot has answered, on memory and on Redis.
 */
type StreakFlavor = { streak: number };

const streakWrite = defineEffect<number>('streak', async (userId, values, store) => {
  await store.cacheSet('streak', String(values[values.length - 1]), 3600, userId);
});

/** Counts the user's turns in a row in the cache, and tells the bot. */
const streak = (): Stage<StreakFlavor> =>
  async function streakStage(ctx, next) {
    // Runs after the default stages: the profile stage has counted this turn already.
    ctx.personalization.streak = ctx.personalization.profile.counts.turns ?? 0;
    ctx.effects.add(streakWrite, ctx.personalization.streak);
    ctx.effects.count('streaks', { [String(ctx.personalization.streak)]: 1 });
    await next();
  };

const turn = (userId: string, n: number): Turn => ({ id: `t-${n}`, userId, sessionId: 's', channel: 'test', kind: 'message', text: 'hello', signals: {}, timestamp: new Date().toISOString() });

describe.each(backends())('a custom stage with its own kind of write, on %s', (_name, make) => {
  it('its flavor reaches the bot, its effects reach the store after the turn, and erase reaches them', async () => {
    const b = make();
    const attune = createAttune({ store: b.store, catalog: smallCatalog(), idKeys: false }).use(streak() as Stage);
    try {
      const seen: number[] = [];
      for (let i = 1; i <= 3; i++) {
        await attune.handle(turn('ann', i), (ctx) => {
          seen.push((ctx.personalization as typeof ctx.personalization & Partial<StreakFlavor>).streak ?? -1);
        });
        await attune.flush();
      }
      expect(seen).toEqual([1, 2, 3]);
      expect(await b.store.cacheGet('streak', 'ann')).toBe('3');
      expect(await b.store.topCounters('streaks', 5)).toEqual([
        { key: '1', value: 1 },
        { key: '2', value: 1 },
        { key: '3', value: 1 },
      ]);
      await attune.erase('ann');
      expect(await b.store.cacheGet('streak', 'ann')).toBeNull();
    } finally {
      await attune.close().catch(() => undefined);
      await b.close().catch(() => undefined);
    }
  });

  it('a failing custom write is logged, and the turn and its built-in writes go through', async () => {
    const b = make();
    const broken = defineEffect<number>('broken', async () => {
      throw new Error('nope');
    });
    const attune = createAttune({ store: b.store, catalog: smallCatalog(), idKeys: false }).use(async (ctx, next) => {
      ctx.effects.add(broken, 1);
      await next();
    });
    try {
      let answered = false;
      await attune.handle(turn('bob', 1), () => {
        answered = true;
      });
      await attune.flush();
      expect(answered).toBe(true);
      expect((await attune.profile('bob'))?.counts.turns).toBe(1);
    } finally {
      await attune.close().catch(() => undefined);
      await b.close().catch(() => undefined);
    }
  });
});
