import type { TraitBucket, TraitState } from '../../core/computed';
import { own } from '../../core/own';

/**
 * A computed trait's value at a time, read from its state alone (the state says its kind and
 * window), so that segment rules and discovery features read it without the definitions.
 */

/** What a computed trait can be. */
export type TraitValue = number | string | boolean | string[] | undefined;

/**
 * The trait's value at `nowMs`: the buckets that overlap the window ending now are merged.
 * Undefined where nothing counted (an average, minimum or most frequent value of nothing).
 *
 * ```ts
 * traitValue(profile.computed.traits.orders_30d, Date.now()); // 3
 * ```
 */
export function traitValue(state: TraitState, nowMs: number): TraitValue {
  if (state.kind === 'first' || state.kind === 'last') return state.point?.value;
  const inWindow: TraitBucket[] = [];
  for (const k of Object.keys(state.buckets)) {
    const start = Number(k);
    if (state.windowMs === undefined || (start + state.bucketMs > nowMs - state.windowMs && start <= nowMs)) inWindow.push(state.buckets[k]);
  }
  const n = inWindow.reduce((s, b) => s + b.n, 0);
  switch (state.kind) {
    case 'event-counter':
      return n;
    case 'aggregation':
      return aggregate(state, inWindow, n);
    default: {
      const counts: Record<string, number> = Object.create(null) as Record<string, number>;
      for (const b of inWindow) for (const [v, c] of Object.entries(b.values ?? {})) counts[v] = (counts[v] ?? 0) + c;
      const values = Object.keys(counts).sort();
      if (state.kind === 'unique-list-count') return values.length;
      if (state.kind === 'unique-list') return values.slice(0, state.limit);
      // Most frequent: ties go to the value first in sort order, so the answer is stable.
      let best: string | undefined;
      for (const v of values) if (best === undefined || counts[v] > counts[best]) best = v;
      return best !== undefined && counts[best] >= (state.minFrequency ?? 1) ? best : undefined;
    }
  }
}

function aggregate(state: TraitState, buckets: readonly TraitBucket[], n: number): number | undefined {
  if (state.fn === 'sum') return buckets.reduce((s, b) => s + (b.sum ?? 0), 0);
  if (!n) return undefined;
  if (state.fn === 'avg') return buckets.reduce((s, b) => s + (b.sum ?? 0), 0) / n;
  const picks = buckets.map((b) => (state.fn === 'min' ? b.min : b.max)).filter((v): v is number => v !== undefined);
  return picks.length ? (state.fn === 'min' ? Math.min(...picks) : Math.max(...picks)) : undefined;
}

/**
 * A named computed trait of a profile at `nowMs`, or undefined when the user has none (no
 * event of theirs counted yet, or a stored state that cannot be read).
 */
export function computedTraitOf(profile: { computed?: { traits?: unknown } }, id: string, nowMs: number): TraitValue {
  const traits = profile.computed?.traits;
  if (traits === null || typeof traits !== 'object') return undefined;
  const state = own(traits as Record<string, unknown>, id);
  return isTraitState(state) ? traitValue(state, nowMs) : undefined;
}

const KINDS = new Set(['event-counter', 'aggregation', 'most-frequent', 'first', 'last', 'unique-list', 'unique-list-count']);

/** Whether a stored value has a trait state's shape (a stored profile may hold anything). */
export function isTraitState(v: unknown): v is TraitState {
  if (v === null || typeof v !== 'object') return false;
  const s = v as Partial<TraitState>;
  return typeof s.sig === 'string' && typeof s.kind === 'string' && KINDS.has(s.kind) && typeof s.bucketMs === 'number' && s.buckets !== null && typeof s.buckets === 'object' && Object.values(s.buckets).every((b) => b !== null && typeof b === 'object' && typeof b.n === 'number');
}
