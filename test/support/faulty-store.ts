import { StoreError } from '../../src/core/errors';
import type { Store } from '../../src/store/store';

type Method = { [K in keyof Store]: Store[K] extends (...args: never[]) => unknown ? K : never }[keyof Store];

/**
 * A real store with failures on demand: `failNext('write', 1)` makes the next write reject
 * with a StoreError before it reaches the store, as a dropped connection would. Every other
 * call goes through unchanged.
 */
export function faulty(store: Store): { store: Store; failNext(method: Method, times?: number, when?: (...args: unknown[]) => boolean): void; calls: Map<string, number> } {
  const failures = new Map<string, { left: number; when?: (...args: unknown[]) => boolean }>();
  const calls = new Map<string, number>();
  const proxy = new Proxy(store, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      return (...args: unknown[]) => {
        calls.set(prop, (calls.get(prop) ?? 0) + 1);
        const f = failures.get(prop);
        if (f && f.left > 0 && (!f.when || f.when(...args))) {
          f.left -= 1;
          return Promise.reject(new StoreError(`${prop} failed (injected)`));
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return {
    store: proxy,
    calls,
    failNext(method, times = 1, when) {
      failures.set(method, { left: times, when });
    },
  };
}
