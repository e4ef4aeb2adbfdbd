/**
 * A label whose values come from outside the code (a stage's name, an app's source, a
 * segment defined in config) must not grow a time series per value without bound: each
 * series costs memory here and in Prometheus for as long as it is kept.
 */

/** The value a label takes once it has kept as many values as it may. */
export const OTHER_LABEL = 'other';

const SAFE = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Event names are words with spaces (`Order Completed`), as Segment's spec writes them. */
export const EVENT_NAME_LABEL = /^[A-Za-z0-9_.:-][A-Za-z0-9 _.:-]{0,63}$/;

/**
 * A label of at most `max` distinct values: the first `max` values seen keep their names,
 * every later one (and any value that is not a short plain name, or does not match `safe`) becomes `other`.
 *
 * ```ts
 * const segment = boundedLabel(2);
 * [segment('vip'), segment('new'), segment('lapsed')]; // ['vip', 'new', 'other']
 * ```
 */
export function boundedLabel(max: number, safe: RegExp = SAFE): (value: string) => string {
  const kept = new Set<string>();
  return (value) => {
    if (kept.has(value)) return value;
    if (!safe.test(value) || kept.size >= max) return OTHER_LABEL;
    kept.add(value);
    return value;
  };
}
