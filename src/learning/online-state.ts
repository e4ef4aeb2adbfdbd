/**
 * One user's online delta between trainings, pure: the positives to fold in, the items to
 * demote (explicit negatives, and items shown again and again without a positive signal), and
 * the last list shown (what a reaction without items is about). Every list is bounded, so an
 * event costs O(bound) whatever the user's history, and every entry expires with its type's TTL.
 */
import type { Feedback, FeedbackConfig } from './feedback-types';

/** An item with a weight and the time it stops counting. */
export interface Weighted {
  item: string;
  weight: number;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** An impression count since the item's last positive signal. */
export interface ShownCount {
  item: string;
  count: number;
  expiresAt: number;
}

/** The delta itself: plain JSON, stored per user so that every replica serves the same. */
export interface OnlineState {
  /** Bumped by each change; serving re-folds a user only when it moved. */
  revision: number;
  positives: Weighted[];
  negatives: Weighted[];
  shown: ShownCount[];
  lastShown: string[];
}

/** Bounds of one user's delta. */
export const ONLINE_LIMITS = { positives: 100, negatives: 100, shown: 200, lastShown: 50 } as const;

/** A fresh delta. */
export function emptyOnlineState(): OnlineState {
  return { revision: 0, positives: [], negatives: [], shown: [], lastShown: [] };
}

function upsert(list: Weighted[], item: string, weight: number, expiresAt: number, max: number): Weighted[] {
  const previous = list.find((w) => w.item === item);
  const next = { item, weight: Math.max(weight, previous?.weight ?? 0), expiresAt: Math.max(expiresAt, previous?.expiresAt ?? 0) };
  // Newest first, so that the bound drops the oldest.
  return [next, ...list.filter((w) => w.item !== item)].slice(0, max);
}

/**
 * The delta after some feedback. A positive signal folds the item in and clears its negative
 * and its impressions; a negative one demotes it; a read counts an impression. Feedback with
 * no items (a reaction to a message) is about the last list shown. Expired entries are dropped.
 *
 * ```ts
 * applyFeedback(emptyOnlineState(), [classify(signal, config)!], Date.now());
 * ```
 */
export function applyFeedback(state: OnlineState, feedback: readonly Feedback[], now: number): OnlineState {
  let { positives, negatives, shown, lastShown } = prune(state, now);
  for (const f of feedback) {
    if (f.expiresAt <= now) continue;
    const items = f.items.length ? f.items : f.kind === 'read' ? [] : lastShown;
    if (f.kind === 'read') {
      for (const item of items) {
        const previous = shown.find((s) => s.item === item);
        shown = [{ item, count: (previous?.count ?? 0) + 1, expiresAt: f.expiresAt }, ...shown.filter((s) => s.item !== item)].slice(0, ONLINE_LIMITS.shown);
      }
      if (items.length) lastShown = items.slice(0, ONLINE_LIMITS.lastShown);
      continue;
    }
    const drop = new Set(items);
    shown = shown.filter((s) => !drop.has(s.item));
    for (const item of items) {
      if (f.kind === 'positive') {
        positives = upsert(positives, item, f.weight, f.expiresAt, ONLINE_LIMITS.positives);
        negatives = negatives.filter((w) => w.item !== item);
      } else {
        negatives = upsert(negatives, item, f.weight, f.expiresAt, ONLINE_LIMITS.negatives);
        positives = positives.filter((w) => w.item !== item);
      }
    }
  }
  return { revision: state.revision + 1, positives, negatives, shown, lastShown };
}

/** The delta without expired entries. */
export function prune(state: OnlineState, now: number): OnlineState {
  return {
    revision: state.revision,
    positives: state.positives.filter((w) => w.expiresAt > now),
    negatives: state.negatives.filter((w) => w.expiresAt > now),
    shown: state.shown.filter((s) => s.expiresAt > now),
    lastShown: state.lastShown,
  };
}

/**
 * How strongly to demote each item for this user, in (0, 1]: an explicit negative by its
 * weight (capped at 1), and, more lightly, its nearest neighbours (see {@link spreadDemotions};
 * `neighbours` is the model's `similar`); an item shown `ignoredAfter` times without a
 * positive by `ignoredWeight`, alone: being passed over says nothing about similar items.
 * The strongest demotion of an item wins.
 */
export function demotions(
  state: OnlineState,
  config: Pick<FeedbackConfig, 'ignoredAfter' | 'ignoredWeight'>,
  now: number,
  neighbours?: (item: string) => readonly { item: string; score: number }[],
  options?: SpreadOptions,
): Map<string, number> {
  const explicit = new Map<string, number>();
  for (const w of state.negatives) if (w.expiresAt > now) explicit.set(w.item, Math.min(1, w.weight));
  const out = neighbours ? spreadDemotions(explicit, neighbours, options) : explicit;
  for (const s of state.shown) if (s.expiresAt > now && s.count >= config.ignoredAfter) out.set(s.item, Math.max(out.get(s.item) ?? 0, config.ignoredWeight));
  return out;
}

/** How demotions spread to neighbours. */
export interface SpreadOptions {
  /** A neighbour's share of the item's demotion, times their similarity (default 0.3). */
  share?: number;
  /** Only the strongest this many demotions spread (default 20). */
  maxItems?: number;
}

/**
 * Spreads demotions to each demoted item's nearest neighbours, more lightly: a neighbour gets
 * the item's strength × `share` × its similarity (clamped to [0, 1]); the item keeps its own.
 * Only the strongest `maxItems` demotions spread, which bounds the cost at serving to
 * `maxItems` neighbour look-ups.
 *
 * ```ts
 * spreadDemotions(new Map([['p1', 1]]), (i) => model.similar(i, 10));
 * ```
 */
export function spreadDemotions(
  demoted: ReadonlyMap<string, number>,
  neighbours: (item: string) => readonly { item: string; score: number }[],
  options: SpreadOptions = {},
): Map<string, number> {
  const share = options.share ?? 0.3;
  const out = new Map(demoted);
  const strongest = [...demoted].sort((a, b) => b[1] - a[1]).slice(0, options.maxItems ?? 20);
  for (const [item, strength] of strongest) {
    for (const n of neighbours(item)) {
      const p = strength * share * Math.min(1, Math.max(0, n.score));
      if (p > (out.get(n.item) ?? 0) && !demoted.has(n.item)) out.set(n.item, p);
    }
  }
  return out;
}

/** Parses a stored delta, or undefined when it is not one (a damaged entry is dropped, not served). */
export function parseOnlineState(json: string): OnlineState | undefined {
  try {
    const v = JSON.parse(json) as Partial<OnlineState>;
    const weighted = (l: unknown): l is Weighted[] => Array.isArray(l) && l.every((w: Partial<Weighted>) => typeof w?.item === 'string' && typeof w.weight === 'number' && typeof w.expiresAt === 'number');
    const counts = (l: unknown): l is ShownCount[] => Array.isArray(l) && l.every((s: Partial<ShownCount>) => typeof s?.item === 'string' && typeof s.count === 'number' && typeof s.expiresAt === 'number');
    if (typeof v.revision !== 'number' || !weighted(v.positives) || !weighted(v.negatives) || !counts(v.shown)) return undefined;
    const lastShown = Array.isArray(v.lastShown) ? v.lastShown.filter((s): s is string => typeof s === 'string') : [];
    return {
      revision: v.revision,
      positives: v.positives.slice(0, ONLINE_LIMITS.positives),
      negatives: v.negatives.slice(0, ONLINE_LIMITS.negatives),
      shown: v.shown.slice(0, ONLINE_LIMITS.shown),
      lastShown: lastShown.slice(0, ONLINE_LIMITS.lastShown),
    };
  } catch {
    return undefined;
  }
}
