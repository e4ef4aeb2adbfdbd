import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { fastTrack } from './event-fast';
import { MAX_ID_LENGTH, parse, withinBounds } from './validate';

/**
 * Tracking events in the Segment spec (https://segment.com/docs/connections/spec/), so that
 * existing tracking can send to Attune unchanged. Unknown fields are kept, not rejected:
 * Segment payloads carry many optional fields we do not use. What is kept is bounded, so that
 * no event can fail later, when it is written or read back: ids fit the store's keys, and an
 * event is at most Segment's own 32 KB and 32 levels deep.
 */

/** Segment's HTTP API refuses events over 32 KB; sources that send to Segment already keep to it. */
const EVENT_BOUNDS = { depth: 32, size: 32 * 1024 };

const id = z.string().min(1).max(MAX_ID_LENGTH);
const text = (max: number) => z.string().max(max);

const isoOrEpoch = z.union([
  z.iso.datetime({ offset: true, local: true }),
  z.iso.date(),
  z.number().finite().nonnegative(),
]);

/** Segment's `context` object, with the fields Attune reads typed and the rest passed through. */
export const EventContextSchema = z.looseObject({
  channel: text(64).optional(),
  // BCP 47 tags are at most 35 characters in practice (RFC 5646, section 4.4.1).
  locale: text(35).optional(),
  timezone: text(64).optional(),
  ip: text(64).optional(),
  userAgent: text(1024).optional(),
  device: z.looseObject({ type: text(64).optional(), id: text(MAX_ID_LENGTH).optional() }).optional(),
  location: z
    .looseObject({
      city: text(256).optional(),
      country: text(256).optional(),
      region: text(256).optional(),
      latitude: z.number().optional(),
      longitude: z.number().optional(),
    })
    .optional(),
  traits: z.record(z.string(), z.unknown()).optional(),
});
/** Segment's `context` object. */
export type EventContext = z.infer<typeof EventContextSchema>;

const common = {
  messageId: id.optional(),
  userId: id.optional(),
  anonymousId: id.optional(),
  timestamp: isoOrEpoch.optional(),
  sentAt: isoOrEpoch.optional(),
  context: EventContextSchema.optional(),
  integrations: z.record(z.string(), z.unknown()).optional(),
};

/** Where Segment's e-commerce spec names a product; each becomes a popularity counter's key. */
const PRODUCT_ID_FIELDS = ['product_id', 'sku', 'id'] as const;

/** Product ids longer than a counter key would make the event's write fail after it was accepted. */
function productIdsFit(props: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const products = Array.isArray(props.products) ? props.products.map((p: unknown, i) => ({ p, at: ['products', i] })) : [];
  for (const { p, at } of [{ p: props as unknown, at: [] as (string | number)[] }, ...products]) {
    if (typeof p !== 'object' || p === null) continue;
    for (const field of PRODUCT_ID_FIELDS) {
      const v = (p as Record<string, unknown>)[field];
      if (typeof v === 'string' && v.length > MAX_ID_LENGTH) ctx.addIssue({ code: 'custom', message: `a product id may have at most ${MAX_ID_LENGTH} characters`, path: [...at, field] });
    }
  }
}

const properties = z.record(z.string(), z.unknown()).superRefine(productIdsFit);
const traits = z.record(z.string(), z.unknown());

const TrackSchema = z.looseObject({ ...common, type: z.literal('track'), event: z.string().min(1).max(200), properties: properties.optional() });
const IdentifySchema = z.looseObject({ ...common, type: z.literal('identify'), traits: traits.optional() });
const PageSchema = z.looseObject({ ...common, type: z.literal('page'), name: text(200).optional(), category: text(200).optional(), properties: properties.optional() });
const ScreenSchema = z.looseObject({ ...common, type: z.literal('screen'), name: text(200).optional(), category: text(200).optional(), properties: properties.optional() });
/** Segment's alias: `previousId` (an anonymous id, or an older user id) is the same person as `userId`. */
const AliasSchema = z.looseObject({ ...common, type: z.literal('alias'), userId: id, previousId: id });
/** Segment's group: the user belongs to an account, company or team (`groupId`), with its traits. */
const GroupSchema = z.looseObject({ ...common, type: z.literal('group'), groupId: id, traits: traits.optional() });

/** Each Segment call's own schema, by type (as the REST API's per-type routes and its documentation take them). */
export const EVENT_SCHEMAS = { track: TrackSchema, identify: IdentifySchema, page: PageSchema, screen: ScreenSchema, alias: AliasSchema, group: GroupSchema } as const;

const requireSomeone = (e: { userId?: string; anonymousId?: string }) => Boolean(e.userId ?? e.anonymousId);
const someoneMessage = { message: 'either userId or anonymousId is required', path: ['userId'] };

/** One Segment event as it arrives (messageId and timestamp may be missing). */
export const EventInputSchema = z
  .discriminatedUnion('type', [TrackSchema, IdentifySchema, PageSchema, ScreenSchema, AliasSchema, GroupSchema])
  .refine(requireSomeone, someoneMessage)
  .superRefine(withinBounds(EVENT_BOUNDS));
/** One Segment event as it arrives. */
export type EventInput = z.input<typeof EventInputSchema>;

/** A Segment `batch` body: `{ batch: [event, …] }`. */
export const BatchInputSchema = z.looseObject({
  batch: z.array(EventInputSchema).min(1).max(1000),
  context: EventContextSchema.superRefine(withinBounds(EVENT_BOUNDS)).optional(),
  /** When the client sent the batch, by its clock (for events that carry no `sentAt` of their own). */
  sentAt: isoOrEpoch.optional(),
});

/** The kinds of events Attune understands. */
export type EventType = 'track' | 'identify' | 'page' | 'screen' | 'alias' | 'group';

/**
 * An event after validation and normalization: it always has a `messageId`, a user (the
 * `userId` if known, else the `anonymousId`), and ISO timestamps.
 */
export interface AttuneEvent {
  type: EventType;
  messageId: string;
  /** The id Attune keys everything by: `userId`, else `anonymousId`. */
  userId: string;
  anonymousId?: string;
  /** For track events: the event name, e.g. `Product Viewed`. */
  event?: string;
  /** For page/screen events. */
  name?: string;
  /** For alias events: the earlier id (anonymous, or an older user id) now known as `userId`. */
  previousId?: string;
  /** For group events: the account, company or team. */
  groupId?: string;
  properties: Record<string, unknown>;
  traits: Record<string, unknown>;
  context: EventContext;
  /**
   * When it happened (ISO 8601), corrected for the client's clock as Segment does:
   * `receivedAt − (sentAt − originalTimestamp)` when the client sent both.
   */
  timestamp: string;
  /** The `timestamp` the client gave, by its own clock, when it was corrected. */
  originalTimestamp?: string;
  /** When Attune received it (ISO 8601). */
  receivedAt: string;
}

/** A date-time with no `Z` or offset: JavaScript would read it in the server's zone. */
const NO_OFFSET = /T[^Z+-]*$/;

function toDate(t: string | number | undefined): Date | undefined {
  if (t === undefined) return undefined;
  // Read an offset-less time as UTC, so the same event means the same instant on every server.
  const d = typeof t === 'number' ? new Date(t) : new Date(NO_OFFSET.test(t) ? `${t}Z` : t);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/**
 * Segment's clock-skew correction: a client's clock may be off, but the time between its
 * event and its sending (`sentAt − originalTimestamp`) is right by that same clock, so the
 * event happened that long before the server received it. Without both times, the client's
 * timestamp (or the arrival) stands.
 */
function correctedTime(timestamp: string | number | undefined, sentAt: string | number | undefined, receivedAt: Date): { timestamp: string; originalTimestamp?: string } {
  const original = toDate(timestamp);
  const sent = toDate(sentAt);
  if (!original) return { timestamp: receivedAt.toISOString() };
  if (!sent) return { timestamp: original.toISOString() };
  const corrected = new Date(receivedAt.getTime() - (sent.getTime() - original.getTime()));
  return { timestamp: corrected.toISOString(), originalTimestamp: original.toISOString() };
}

/**
 * Validates and normalizes one Segment event. Throws a ValidationError naming what is wrong.
 *
 * ```ts
 * const e = normalizeEvent({ type: 'track', userId: 'u1', event: 'Product Viewed', properties: { product_id: 'p1' } });
 * ```
 */
export function normalizeEvent(input: unknown, now: Date = new Date(), defaults: { context?: EventContext } = {}): AttuneEvent {
  // The common plain `track` call skips the schema parse (see event-fast.ts); anything else, errors included, is the schema's.
  const e = fastTrack(input) ?? parse(EventInputSchema, input, 'event');
  return fromParsed(e, now, defaults.context);
}

/** Validates and normalizes a Segment batch body. All events are checked before any is kept. */
export function normalizeBatch(input: unknown, now: Date = new Date()): AttuneEvent[] {
  const b = parse(BatchInputSchema, input, 'batch');
  return b.batch.map((e) => fromParsed(e, now, b.context, b.sentAt));
}

function fromParsed(e: z.output<typeof EventInputSchema>, now: Date, ctx?: EventContext, batchSentAt?: string | number): AttuneEvent {
  const time = correctedTime(e.timestamp, e.sentAt ?? batchSentAt, now);
  const userId = (e.userId ?? e.anonymousId) as string;
  const out: AttuneEvent = {
    type: e.type,
    messageId: e.messageId ?? randomUUID(),
    userId,
    properties: ('properties' in e && e.properties ? e.properties : {}) as Record<string, unknown>,
    traits: ('traits' in e && e.traits ? e.traits : {}) as Record<string, unknown>,
    context: { ...(ctx ?? {}), ...(e.context ?? {}) },
    timestamp: time.timestamp,
    receivedAt: now.toISOString(),
  };
  if (time.originalTimestamp) out.originalTimestamp = time.originalTimestamp;
  if (e.anonymousId) out.anonymousId = e.anonymousId;
  if (e.type === 'track') out.event = e.event;
  if ((e.type === 'page' || e.type === 'screen') && e.name) out.name = e.name;
  if (e.type === 'alias') out.previousId = e.previousId;
  if (e.type === 'group') out.groupId = e.groupId;
  return out;
}
