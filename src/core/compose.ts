import { AttuneError } from './errors';

/** Continues with the rest of the pipeline. */
export type NextFn = () => Promise<void>;

/**
 * One turn stage: does its work, calls `next()` to let later stages (and finally the bot)
 * run, and may do more after `next()` resolves, as in Koa and grammY.
 *
 * ```ts
 * const timing: Middleware<Ctx> = async (ctx, next) => { const t = Date.now(); await next(); log(Date.now() - t) };
 * ```
 */
export type Middleware<C> = (ctx: C, next: NextFn) => Promise<void> | void;

/**
 * Composes stages into one function that runs them in order around `last` (the bot's own
 * handler). Calling `next` twice from one stage throws: it would run the rest of the turn
 * twice, which is never what anyone wants.
 */
export function compose<C>(stages: readonly Middleware<C>[]): (ctx: C, last?: NextFn) => Promise<void> {
  const list = [...stages];
  return (ctx, last) => {
    let index = -1;
    // Not an async function: every turn runs every stage, and the wrapper promise an async
    // dispatch adds per stage is pure overhead (Koa's compose does the same).
    const dispatch = (i: number): Promise<void> => {
      if (i <= index) return Promise.reject(new AttuneError('conflict', 'next() called multiple times'));
      index = i;
      try {
        if (i === list.length) return last ? Promise.resolve(last()) : Promise.resolve();
        return Promise.resolve(list[i](ctx, () => dispatch(i + 1)));
      } catch (err) {
        return Promise.reject(err);
      }
    };
    return dispatch(0);
  };
}
