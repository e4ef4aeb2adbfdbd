import { own } from '../../core/own';
import type { Profile } from '../../core/profile';
import { profileField } from '../rule';

/**
 * The features discovery clusters on, read from profiles by the names rules use (`orders`,
 * `revenue`, `counts.*`, `affinities.*`, `computed.<trait>`, `daysSinceLastSeen`). A name
 * ending in `.*` stands for every key of that record any of the profiles has (sorted), so
 * `affinities.*` is one feature per category. `shares.<category>` is a category's share of
 * the user's whole interest (its affinity over the sum of them): the mix of what a user
 * likes, apart from how much they have done, which is what tells shoppers apart when some
 * have ten visits and some one. A value that is not a finite number (a trait
 * no event of the user counted, a list) is missing, and imputed later.
 */

/** A feature as asked for: a field name, or a `.*` family of them. */
export type FeatureSpec = string;

/** Records a `.*` family can expand over. */
const FAMILIES = ['counts', 'affinities', 'traits', 'computed', 'shares'] as const;

/**
 * The feature names of a spec list, `.*` families expanded over the profiles given.
 *
 * ```ts
 * expandFeatures(['orders', 'affinities.*'], profiles); // ['orders', 'affinities.running', 'affinities.yoga']
 * ```
 */
export function expandFeatures(specs: readonly FeatureSpec[], profiles: readonly Profile[]): string[] {
  const out: string[] = [];
  for (const spec of specs) {
    const family = FAMILIES.find((f) => spec === `${f}.*`);
    if (!family) {
      if (!out.includes(spec)) out.push(spec);
      continue;
    }
    const keys = new Set<string>();
    for (const p of profiles) {
      const record = family === 'computed' ? p.computed?.traits : family === 'shares' ? p.affinities : p[family];
      if (record) for (const k of Object.keys(record)) keys.add(k);
    }
    for (const k of [...keys].sort()) if (!out.includes(`${family}.${k}`)) out.push(`${family}.${k}`);
  }
  return out;
}

/** One row per profile, one column per feature: a number, or undefined when missing. */
export function featureRows(profiles: readonly Profile[], features: readonly string[], nowMs: number): (number | undefined)[][] {
  return profiles.map((p) => featureRow(p, features, nowMs));
}

/** One profile's features (see {@link featureRows}). */
export function featureRow(profile: Profile, features: readonly string[], nowMs: number): (number | undefined)[] {
  let interest: number | undefined;
  return features.map((f) => {
    if (f.startsWith('shares.')) {
      interest ??= Object.values(profile.affinities).reduce((s, v) => s + Math.max(0, v), 0);
      // No interest at all is missing (imputed), not a share of zero everywhere.
      return interest > 0 ? Math.max(0, own(profile.affinities, f.slice('shares.'.length)) ?? 0) / interest : undefined;
    }
    const v = profileField(profile, f, nowMs);
    const n = typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : NaN;
    return Number.isFinite(n) ? n : undefined;
  });
}
