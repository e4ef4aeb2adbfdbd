/**
 * Freezes a JSON-shaped value in depth and returns it. Objects already frozen are taken to be
 * frozen in depth and not entered: values built by copying a frozen value and changing one
 * part share the rest, so freezing them costs only what changed.
 *
 * Stores deal in such values (see `Store`): what a read returns and what a write took are
 * frozen, so a stray mutation throws at the culprit instead of quietly changing stored data.
 *
 * ```ts
 * const p = deepFreeze({ counts: { turns: 1 } });
 * p.counts.turns = 2; // TypeError in strict mode
 * ```
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      // Checked here, not by a call per element: profiles hold arrays of numbers.
      if (typeof v === 'object' && v !== null) deepFreeze(v);
    }
  } else {
    for (const k in value) {
      const v: unknown = (value as Record<string, unknown>)[k];
      if (typeof v === 'object' && v !== null) deepFreeze(v);
    }
  }
  return value;
}
