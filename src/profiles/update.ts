import type { Catalog } from '../core/catalog';
import { EcommerceEvents, INTEREST_WEIGHTS, productsOf } from '../core/ecommerce';
import type { AttuneEvent } from '../core/event';
import { emptyProfile, type Profile } from '../core/profile';
import { addOwn, assignOwn, own, setOwn } from '../core/own';
import type { Turn } from '../core/turn';
import { decayAffinities } from './affinity';

/** Limits that keep a profile small enough to read on every turn. */
export const PROFILE_LIMITS = {
  recentItems: 50,
  purchased: 500,
  recentPerEvent: 50,
  recentWindowMs: 90 * 24 * 3600 * 1000,
} as const;

/** Weight of one keyword mention of a category in a message, relative to a product view (1). */
export const MENTION_WEIGHT = 1.5;

/**
 * Profile updates are pure: they take a profile (or null) and return a new one. The engine
 * decides when to read and write.
 */
export function applyEvent(profile: Profile | null, event: AttuneEvent, catalog?: Catalog): Profile {
  const at = event.timestamp;
  // Only the parts an event changes are copied; the rest is shared with `profile` (frozen when
  // it was read from a store), so a store remembers their JSON instead of stringifying it again.
  const p: Profile = { ...(profile ?? emptyProfile(event.userId, at)) };
  p.counts = { ...p.counts };
  const decayed = seen(p, at, Date.parse(at));
  bump(p.counts, 'events');
  const identified = event.type === 'identify' && hasOwnKeys(event.traits);
  if (identified || (event.context.traits && hasOwnKeys(event.context.traits))) {
    p.traits = { ...p.traits };
    if (identified) assignOwn(p.traits, event.traits);
    if (event.context.traits) assignOwn(p.traits, event.context.traits);
  }
  const signals: Record<string, string | undefined> = {
    locale: event.context.locale,
    channel: event.context.channel,
    timezone: event.context.timezone,
    device: event.context.device?.type,
    country: event.context.location?.country,
  };
  if (Object.keys(signals).some((k) => signals[k] && own(p.context, k) !== signals[k])) {
    p.context = { ...p.context };
    rememberContext(p, signals);
  }
  const name = event.type === 'track' ? event.event : event.type;
  if (!name) return p;
  bump(p.counts, name);
  p.recent = { ...p.recent };
  remember(p, name, Date.parse(at));
  const weight = own(INTEREST_WEIGHTS, name);
  if (weight !== undefined) {
    let affinitiesOwned = decayed;
    let purchasedOwned = false;
    for (const product of productsOf(event)) {
      const category = product.category ?? (product.productId ? catalog?.get(product.productId)?.category : undefined);
      if (category) {
        if (!affinitiesOwned) p.affinities = { ...p.affinities };
        affinitiesOwned = true;
        addOwn(p.affinities, category, weight * Math.max(1, product.quantity ?? 1));
      }
      if (product.productId) addRecentItem(p, product.productId, weight, at);
      if (name === EcommerceEvents.OrderCompleted && product.productId && !p.purchased.includes(product.productId)) {
        if (!purchasedOwned) p.purchased = [...p.purchased];
        purchasedOwned = true;
        p.purchased.push(product.productId);
        if (p.purchased.length > PROFILE_LIMITS.purchased) p.purchased.splice(0, p.purchased.length - PROFILE_LIMITS.purchased);
      }
    }
  }
  if (name === EcommerceEvents.OrderCompleted) {
    p.orders += 1;
    p.revenue += orderValue(event);
  }
  return p;
}

/** Whether a record has a key of its own (an empty one changes nothing it is merged into). */
function hasOwnKeys(record: Readonly<Record<string, unknown>>): boolean {
  for (const k in record) if (Object.hasOwn(record, k)) return true;
  return false;
}

/**
 * Applies one incoming chat turn: counters, context, and interest in mentioned categories.
 * It runs on every turn, so it copies only the parts of the profile a turn changes and
 * shares the rest (profiles read from a store are frozen).
 */
export function applyTurn(profile: Profile | null, turn: Turn, mentioned: ReadonlyMap<string, number> = NO_MENTIONS): Profile {
  const base = profile ?? emptyProfile(turn.userId, turn.timestamp);
  const t = Date.parse(turn.timestamp);
  const p: Profile = { ...base, counts: { ...base.counts } };
  const decayed = seen(p, turn.timestamp, t);
  bump(p.counts, 'turns');
  if (turn.kind === 'message') {
    bump(p.counts, 'messages');
    p.recent = { ...p.recent };
    remember(p, 'Message Received', t);
  }
  const signals: Record<string, string | undefined> = { channel: turn.channel, ...turn.signals };
  if (Object.keys(signals).some((k) => signals[k] && own(p.context, k) !== signals[k])) {
    p.context = { ...p.context };
    rememberContext(p, signals);
  }
  if (mentioned.size) {
    if (!decayed) p.affinities = { ...p.affinities };
    for (const [category, n] of mentioned) addOwn(p.affinities, category, MENTION_WEIGHT * n);
  }
  return p;
}

const NO_MENTIONS: ReadonlyMap<string, number> = new Map();

/**
 * Moves first/last seen to include `at` and decays the affinities up to it. Returns whether
 * the affinities were replaced by a new object.
 */
function seen(p: Profile, at: string, t: number): boolean {
  if (t > Date.parse(p.lastSeen)) p.lastSeen = at;
  if (t < Date.parse(p.firstSeen)) p.firstSeen = at;
  const from = Date.parse(p.affinitiesAt);
  if (!(t > from)) return false;
  p.affinities = decayAffinities(p.affinities, from, t);
  p.affinitiesAt = at;
  return true;
}

function bump(counts: Record<string, number>, key: string): void {
  addOwn(counts, key, 1);
}

/** Records an occurrence of `name` at `t` in `p.recent` (a list kept sorted, newest last). */
function remember(p: Profile, name: string, t: number): void {
  const old = own(p.recent, name) ?? [];
  const cutoff = t - PROFILE_LIMITS.recentWindowMs;
  const cap = PROFILE_LIMITS.recentPerEvent;
  let start = 0;
  while (start < old.length && old[start] < cutoff) start += 1;
  // Copied by a loop, not `slice`: the stored list is frozen, and slicing frozen arrays is slow.
  const list: number[] = [];
  if (old.length === 0 || old[old.length - 1] <= t) {
    // The usual case, `t` the newest: keep what fits beside it.
    for (let j = Math.max(start, old.length - cap + 1); j < old.length; j++) list.push(old[j]);
    list.push(t);
  } else {
    for (let j = start; j < old.length; j++) list.push(old[j]);
    let i = list.length;
    while (i > 0 && list[i - 1] > t) i -= 1;
    list.splice(i, 0, t);
    if (list.length > cap) list.splice(0, list.length - cap);
  }
  setOwn(p.recent, name, list);
}

function addRecentItem(p: Profile, id: string, weight: number, at: string): void {
  const previous = p.recentItems.find((r) => r.id === id);
  p.recentItems = [{ id, weight: weight + (previous?.weight ?? 0), at }, ...p.recentItems.filter((r) => r.id !== id)].slice(0, PROFILE_LIMITS.recentItems);
}

function rememberContext(p: Profile, signals: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(signals)) if (v) setOwn(p.context, k, v);
}

function orderValue(event: AttuneEvent): number {
  const props = event.properties;
  for (const key of ['revenue', 'total', 'value']) {
    const v = props[key];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return productsOf(event).reduce((sum, p) => sum + (p.price ?? 0) * (p.quantity ?? 1), 0);
}
