import type { PlannedEventSchema, PropertyType, TrackingPlan } from './config';
import type { z } from 'zod';

/**
 * Checking events against a tracking plan, with the four violation types RudderStack names
 * (Segment Protocols reports the same cases): an event the plan does not name, a required
 * property missing, a value of the wrong type (or outside its allowed values), and properties
 * the plan does not list. Pure: an event in, its violations out.
 */

/** The four violation types. */
export const VIOLATION_TYPES = ['unplanned-event', 'required-missing', 'datatype-mismatch', 'additional-properties'] as const;
/** One of {@link VIOLATION_TYPES}. */
export type ViolationType = (typeof VIOLATION_TYPES)[number];

/** One violation: its type, the property it concerns (none for an unplanned event), and what is wrong, without the value. */
export interface Violation {
  type: ViolationType;
  field?: string;
  description: string;
}

type PlannedEvent = z.output<typeof PlannedEventSchema>;

/** The JSON type of a value, as a plan names types. */
export function jsonType(value: unknown): Exclude<PropertyType, 'integer'> {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const t = typeof value;
  return t === 'string' || t === 'number' || t === 'boolean' ? t : 'object';
}

function typeFits(value: unknown, types: readonly PropertyType[]): boolean {
  const t = jsonType(value);
  return types.includes(t) || (t === 'number' && types.includes('integer') && Number.isInteger(value));
}

/**
 * The violations of one `track` event's name and properties.
 *
 * ```ts
 * checkEvent('Order Completed', { total: '12' }, plan);
 * // [{ type: 'required-missing', field: 'order_id', … }, { type: 'datatype-mismatch', field: 'total', … }]
 * ```
 */
export function checkEvent(name: string, properties: Readonly<Record<string, unknown>>, plan: Pick<TrackingPlan, 'events'>): Violation[] {
  const planned: PlannedEvent | undefined = Object.prototype.hasOwnProperty.call(plan.events, name) ? plan.events[name] : undefined;
  if (!planned) return [{ type: 'unplanned-event', description: 'the tracking plan does not name this event' }];
  const out: Violation[] = [];
  for (const [field, p] of Object.entries(planned.properties)) {
    const has = Object.prototype.hasOwnProperty.call(properties, field) && properties[field] !== undefined;
    if (!has) {
      if (p.required) out.push({ type: 'required-missing', field, description: 'a required property is missing' });
      continue;
    }
    const value = properties[field];
    const types = Array.isArray(p.type) ? p.type : [p.type];
    if (!typeFits(value, types)) out.push({ type: 'datatype-mismatch', field, description: `must be ${types.join(' or ')}, is ${jsonType(value)}` });
    else if (p.allowed && !p.allowed.some((a) => a === value)) out.push({ type: 'datatype-mismatch', field, description: 'not one of the allowed values' });
  }
  if (!planned.additionalProperties) {
    for (const field of Object.keys(properties)) {
      if (!Object.prototype.hasOwnProperty.call(planned.properties, field)) out.push({ type: 'additional-properties', field, description: 'the tracking plan does not list this property' });
    }
  }
  return out;
}

/** What the plan's settings make of an event's violations. */
export interface Enforcement {
  /** Whether the event is refused. */
  blocked: boolean;
  /** Properties to remove before the event is kept. */
  strip: string[];
}

/** What to do with an event, given its violations and the plan's settings. */
export function enforcement(violations: readonly Violation[], plan: Pick<TrackingPlan, 'unplannedEvents' | 'unplannedProperties' | 'invalidEvents'>): Enforcement {
  let blocked = false;
  const strip: string[] = [];
  for (const v of violations) {
    if (v.type === 'unplanned-event') blocked ||= plan.unplannedEvents === 'block';
    else if (v.type === 'additional-properties') {
      if (plan.unplannedProperties === 'block') blocked = true;
      else if (plan.unplannedProperties === 'strip' && v.field !== undefined) strip.push(v.field);
    } else blocked ||= plan.invalidEvents === 'block';
  }
  return { blocked, strip };
}
