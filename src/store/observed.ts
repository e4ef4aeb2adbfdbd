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
  // One wrapper per method, made on its first call: a fresh closure on every property read
  // cost more than the call it observed (it was named, on each read, by the function-name
  // helper of the TypeScript loader). Keyed by the function too, so a method replaced on the
  // store is wrapped anew.
  const wrappers = new Map<string, { value: unknown; observed: unknown }>();
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      const known = wrappers.get(prop);
      if (known !== undefined && known.value === value) return known.observed;
      const observed = wrap(target, prop, value as (...a: unknown[]) => unknown, hooks);
      wrappers.set(prop, { value, observed });
      return observed;
    },
  });
}

/** `value`, a method of `target`, reporting each call to `hooks`. */
function wrap(target: Store, method: string, value: (...a: unknown[]) => unknown, hooks: { emit(name: 'onStoreCall', call: StoreCall): void }): (...args: unknown[]) => unknown {
  return function observed(...args: unknown[]): unknown {
    const t0 = performance.now();
    const done = (ok: boolean, error?: unknown) => hooks.emit('onStoreCall', ok ? { method, ms: performance.now() - t0, ok } : { method, ms: performance.now() - t0, ok, error });
    let result: unknown;
    try {
      result = value.apply(target, args);
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
}
