/**
 * The stored state of a user's computed traits, kept in the profile (so a turn reads it in
 * its one round trip and export, erase and retention cover it). Each trait's state describes
 * itself (its kind, window and bucket width), so a segment rule can read the trait's value at
 * any time without the definitions at hand. Plain JSON.
 */

/** The seven kinds of computed trait, as Segment names them. */
export type ComputedTraitKind = 'event-counter' | 'aggregation' | 'most-frequent' | 'first' | 'last' | 'unique-list' | 'unique-list-count';

/** How an aggregation folds a numeric property. */
export type AggregationFn = 'sum' | 'avg' | 'min' | 'max';

/** What one time bucket holds (only the parts its kind uses are present). */
export interface TraitBucket {
  /** Matching events. */
  n: number;
  /** Sum, minimum and maximum of the property (aggregation). */
  sum?: number;
  min?: number;
  max?: number;
  /** Occurrences of each value of the property (most frequent, unique list and its count). */
  values?: Record<string, number>;
}

/** The value of a first or last trait, with the event time that decided it. */
export interface TraitPoint {
  at: number;
  value: string | number | boolean;
}

/** One trait's state. */
export interface TraitState {
  /** A digest of the definition: a changed definition starts from nothing (then backfill). */
  sig: string;
  kind: ComputedTraitKind;
  fn?: AggregationFn;
  /** Window length in ms; absent: all time. */
  windowMs?: number;
  /** Width of a bucket in ms (0 for all time: one bucket). */
  bucketMs: number;
  /** Cap of unique-list values returned. */
  limit?: number;
  /** Fewest occurrences a most-frequent value needs. */
  minFrequency?: number;
  /** Buckets by their start time (epoch ms, as a string key). */
  buckets: Record<string, TraitBucket>;
  /** First or last. */
  point?: TraitPoint;
}

/** Every computed trait of a user, and the digests of the events already folded into them. */
export interface ComputedState {
  traits: Record<string, TraitState>;
  /** Short digests of the latest message ids applied, oldest first: replays count once. */
  seen: string[];
}
