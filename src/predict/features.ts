import { EcommerceEvents } from '../core/ecommerce';
import { own } from '../core/own';
import type { Profile } from '../core/profile';
import { decayAffinities } from '../profiles/affinity';

/**
 * Windowed behaviour features of one user as of a time `t`, read from the profile as it was
 * at `t`. Training replays a user's events up to each cut-off into a profile with the same
 * function ingestion uses (see {@link profilesAt} in ./history), and serving reads the
 * profile the turn already holds: one function on both sides, so what the model learnt from
 * is exactly what it is served (no train/serve skew, and no store round trip on the turn).
 * Nothing later than `t` is read: lists are filtered to `≤ t`, affinities decayed to `t`.
 */

const DAY_MS = 86_400_000;
/** Inactivity that ends a session, as web analytics count them. */
export const SESSION_GAP_MS = 30 * 60_000;
/** Recency is capped at the profile's own memory of recent events (90 days). */
const RECENCY_CAP_DAYS = 90;
const TENURE_CAP_DAYS = 365;

/** The windows of per-category interest, in days. */
export const CATEGORY_WINDOWS_DAYS = [1, 7, 30] as const;

/** The named feature vector of a model: the order of the numbers in every row. */
export interface FeatureSchema {
  /** Feature names, in row order (`views_7d`, `cat_items_7d:running`, …). */
  readonly names: readonly string[];
  /** The categories with features (and heads) of their own, in order. */
  readonly categories: readonly string[];
}

/** Where an item's category comes from (the catalog). */
export type CategoryOf = (itemId: string) => string | undefined;

const GENERAL = [
  'views_1d',
  'views_7d',
  'views_30d',
  'carts_7d',
  'carts_30d',
  'checkouts_30d',
  'orders_30d',
  'orders_total',
  'revenue_total',
  'days_since_view',
  'days_since_cart',
  'days_since_order',
  'days_since_last_seen',
  'days_since_first_seen',
  'sessions_7d',
  'sessions_30d',
  'events_30d',
  'session_depth_mean_30d',
  'session_depth_last',
] as const;

/**
 * The feature names for a set of categories: the general features, then per category its
 * distinct items interacted with in each window and its decayed affinity.
 *
 * ```ts
 * featureSchema(['running', 'yoga']).names; // ['views_1d', …, 'cat_items_1d:running', …, 'cat_affinity:yoga']
 * ```
 */
export function featureSchema(categories: readonly string[]): FeatureSchema {
  const names: string[] = [...GENERAL];
  for (const c of categories) {
    for (const w of CATEGORY_WINDOWS_DAYS) names.push(`cat_items_${w}d:${c}`);
    names.push(`cat_affinity:${c}`);
  }
  return { names, categories: [...categories] };
}

/**
 * The raw (not yet standardized) feature row of a profile at time `nowMs`; a null profile
 * (a user with no history yet) is the row of a newcomer. Counts are log1p-scaled, recencies
 * are days capped at 90, so that one very active user does not dominate a fit.
 *
 * ```ts
 * const row = featuresOf(profile, Date.parse(turn.timestamp), (id) => catalog.get(id)?.category, schema);
 * ```
 */
export function featuresOf(profile: Profile | null, nowMs: number, categoryOf: CategoryOf, schema: FeatureSchema): Float64Array {
  const row = new Float64Array(schema.names.length);
  const cats = schema.categories;
  if (!profile) {
    // A newcomer: nothing happened, everything is as long ago as the caps allow.
    row[GENERAL.indexOf('days_since_view')] = RECENCY_CAP_DAYS;
    row[GENERAL.indexOf('days_since_cart')] = RECENCY_CAP_DAYS;
    row[GENERAL.indexOf('days_since_order')] = RECENCY_CAP_DAYS;
    row[GENERAL.indexOf('days_since_last_seen')] = RECENCY_CAP_DAYS;
    return row;
  }
  const times = (name: string): number[] => (own(profile.recent, name) ?? []).filter((t) => t <= nowMs);
  const views = times(EcommerceEvents.ProductViewed);
  const carts = times(EcommerceEvents.ProductAdded);
  const checkouts = times(EcommerceEvents.CheckoutStarted);
  const orders = times(EcommerceEvents.OrderCompleted);
  const within = (list: readonly number[], days: number) => countSince(list, nowMs - days * DAY_MS);
  const since = (list: readonly number[]) => (list.length ? Math.min(RECENCY_CAP_DAYS, (nowMs - list[list.length - 1]) / DAY_MS) : RECENCY_CAP_DAYS);
  const sessions = sessionsOf(profile, nowMs - 30 * DAY_MS, nowMs);
  const sessions7 = sessions.filter((s) => s.end >= nowMs - 7 * DAY_MS).length;
  const events30 = sessions.reduce((n, s) => n + s.events, 0);
  const lastSeen = Math.min(Date.parse(profile.lastSeen), nowMs);
  const values: number[] = [
    log(within(views, 1)),
    log(within(views, 7)),
    log(within(views, 30)),
    log(within(carts, 7)),
    log(within(carts, 30)),
    log(within(checkouts, 30)),
    log(within(orders, 30)),
    log(profile.orders),
    log(Math.max(0, profile.revenue)),
    since(views),
    since(carts),
    since(orders),
    Math.min(RECENCY_CAP_DAYS, Math.max(0, (nowMs - lastSeen) / DAY_MS)),
    Math.min(TENURE_CAP_DAYS, Math.max(0, (nowMs - Date.parse(profile.firstSeen)) / DAY_MS)),
    log(sessions7),
    log(sessions.length),
    log(events30),
    sessions.length ? events30 / sessions.length : 0,
    sessions.length ? sessions[sessions.length - 1].events : 0,
  ];
  row.set(values);
  let at = GENERAL.length;
  const index = new Map(cats.map((c, i) => [c, i]));
  const perWindow = CATEGORY_WINDOWS_DAYS.map(() => new Float64Array(cats.length));
  // ISO times (as events and profiles keep them) order as strings: no parsing per item on a turn.
  const nowIso = new Date(nowMs).toISOString();
  const fromIso = CATEGORY_WINDOWS_DAYS.map((w) => new Date(nowMs - w * DAY_MS).toISOString());
  for (const item of profile.recentItems) {
    if (item.at > nowIso || item.at < fromIso[fromIso.length - 1]) continue;
    const c = categoryOf(item.id);
    const i = c === undefined ? undefined : index.get(c);
    if (i === undefined) continue;
    for (let k = 0; k < fromIso.length; k++) if (item.at >= fromIso[k]) perWindow[k][i] += 1;
  }
  const from = Date.parse(profile.affinitiesAt);
  const affinities = from < nowMs ? decayAffinities(profile.affinities, from, nowMs) : profile.affinities;
  for (let i = 0; i < cats.length; i++) {
    for (let k = 0; k < CATEGORY_WINDOWS_DAYS.length; k++) row[at++] = log(perWindow[k][i]);
    row[at++] = log(Math.max(0, own(affinities, cats[i]) ?? 0));
  }
  return row;
}

/** One session: its last event's time and how many events it had. */
interface SessionSpan {
  end: number;
  events: number;
}

/**
 * Sessions in `[fromMs, toMs]`, oldest first, cut at 30 minutes of inactivity, over every
 * event the profile remembers (views, carts, messages…).
 */
function sessionsOf(profile: Profile, fromMs: number, toMs: number): SessionSpan[] {
  let size = 0;
  for (const list of Object.values(profile.recent)) size += list.length;
  const buffer = new Float64Array(size);
  let n = 0;
  for (const list of Object.values(profile.recent)) for (const t of list) if (t >= fromMs && t <= toMs) buffer[n++] = t;
  // A typed array sorts numerically, and far faster than an array of numbers with a comparator.
  const all = buffer.subarray(0, n).sort();
  const out: SessionSpan[] = [];
  for (const t of all) {
    const last = out[out.length - 1];
    if (last && t - last.end <= SESSION_GAP_MS) {
      last.end = t;
      last.events += 1;
    } else out.push({ end: t, events: 1 });
  }
  return out;
}

function countSince(sorted: readonly number[], fromMs: number): number {
  let n = 0;
  for (let i = sorted.length - 1; i >= 0 && sorted[i] >= fromMs; i--) n += 1;
  return n;
}

function log(n: number): number {
  return Math.log1p(n);
}
