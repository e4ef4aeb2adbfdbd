import { z } from 'zod';
import type { Predictions } from '../core/personalization';
import type { Profile } from '../core/profile';
import { own } from '../core/own';
import { DurationSchema, durationMs } from '../core/duration';
import { computedTraitOf } from '../profiles/computed/value';

/**
 * A small JSON rule language for segments:
 * - `{ "all": [rule, …] }`, `{ "any": [rule, …] }`, `{ "not": rule }`;
 * - `{ "field": "traits.plan", "op": "eq", "value": "pro" }` compares a profile field
 *   (`traits.*`, `counts.*`, `affinities.*`, `context.*`, `orders`, `revenue`,
 *   `daysSinceFirstSeen`, `daysSinceLastSeen`, `topCategory`, and `computed.<trait id>`, a
 *   computed trait's value now);
 * - `{ "event": "Order Completed", "within": "7d", "min": 1 }` counts events in a time window
 *   (`min` defaults to 1, or to 0 when only `max` is given);
 * - `{ "prediction": "purchase", "gte": 0.7 }` compares the purchase propensity of the served
 *   model (see src/predict) with `gte`, `gt`, `lte` or `lt` (at least one, all must hold), and
 *   `{ "prediction": "purchase", "category": "shoes", "gte": 0.5 }` that of one category. Without a
 *   model, or a category the model has no head for, the rule does not hold: "likely buyers" is
 *   empty until a model is loaded, never everyone.
 *
 * ```json
 * { "all": [ { "event": "Order Completed", "within": "7d" }, { "field": "revenue", "op": "gte", "value": 100 } ] }
 * ```
 */
export type Rule =
  | { all: Rule[] }
  | { any: Rule[] }
  | { not: Rule }
  | { field: string; op: ComparisonOp; value?: unknown }
  | { event: string; within?: string | number; min?: number; max?: number }
  | PredictionRule;

/** A rule on a propensity prediction: `{ prediction: 'purchase', category?, gte?, gt?, lte?, lt? }`. */
export interface PredictionRule {
  prediction: 'purchase';
  /** A category's propensity instead of the overall one. */
  category?: string;
  gte?: number;
  gt?: number;
  lte?: number;
  lt?: number;
}

/**
 * What a rule may read besides the profile: the user's predictions (computed when first read,
 * so rules without a prediction never pay for one).
 */
export interface RuleFacts {
  readonly predictions?: Predictions;
}

const probability = z.number().min(0).max(1);

/** Comparison operators of field rules. */
export type ComparisonOp = 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'nin' | 'contains' | 'exists' | 'missing';

const OPS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'nin', 'contains', 'exists', 'missing'] as const;

/** zod schema of {@link Rule}, recursive. */
export const RuleSchema: z.ZodType<Rule> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(RuleSchema).min(1) }),
    z.strictObject({ any: z.array(RuleSchema).min(1) }),
    z.strictObject({ not: RuleSchema }),
    z.strictObject({ field: z.string().min(1), op: z.enum(OPS), value: z.unknown().optional() }),
    z
      .strictObject({ event: z.string().min(1), within: DurationSchema.optional(), min: z.number().int().nonnegative().optional(), max: z.number().int().nonnegative().optional() })
      .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, { message: 'min is above max: the rule could never hold', path: ['min'] }),
    z
      .strictObject({ prediction: z.literal('purchase'), category: z.string().min(1).optional(), gte: probability.optional(), gt: probability.optional(), lte: probability.optional(), lt: probability.optional() })
      .refine((r) => r.gte !== undefined || r.gt !== undefined || r.lte !== undefined || r.lt !== undefined, { message: 'a prediction rule needs a bound: gte, gt, lte or lt', path: ['gte'] }),
  ]),
);

// Durations moved to core (computed traits use them too); still exported from here for callers.
export { durationMs } from '../core/duration';

/** Evaluates a rule against a profile (and, for prediction rules, `facts`) at time `nowMs`. Pure. */
export function evaluateRule(rule: Rule, profile: Profile, nowMs: number, facts: RuleFacts = NO_FACTS): boolean {
  if ('all' in rule) return rule.all.every((r) => evaluateRule(r, profile, nowMs, facts));
  if ('any' in rule) return rule.any.some((r) => evaluateRule(r, profile, nowMs, facts));
  if ('not' in rule) return !evaluateRule(rule.not, profile, nowMs, facts);
  if ('prediction' in rule) return holdsPrediction(rule, facts.predictions);
  if ('event' in rule) {
    const times = own(profile.recent, rule.event) ?? [];
    const since = rule.within === undefined ? -Infinity : nowMs - durationMs(rule.within);
    const n = times.filter((t) => t >= since && t <= nowMs).length + (rule.within === undefined ? Math.max(0, (own(profile.counts, rule.event) ?? 0) - times.length) : 0);
    // `min` defaults to 1, unless only `max` is given: `{ max: 0 }` means "none in the window".
    const min = rule.min ?? (rule.max === undefined ? 1 : 0);
    return n >= min && (rule.max === undefined || n <= rule.max);
  }
  return compare(resolve(profile, rule.field, nowMs), rule.op, rule.value);
}

/** Whether any part of a rule reads a prediction (the segments compute one only then). */
export function usesPredictions(rule: Rule): boolean {
  if ('all' in rule) return rule.all.some(usesPredictions);
  if ('any' in rule) return rule.any.some(usesPredictions);
  if ('not' in rule) return usesPredictions(rule.not);
  return 'prediction' in rule;
}

const NO_FACTS: RuleFacts = {};

function holdsPrediction(rule: PredictionRule, predictions: Predictions | undefined): boolean {
  if (!predictions) return false;
  const p = rule.category === undefined ? predictions.purchase : own(predictions.byCategory, rule.category);
  if (p === undefined || !Number.isFinite(p)) return false;
  return (rule.gte === undefined || p >= rule.gte) && (rule.gt === undefined || p > rule.gt) && (rule.lte === undefined || p <= rule.lte) && (rule.lt === undefined || p < rule.lt);
}

/** A profile field as rules name it (see {@link Rule}), at time `nowMs`; for discovery features too. */
export function profileField(p: Profile, field: string, nowMs: number): unknown {
  return resolve(p, field, nowMs);
}

function resolve(p: Profile, field: string, nowMs: number): unknown {
  // A computed trait is read from its state at the rule's time: windows slide without events.
  if (field.startsWith('computed.')) return computedTraitOf(p, field.slice('computed.'.length), nowMs);
  switch (field) {
    case 'daysSinceFirstSeen':
      return (nowMs - Date.parse(p.firstSeen)) / 86_400_000;
    case 'daysSinceLastSeen':
      return (nowMs - Date.parse(p.lastSeen)) / 86_400_000;
    case 'topCategory': {
      const top = Object.entries(p.affinities).sort((a, b) => b[1] - a[1])[0];
      return top?.[0];
    }
  }
  let cur: unknown = p;
  for (const part of field.split('.')) {
    // Own fields only: `traits.constructor` is not something the user told us.
    cur = cur !== null && typeof cur === 'object' && Object.hasOwn(cur, part) ? (cur as Record<string, unknown>)[part] : undefined;
  }
  // A counter that never ticked is zero, not missing: "counts.turns lte 1" holds for a newcomer.
  if (cur === undefined && (field.startsWith('counts.') || field.startsWith('affinities.'))) return 0;
  return cur;
}

function compare(actual: unknown, op: ComparisonOp, expected: unknown): boolean {
  switch (op) {
    case 'exists':
      return actual !== undefined && actual !== null;
    case 'missing':
      return actual === undefined || actual === null;
    case 'eq':
      return actual === expected;
    case 'neq':
      return actual !== expected;
    case 'in':
      return Array.isArray(expected) && expected.includes(actual);
    case 'nin':
      return Array.isArray(expected) && !expected.includes(actual);
    case 'contains':
      return Array.isArray(actual) ? actual.includes(expected) : typeof actual === 'string' && typeof expected === 'string' && actual.toLowerCase().includes(expected.toLowerCase());
    default: {
      // Only numbers and numeric strings order; `Number(null)` and `Number('')` are 0, not absent.
      const a = toNumber(actual);
      const b = toNumber(expected);
      if (Number.isNaN(a) || Number.isNaN(b)) return false;
      return op === 'gt' ? a > b : op === 'gte' ? a >= b : op === 'lt' ? a < b : a <= b;
    }
  }
}

function toNumber(v: unknown): number {
  return typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
}
