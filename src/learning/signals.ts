/**
 * Native feedback signals, read off the neutral shapes every adapter produces, so that one
 * function covers every framework: Bot Framework reactions (`turn.reaction`) and card clicks
 * (a postback `{ attune: 'view', itemId }`), "Was this helpful?" answers (`{ attune:
 * 'feedback', helpful }`), Rasa and Dialogflow button payloads (an intent such as
 * `/not_interested{"product_id": "p1"}`, with its entities or parameters), and tracked events
 * (`Order Completed`, `Recommendation Shown`, a rating, a dwell time).
 */
import { AttuneEvents, productsOf } from '../core/ecommerce';
import type { AttuneEvent } from '../core/event';
import type { Turn } from '../core/turn';
import type { FeedbackSignal } from './feedback-types';

/** Bounds what one signal may name: a payload is user input. */
const MAX_ITEMS = 50;
const MAX_ID = 512;

/** Entity or parameter names that carry the item a button is about. */
const ITEM_KEYS = ['product_id', 'productId', 'item', 'itemId', 'item_id', 'sku', 'product'] as const;

function ids(v: unknown): string[] {
  const list = Array.isArray(v) ? v : [v];
  const out: string[] = [];
  for (const x of list) {
    const id = typeof x === 'string' ? x : typeof x === 'number' && Number.isFinite(x) ? String(x) : undefined;
    if (id && id.length <= MAX_ID && out.length < MAX_ITEMS) out.push(id);
  }
  return out;
}

function number(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

function yesNo(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v !== 'string') return undefined;
  const s = v.toLowerCase();
  return s === 'true' || s === 'yes' ? true : s === 'false' || s === 'no' ? false : undefined;
}

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function itemsOf(fields: Record<string, unknown> | undefined): string[] {
  if (!fields) return [];
  if (fields.items !== undefined) return ids(fields.items);
  for (const k of ITEM_KEYS) if (fields[k] !== undefined) return ids(fields[k]);
  return [];
}

/**
 * The feedback signals a turn carries (most carry none).
 *
 * ```ts
 * signalsOfTurn({ ...turn, kind: 'reaction', reaction: { type: 'dislike', added: true } });
 * // [{ source: 'reaction', name: 'dislike', items: [], at }]
 * ```
 */
export function signalsOfTurn(turn: Turn): FeedbackSignal[] {
  const at = Date.parse(turn.timestamp) || 0;
  // A reaction taken back says nothing new; the one it replaced has counted already.
  if (turn.kind === 'reaction') return turn.reaction?.added ? [{ source: 'reaction', name: turn.reaction.type, items: [], at }] : [];
  const value = record(turn.value);
  if (value?.attune === 'feedback' && typeof value.helpful === 'boolean') return [{ source: 'helpful', name: value.helpful ? 'yes' : 'no', items: itemsOf(value), at }];
  if (value?.attune === 'view' && value.itemId !== undefined) return [{ source: 'click', name: 'click', items: ids(value.itemId), at }];
  if (turn.intent) {
    const entities = record(turn.entities);
    const helpful = yesNo(entities?.helpful);
    if (helpful !== undefined) return [{ source: 'helpful', name: helpful ? 'yes' : 'no', items: itemsOf(entities), at }];
    const rating = number(entities?.rating);
    return [{ source: 'intent', name: turn.intent, items: itemsOf(entities), ...(rating !== undefined ? { rating } : {}), at }];
  }
  return [];
}

/**
 * The feedback signal of a tracked event: its name, its products (or the `items` of a
 * `Recommendation Shown` impression), and a rating or dwell time where the channel reports one
 * (`properties.rating`, `properties.dwell_ms` or `dwellMs`). `Feedback Given` events, which
 * the feedback stage logs from a turn's own signals, are read back as those signals.
 */
export function signalsOfEvent(event: AttuneEvent): FeedbackSignal[] {
  if (event.type !== 'track' || !event.event) return [];
  const at = Date.parse(event.timestamp) || 0;
  const props = event.properties;
  if (event.event === AttuneEvents.FeedbackGiven && typeof props.positive === 'boolean' && props.rating === undefined) {
    const reaction = typeof props.reaction === 'string' ? props.reaction : '';
    const helpful = reaction === 'helpful' || reaction === 'not helpful';
    return [{ source: helpful ? 'helpful' : 'reaction', name: helpful ? (props.positive ? 'yes' : 'no') : reaction, items: ids(props.items), at }];
  }
  const items = props.items !== undefined ? ids(props.items) : productsOf(event).flatMap((p) => (p.productId ? ids(p.productId) : [])).slice(0, MAX_ITEMS);
  const rating = number(props.rating);
  const dwellMs = number(props.dwell_ms) ?? number(props.dwellMs);
  return [{ source: 'event', name: event.event, items, ...(rating !== undefined ? { rating } : {}), ...(dwellMs !== undefined ? { dwellMs } : {}), at }];
}
