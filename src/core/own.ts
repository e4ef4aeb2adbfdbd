/**
 * Records keyed by what users send (event names, categories, product ids, trait names) must
 * not meet `Object.prototype`: `counts['toString'] ?? 0` reads a function, and
 * `counts['__proto__'] = …` replaces the record's prototype instead of storing a number.
 * These helpers read and write own properties only.
 */

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * A record's own value for `key`, never one inherited from `Object.prototype`.
 *
 * ```ts
 * own({}, 'toString'); // undefined
 * ```
 */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return hasOwn.call(record, key) ? record[key] : undefined;
}

/**
 * Sets an own, enumerable property, `__proto__` included (a plain assignment of that key
 * would replace the record's prototype and store nothing).
 */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
  else record[key] = value;
}

/** `Object.assign` that copies every own enumerable key as data, `__proto__` included. */
export function assignOwn<T>(target: Record<string, T>, source: Readonly<Record<string, T>>): Record<string, T> {
  for (const key of Object.keys(source)) setOwn(target, key, source[key]);
  return target;
}

/** Adds `by` to a numeric entry that may not exist yet (prototype keys included). */
export function addOwn(record: Record<string, number>, key: string, by: number): void {
  setOwn(record, key, (own(record, key) ?? 0) + by);
}
