import { z } from 'zod';
import { MAX_ID_LENGTH, parse, withinBounds } from '../../src/core/validate';

/**
 * The incoming Activity (the Bot Framework protocol, which botbuilder and the Microsoft 365
 * Agents SDK both speak), checked before the bot or Attune sees it.
 *
 * What the turn cannot do without is required, and a request without it gets a 400: a
 * `type`, the `serviceUrl` replies go to, and `from`, `recipient` and `conversation` with ids
 * a store can key by. The whole activity is at most 64 levels deep. Fields the bot only reads
 * as hints (locale, time zone, entities, member lists, display names) are dropped when they
 * have the wrong type, and over-long text is cut: answering without them is better than not
 * answering the user at all. Each dropped field is reported, so that it can be counted.
 */

/** Longest message text kept; Teams' own limit is about 28 KB. */
export const MAX_TEXT_LENGTH = 32_768;

const ACTIVITY_BOUNDS = { depth: 64, size: Number.POSITIVE_INFINITY };

const Account = z.looseObject({ id: z.string().min(1).max(MAX_ID_LENGTH) });

/** botbuilder sends the conversation id in a header of every reply: what a header cannot carry, no reply can. */
const HEADER_SAFE = /^[\x20-\x7e\u00a0-\u00ff]+$/;
const Conversation = z.looseObject({ id: z.string().min(1).max(MAX_ID_LENGTH).regex(HEADER_SAFE, 'must be printable ASCII or Latin-1 characters') });

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/** The fields an activity cannot do without (the rest is read field by field, dropping what is malformed). */
export const ActivitySchema = z
  .looseObject({
    type: z.string().min(1).max(64),
    id: z.string().max(MAX_ID_LENGTH).optional(),
    channelId: z.string().max(64).optional(),
    serviceUrl: z.string().max(2048).refine(isHttpUrl, 'must be an http or https URL'),
    from: Account,
    recipient: Account,
    conversation: Conversation,
  })
  .superRefine(withinBounds(ACTIVITY_BOUNDS));

/** An activity that passed {@link readActivity}, with what was dropped from it on the way; `A` is the SDK's Activity type. */
export interface ReadActivity<A = Record<string, unknown>> {
  activity: A;
  /** Paths of the fields dropped or cut, e.g. `locale`, `entities.1`, `from.name`, `text`. */
  dropped: string[];
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const shortString = (max: number) => (v: unknown) => typeof v === 'string' && v.length <= max;
const isLocale = (v: unknown) => typeof v === 'string' && /^[A-Za-z0-9_-]{1,35}$/.test(v);
const isDate = (v: unknown) => typeof v === 'string' && v.length <= 64 && !Number.isNaN(new Date(v).getTime());

/** Top-level hints: each is dropped unless it passes its check. */
const HINTS: Record<string, (v: unknown) => boolean> = {
  locale: isLocale,
  localTimezone: shortString(64),
  replyToId: shortString(MAX_ID_LENGTH),
  name: shortString(256),
  textFormat: shortString(64),
  inputHint: shortString(64),
  deliveryMode: shortString(64),
  action: shortString(64),
  topicName: shortString(256),
  valueType: shortString(256),
  importance: shortString(64),
  summary: shortString(4096),
  speak: shortString(MAX_TEXT_LENGTH),
  label: shortString(256),
  callerId: shortString(MAX_ID_LENGTH),
  timestamp: isDate,
  localTimestamp: isDate,
  expiration: isDate,
  channelData: isObject,
};

/** Strings of a ChannelAccount / ConversationAccount besides its id. */
const ACCOUNT_STRINGS = ['name', 'role', 'aadObjectId', 'tenantId', 'conversationType'];

/** Lists of objects, and what each item needs to be kept. */
const LISTS: Record<string, (item: Json) => boolean> = {
  entities: (e) => typeof e.type === 'string' && e.type.length <= 256,
  attachments: (a) => typeof a.contentType === 'string' && a.contentType.length <= 256,
  membersAdded: (m) => typeof m.id === 'string' && m.id.length >= 1 && m.id.length <= MAX_ID_LENGTH,
  membersRemoved: (m) => typeof m.id === 'string' && m.id.length >= 1 && m.id.length <= MAX_ID_LENGTH,
  reactionsAdded: (r) => typeof r.type === 'string' && r.type.length <= 256,
  reactionsRemoved: (r) => typeof r.type === 'string' && r.type.length <= 256,
};

/**
 * Validates an incoming activity and drops or cuts what would break the turn later; throws a
 * ValidationError (a 400) naming what is missing or wrong. Timestamps become `Date`s, with
 * the original strings kept in `rawTimestamp` and its siblings, as botbuilder's
 * `validateAndFixActivity` does.
 *
 * ```ts
 * const { activity, dropped } = readActivity(req.body);
 * ```
 */
export function readActivity<A = Record<string, unknown>>(body: unknown): ReadActivity<A> {
  const a: Json = parse(ActivitySchema, body, 'activity');
  const dropped: string[] = [];
  for (const [field, ok] of Object.entries(HINTS)) {
    if (a[field] !== undefined && !ok(a[field])) {
      delete a[field];
      dropped.push(field);
    }
  }
  for (const account of ['from', 'recipient', 'conversation']) {
    const acc = { ...(a[account] as Json) };
    for (const field of ACCOUNT_STRINGS) {
      if (acc[field] !== undefined && !shortString(MAX_ID_LENGTH)(acc[field])) {
        delete acc[field];
        dropped.push(`${account}.${field}`);
      }
    }
    if (acc.isGroup !== undefined && typeof acc.isGroup !== 'boolean') {
      delete acc.isGroup;
      dropped.push(`${account}.isGroup`);
    }
    a[account] = acc;
  }
  for (const [field, keep] of Object.entries(LISTS)) {
    const list = a[field];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      delete a[field];
      dropped.push(field);
      continue;
    }
    a[field] = list.filter((item: unknown, i) => {
      const ok = isObject(item) && keep(item);
      if (!ok) dropped.push(`${field}.${i}`);
      return ok;
    });
  }
  if (a.text !== undefined && typeof a.text !== 'string') {
    delete a.text;
    dropped.push('text');
  } else if (typeof a.text === 'string' && a.text.length > MAX_TEXT_LENGTH) {
    a.text = cut(a.text, MAX_TEXT_LENGTH);
    dropped.push('text');
  }
  for (const [field, raw] of [['timestamp', 'rawTimestamp'], ['localTimestamp', 'rawLocalTimestamp'], ['expiration', 'rawExpiration']]) {
    if (typeof a[field] === 'string') {
      a[raw] = a[field];
      a[field] = new Date(a[field] as string);
    }
  }
  // Checked above for everything the bot, the SDK and Attune read; the rest is passed on as sent.
  return { activity: a as unknown as A, dropped };
}

/** Cuts a string without leaving half of a surrogate pair at the end. */
function cut(s: string, max: number): string {
  const head = s.slice(0, max);
  const last = head.charCodeAt(head.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? head.slice(0, -1) : head;
}
