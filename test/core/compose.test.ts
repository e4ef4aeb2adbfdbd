import { compose, type Middleware } from '../../src/core/compose';
import { AttuneError } from '../../src/core/errors';

interface Ctx {
  log: string[];
}

const stage =
  (name: string): Middleware<Ctx> =>
  async (ctx, next) => {
    ctx.log.push(`${name}:before`);
    await next();
    ctx.log.push(`${name}:after`);
  };

describe('compose', () => {
  test('runs stages in order around the final handler, unwinding in reverse', async () => {
    const ctx: Ctx = { log: [] };
    await compose([stage('a'), stage('b')])(ctx, async () => {
      ctx.log.push('bot');
    });
    expect(ctx.log).toEqual(['a:before', 'b:before', 'bot', 'b:after', 'a:after']);
  });

  test('a stage that does not call next stops the rest, the bot included', async () => {
    const ctx: Ctx = { log: [] };
    const stop: Middleware<Ctx> = (c) => {
      c.log.push('stop');
    };
    await compose([stage('a'), stop, stage('never')])(ctx, async () => {
      ctx.log.push('bot');
    });
    expect(ctx.log).toEqual(['a:before', 'stop', 'a:after']);
  });

  test('works with no stages and no final handler', async () => {
    const ctx: Ctx = { log: [] };
    await compose<Ctx>([])(ctx);
    await compose([stage('a')])(ctx);
    expect(ctx.log).toEqual(['a:before', 'a:after']);
  });

  test('stages see what earlier stages and the bot wrote after next()', async () => {
    const seen: string[][] = [];
    const watcher: Middleware<Ctx> = async (ctx, next) => {
      await next();
      seen.push([...ctx.log]);
    };
    const ctx: Ctx = { log: [] };
    await compose([watcher])(ctx, async () => {
      ctx.log.push('reply');
    });
    expect(seen).toEqual([['reply']]);
  });

  test('calling next twice throws a conflict and does not run the rest twice', async () => {
    let bot = 0;
    const twice: Middleware<Ctx> = async (_ctx, next) => {
      await next();
      await next();
    };
    const run = compose([twice]);
    const err = await run({ log: [] }, async () => {
      bot += 1;
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AttuneError);
    expect((err as AttuneError).code).toBe('conflict');
    expect(bot).toBe(1);
  });

  test('errors from a stage or the bot propagate to the caller and through earlier stages', async () => {
    const ctx: Ctx = { log: [] };
    const guard: Middleware<Ctx> = async (c, next) => {
      try {
        await next();
      } catch (e) {
        c.log.push(`caught:${(e as Error).message}`);
        throw e;
      }
    };
    const boom: Middleware<Ctx> = () => {
      throw new Error('stage failed');
    };
    await expect(compose([guard, boom])(ctx)).rejects.toThrow('stage failed');
    await expect(
      compose([guard])(ctx, async () => {
        throw new Error('bot failed');
      }),
    ).rejects.toThrow('bot failed');
    expect(ctx.log).toEqual(['caught:stage failed', 'caught:bot failed']);
  });

  test('one composed pipeline can run many turns independently', async () => {
    const run = compose([stage('a')]);
    const first: Ctx = { log: [] };
    const second: Ctx = { log: [] };
    await Promise.all([run(first), run(second)]);
    expect(first.log).toEqual(['a:before', 'a:after']);
    expect(second.log).toEqual(['a:before', 'a:after']);
  });
});
