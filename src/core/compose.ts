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
    const dispatch = async (i: number): Promise<void> => {
      if (i <= index) throw new AttuneError('conflict', 'next() called multiple times');
      index = i;
      if (i === list.length) {
        if (last) await last();
        return;
      }
      await list[i](ctx, () => dispatch(i + 1));
    };
    return dispatch(0);
  };
}
