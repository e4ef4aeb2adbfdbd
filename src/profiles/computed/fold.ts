import type { TraitBucket, TraitState } from '../../core/computed';
import type { AttuneEvent } from '../../core/event';
import { own, setOwn } from '../../core/own';
import { COMPUTED_LIMITS, type ResolvedTrait } from './definition';

/**
 * Folding one event into one trait's state: pure, the state in is never changed. Windowed
 * traits keep one partial aggregate per time bucket and drop the buckets that have left the
 * window behind the newest event, so a state stays bounded however long the user stays.
 */

type Scalar = string | number | boolean;

/** An empty state for a trait. */
export function emptyTraitState(t: ResolvedTrait): TraitState {
  const s: TraitState = { sig: t.sig, kind: t.kind, bucketMs: t.bucketMs, buckets: {} };
  if (t.fn) s.fn = t.fn;
  if (t.windowMs !== undefined) s.windowMs = t.windowMs;
  const d = t.definition;
  if (d.type === 'unique-list') s.limit = d.limit ?? COMPUTED_LIMITS.listDefault;
  if (d.type === 'most-frequent' && d.minFrequency !== undefined) s.minFrequency = d.minFrequency;
  return s;
}

/** The name an event is counted under: a track call's event name, or the call's type. */
export function eventName(e: AttuneEvent): string | undefined {
  return e.type === 'track' ? e.event : e.type;
}

/** Whether the event is one the trait counts (name and `where` filters). */
export function matches(t: ResolvedTrait, e: AttuneEvent): boolean {
  if (eventName(e) !== t.definition.event) return false;
  const where = t.definition.where;
  if (where) for (const k of Object.keys(where)) if (propertyAt(e, k) !== where[k]) return false;
  return true;
}

/** A property of the event by dotted path (own fields only). */
export function propertyAt(e: AttuneEvent, path: string): unknown {
  let cur: unknown = e.properties;
  for (const part of path.split('.')) {
    cur = cur !== null && typeof cur === 'object' && !Array.isArray(cur) ? own(cur as Record<string, unknown>, part) : undefined;
  }
  return cur;
}

/**
 * The state with the event folded in, or undefined when the event does not count for the
 * trait (another name, a filter that fails, a property missing or of the wrong type, or a
 * time already outside the window).
 */
export function foldEvent(t: ResolvedTrait, state: TraitState, e: AttuneEvent): TraitState | undefined {
  if (!matches(t, e)) return undefined;
  const at = Date.parse(e.timestamp);
  if (!Number.isFinite(at)) return undefined;
  const d = t.definition;
  if (d.type === 'first' || d.type === 'last') {
    const value = scalar(propertyAt(e, d.property));
    if (value === undefined) return undefined;
    const p = state.point;
    // Ties go to the event seen first, so replaying in another order gives the same answer.
    const better = !p || (d.type === 'first' ? at < p.at : at > p.at);
    return better ? { ...state, point: { at, value } } : { ...state };
  }
  let value: Scalar | undefined;
  if (d.type !== 'event-counter') {
    value = d.type === 'aggregation' ? finite(propertyAt(e, d.property)) : scalar(propertyAt(e, d.property));
    if (value === undefined) return undefined;
  }
  const start = t.bucketMs ? Math.floor(at / t.bucketMs) * t.bucketMs : 0;
  const buckets = t.windowMs === undefined ? { ...state.buckets } : pruned(state.buckets, t.windowMs, t.bucketMs, start);
  if (t.windowMs !== undefined && !Object.hasOwn(buckets, String(start)) && outside(buckets, t.windowMs, t.bucketMs, start)) return undefined;
  const key = String(start);
  const old = own(buckets, key);
  const b: TraitBucket = old ? { ...old, n: old.n + 1 } : { n: 1 };
  if (typeof value === 'number' && d.type === 'aggregation') {
    b.sum = (old?.sum ?? 0) + value;
    b.min = Math.min(old?.min ?? value, value);
    b.max = Math.max(old?.max ?? value, value);
  } else if (value !== undefined) {
    const values = { ...(old?.values ?? {}) };
    const v = String(value).slice(0, COMPUTED_LIMITS.valueLength);
    const seen = own(values, v);
    // A bucket keeps a bounded number of distinct values; later new ones are not counted.
    if (seen === undefined && Object.keys(values).length >= COMPUTED_LIMITS.valuesPerBucket) return { ...state, buckets };
    setOwn(values, v, (seen ?? 0) + 1);
    b.values = values;
  }
  setOwn(buckets, key, b);
  return { ...state, buckets };
}

/** Buckets still inside the window, measured back from the newest of them and `start`. */
function pruned(buckets: Readonly<Record<string, TraitBucket>>, windowMs: number, bucketMs: number, start: number): Record<string, TraitBucket> {
  const newest = Math.max(start, ...Object.keys(buckets).map(Number));
  const out: Record<string, TraitBucket> = {};
  for (const k of Object.keys(buckets)) if (Number(k) + bucketMs > newest - windowMs) setOwn(out, k, buckets[k]);
  return out;
}

/** Whether a bucket starting at `start` is already behind the window of the newest bucket. */
function outside(buckets: Readonly<Record<string, TraitBucket>>, windowMs: number, bucketMs: number, start: number): boolean {
  const keys = Object.keys(buckets).map(Number);
  return keys.length > 0 && start + bucketMs <= Math.max(...keys) - windowMs;
}

function scalar(v: unknown): Scalar | undefined {
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  return typeof v === 'boolean' ? v : undefined;
}

function finite(v: unknown): number | undefined {
  // Numeric strings count: Segment sources often send prices as strings.
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}
