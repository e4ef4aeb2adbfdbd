import { z } from 'zod';
import { NUMBER_WORD_LANGUAGES } from './number-words';

/**
 * What data quality is configured with, validated with zod when the engine is built: the
 * normalizers per trait and property, the tracking plan, and the monitor's window and
 * thresholds. Every part is optional; without a part, that check does not run.
 */

const name = z.string().min(1).max(200);
const decimal = z.enum(['.', ',']).optional();

/** How one field is normalized, by the type it must end up as. */
export const FieldRuleSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.enum(['number', 'integer']),
    decimal,
    /** Languages number words are read in (default all of en, de, es, fr); `[]` refuses words. */
    words: z.array(z.enum(NUMBER_WORD_LANGUAGES)).optional(),
  }),
  z.strictObject({ type: z.literal('boolean') }),
  z.strictObject({
    type: z.literal('date'),
    order: z.enum(['dmy', 'mdy', 'ymd']).optional(),
    output: z.enum(['date', 'datetime']).optional(),
    epoch: z.enum(['s', 'ms']).optional(),
  }),
  z.strictObject({
    type: z.literal('currency'),
    decimal,
    /** Symbols over the defaults, e.g. `{ "$": "CAD" }`. */
    symbols: z.record(z.string().min(1).max(8), z.string().regex(/^[A-Z]{3}$/)).optional(),
    /** Where the currency the amount named is written (when the field is absent), e.g. `currency`. */
    currencyField: name.optional(),
  }),
  z.strictObject({ type: z.literal('country') }),
  z.strictObject({ type: z.literal('locale') }),
  z.strictObject({
    type: z.literal('string'),
    trim: z.boolean().default(true),
    case: z.enum(['lower', 'upper', 'none']).default('none'),
  }),
]);
/** How one field is normalized. */
export type FieldRule = z.output<typeof FieldRuleSchema>;
/** The kinds of normalization, as counters and metrics name them. */
export type FieldKind = FieldRule['type'];

/** The normalizers, per property (track, page, screen) and per trait (identify, group). */
export const NormalizationSchema = z.strictObject({
  properties: z.record(name, FieldRuleSchema).default({}),
  traits: z.record(name, FieldRuleSchema).default({}),
});

/** A property's planned type (JSON's types, with `integer` as JSON Schema has it). */
export const PropertyTypeSchema = z.enum(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);
/** A property's planned type. */
export type PropertyType = z.infer<typeof PropertyTypeSchema>;

/** One planned property: its type (or types), whether it is required, and the values allowed. */
export const PlannedPropertySchema = z.strictObject({
  type: z.union([PropertyTypeSchema, z.array(PropertyTypeSchema).min(1)]),
  required: z.boolean().default(false),
  allowed: z.array(z.union([z.string(), z.number(), z.boolean()])).min(1).optional(),
});

/** One planned event: its properties, and whether properties it does not list are allowed. */
export const PlannedEventSchema = z.strictObject({
  properties: z.record(name, PlannedPropertySchema).default({}),
  /** `false` (the default): a property the plan does not list is an `additional-properties` violation. */
  additionalProperties: z.boolean().default(false),
});

/**
 * A tracking plan, as Segment Protocols and RudderStack keep them: per `track` event name, its
 * properties. What happens to an event that breaks it is set per kind of violation.
 */
export const TrackingPlanSchema = z.strictObject({
  events: z.record(name, PlannedEventSchema),
  /** An event the plan does not name: `allow` (counted) or `block` (refused, 400). */
  unplannedEvents: z.enum(['allow', 'block']).default('allow'),
  /** Properties the plan does not list: `allow` (counted), `strip` (removed, named in `context.protocols.omitted`) or `block`. */
  unplannedProperties: z.enum(['allow', 'strip', 'block']).default('allow'),
  /** A required property missing or a value of the wrong type: `allow` (counted) or `block`. */
  invalidEvents: z.enum(['allow', 'block']).default('allow'),
  /** Log each violation as a `Violation Generated` event (default true). */
  emitViolations: z.boolean().default(true),
});
/** A tracking plan, validated. */
export type TrackingPlan = z.output<typeof TrackingPlanSchema>;

/** The rates the monitor keeps per source. */
export const RATE_KINDS = ['missing', 'duplicate', 'near_duplicate', 'violation', 'fixed', 'unparseable'] as const;
/** One of {@link RATE_KINDS}. */
export type RateKind = (typeof RATE_KINDS)[number];

const rate = z.number().min(0).max(1);

/** The monitor: the window rates are computed over, and the rate at which each alerts. */
export const MonitorSchema = z.strictObject({
  /** The sliding window, in ms (default 5 min). */
  windowMs: z.number().int().min(1000).max(86_400_000).default(300_000),
  /** Events a source must have sent in the window before its rates can alert (default 50). */
  minEvents: z.number().int().min(1).default(50),
  /** Thresholds per rate, from 0 to 1; a rate without one never alerts. */
  thresholds: z
    .strictObject(Object.fromEntries(RATE_KINDS.map((k) => [k, rate.optional()])) as Record<RateKind, z.ZodOptional<typeof rate>>)
    .default({ missing: 0.05, duplicate: 0.05, near_duplicate: 0.05, violation: 0.1, unparseable: 0.02 }),
  /** Events of one user with the same name and properties this close (ms) and no messageId are near-duplicates (default 10 s). */
  nearDuplicateMs: z.number().int().min(1).max(3_600_000).default(10_000),
  /** Fingerprints kept for near-duplicate detection at most (default 100,000; the oldest go first). */
  maxFingerprints: z.number().int().min(100).max(10_000_000).default(100_000),
});

/** Everything data quality is configured with. */
export const QualityConfigSchema = z.strictObject({
  normalize: NormalizationSchema.optional(),
  trackingPlan: TrackingPlanSchema.optional(),
  monitor: MonitorSchema.default(MonitorSchema.parse({})),
});
/** Data quality's configuration as written (defaults filled in when it is read). */
export type QualityConfig = z.input<typeof QualityConfigSchema>;
/** Data quality's configuration, validated. */
export type QualitySettings = z.output<typeof QualityConfigSchema>;
