import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AggregationFn, ComputedTraitKind } from '../../core/computed';
import { DurationSchema, durationMs } from '../../core/duration';

/**
 * Computed traits as configured: Segment's seven kinds, each over one event name (optionally
 * filtered on property values), most of them over a sliding time window.
 *
 * ```json
 * [
 *   { "id": "orders_30d", "type": "event-counter", "event": "Order Completed", "within": "30d" },
 *   { "id": "revenue_90d", "type": "aggregation", "fn": "sum", "event": "Order Completed", "property": "revenue", "within": "90d" },
 *   { "id": "favourite_category", "type": "most-frequent", "event": "Product Clicked", "property": "category" },
 *   { "id": "first_channel", "type": "first", "event": "page", "property": "channel" }
 * ]
 * ```
 */

/** A window of at most a year: older buckets would only make every profile bigger. */
const WITHIN = DurationSchema.refine((d) => durationMs(d) <= 366 * 86_400_000, 'windows are at most 366d').optional();
const PROPERTY = z.string().min(1).max(256).regex(/^[^.]+(\.[^.]+)*$/, 'a property path such as revenue or product.category');

const VALUES_PER_BUCKET = 200;

const base = {
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'trait ids are lower-case letters, digits, - and _'),
  /** A track event's name, or `page`, `screen`, `identify` for those calls. */
  event: z.string().min(1).max(256),
  /** Only events whose properties equal these values count. */
  where: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
};

/** zod schema of a computed trait definition. */
export const ComputedTraitSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...base, type: z.literal('event-counter'), within: WITHIN }),
  z.strictObject({ ...base, type: z.literal('aggregation'), fn: z.enum(['sum', 'avg', 'min', 'max']), property: PROPERTY, within: WITHIN }),
  z.strictObject({ ...base, type: z.literal('most-frequent'), property: PROPERTY, within: WITHIN, minFrequency: z.number().int().positive().optional() }),
  z.strictObject({ ...base, type: z.literal('first'), property: PROPERTY }),
  z.strictObject({ ...base, type: z.literal('last'), property: PROPERTY }),
  z.strictObject({ ...base, type: z.literal('unique-list'), property: PROPERTY, within: WITHIN, limit: z.number().int().min(1).max(VALUES_PER_BUCKET).optional() }),
  z.strictObject({ ...base, type: z.literal('unique-list-count'), property: PROPERTY, within: WITHIN }),
]);

/** A computed trait definition as written. */
export type ComputedTraitInput = z.input<typeof ComputedTraitSchema>;
/** A computed trait definition, validated. */
export type ComputedTraitDefinition = z.output<typeof ComputedTraitSchema>;

/** Limits that keep a trait's state small enough to read on every turn. */
export const COMPUTED_LIMITS = {
  /** Distinct values a bucket of most-frequent or unique-list keeps; later new values are not counted. */
  valuesPerBucket: VALUES_PER_BUCKET,
  /** Longest value kept (longer ones are cut). */
  valueLength: 128,
  /** Default cap of a unique list. */
  listDefault: 20,
} as const;

/** A definition with what its state needs resolved: its window, bucket width and digest. */
export interface ResolvedTrait {
  definition: ComputedTraitDefinition;
  kind: ComputedTraitKind;
  fn?: AggregationFn;
  windowMs?: number;
  bucketMs: number;
  sig: string;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;

/**
 * Resolves a validated definition. Windows up to two days are kept in hourly buckets, longer
 * ones in daily buckets (as Segment's windows are in hours or days): a window's edge is exact
 * to one bucket, and the state holds at most ~50 buckets for a 2-day window, 366 for a year.
 */
export function resolveTrait(definition: ComputedTraitDefinition): ResolvedTrait {
  const within = 'within' in definition ? definition.within : undefined;
  const windowMs = within === undefined ? undefined : durationMs(within);
  const bucketMs = windowMs === undefined ? 0 : windowMs <= 2 * DAY ? HOUR : DAY;
  const r: ResolvedTrait = { definition, kind: definition.type, windowMs, bucketMs, sig: createHash('sha256').update(JSON.stringify(definition)).digest('base64url').slice(0, 12) };
  if (definition.type === 'aggregation') r.fn = definition.fn;
  return r;
}
