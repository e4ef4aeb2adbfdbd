import { addOwn, assignOwn, own, setOwn } from '../core/own';
import { emptyProfile, type Profile } from '../core/profile';
import { decayAffinities } from './affinity';
import { PROFILE_LIMITS } from './update';

/**
 * Merges what was known about an anonymous visitor into the identified user they turned out to
 * be (Segment's identify with both ids, or alias): counts, affinities (both decayed to the
 * later time), orders and revenue add up; recent items and times interleave, newest kept;
 * purchases join; traits, context and experiment assignments the identified user already has win. Consent takes the
 * stricter decision per purpose: a visitor who refused analytics before logging in has not
 * agreed to it by logging in. Pure.
 *
 * ```ts
 * const merged = mergeProfiles(userProfile, anonymousProfile, 'pid.k1.user');
 * ```
 */
export function mergeProfiles(into: Profile | null, from: Profile, userId: string): Profile {
  const base = into ?? emptyProfile(userId, from.firstSeen);
  const at = base.affinitiesAt > from.affinitiesAt ? base.affinitiesAt : from.affinitiesAt;
  const t = Date.parse(at);
  const affinities = decayAffinities(base.affinities, Date.parse(base.affinitiesAt), t);
  for (const [k, v] of Object.entries(decayAffinities(from.affinities, Date.parse(from.affinitiesAt), t))) addOwn(affinities, k, v);
  const counts = { ...base.counts };
  for (const [k, v] of Object.entries(from.counts)) addOwn(counts, k, v);
  const recent: Record<string, number[]> = { ...base.recent };
  for (const [k, times] of Object.entries(from.recent)) {
    const list = [...(own(base.recent, k) ?? []), ...times].sort((a, b) => a - b);
    setOwn(recent, k, list.slice(Math.max(0, list.length - PROFILE_LIMITS.recentPerEvent)));
  }
  const items = new Map<string, Profile['recentItems'][number]>();
  for (const r of [...base.recentItems, ...from.recentItems]) {
    const seen = items.get(r.id);
    items.set(r.id, seen ? { id: r.id, weight: seen.weight + r.weight, at: seen.at > r.at ? seen.at : r.at } : r);
  }
  const recentItems = [...items.values()].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, PROFILE_LIMITS.recentItems);
  const purchased = [...new Set([...base.purchased, ...from.purchased])].slice(-PROFILE_LIMITS.purchased);
  const merged: Profile = {
    ...base,
    userId,
    firstSeen: base.firstSeen < from.firstSeen ? base.firstSeen : from.firstSeen,
    lastSeen: base.lastSeen > from.lastSeen ? base.lastSeen : from.lastSeen,
    traits: assignOwn({ ...from.traits }, base.traits),
    counts,
    affinities,
    affinitiesAt: at,
    recentItems,
    purchased,
    recent,
    orders: base.orders + from.orders,
    revenue: base.revenue + from.revenue,
    context: assignOwn({ ...from.context }, base.context) as Record<string, string>,
  };
  const consent = stricter(base.consent, from.consent);
  if (consent) merged.consent = consent;
  else delete merged.consent;
  // The identified user's assignments win: they may have seen their variant on other devices;
  // the visitor's other assignments carry over, so what they saw before logging in stays.
  if (base.experiments || from.experiments) merged.experiments = assignOwn({ ...from.experiments }, base.experiments ?? {});
  return merged;
}

function stricter(a: Readonly<Record<string, boolean>> | undefined, b: Readonly<Record<string, boolean>> | undefined): Record<string, boolean> | undefined {
  if (!a && !b) return undefined;
  const out: Record<string, boolean> = { ...a };
  for (const [purpose, granted] of Object.entries(b ?? {})) setOwn(out, purpose, (own(out, purpose) ?? true) && granted);
  return out;
}
