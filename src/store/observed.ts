import type { Store } from './store';

/** One store call, as an observer sees it. */
export interface StoreCall {
  method: string;
  ms: number;
  ok: boolean;
  error?: unknown;
}

/**
 * The same store, reporting every async call (its method, time and outcome) to `observe`:
 * for metrics and tracing of the store without editing it. An observer that throws is the
 * caller's to contain.
 *
 * ```ts
 * const store = observedStore(openStore(url), { emit: (_, c) => storeLatency.observe({ method: c.method }, c.ms) });
 * ```
 */
export function observedStore(store: Store, hooks: { emit(name: 'onStoreCall', call: StoreCall): void }): Store {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      const method = prop;
      return function observed(...args: unknown[]): unknown {
        const t0 = performance.now();
        const done = (ok: boolean, error?: unknown) => hooks.emit('onStoreCall', ok ? { method, ms: performance.now() - t0, ok } : { method, ms: performance.now() - t0, ok, error });
        let result: unknown;
        try {
          result = (value as (...a: unknown[]) => unknown).apply(target, args);
        } catch (error) {
          done(false, error);
          throw error;
        }
        if (!(result instanceof Promise)) return result;
        return result.then(
          (v: unknown) => {
            done(true);
            return v;
          },
          (error: unknown) => {
            done(false, error);
            throw error;
          },
        );
      };
    },
  });
}
