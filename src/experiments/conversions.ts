/**
 * A bandit's successes: a user exposed to a bandit experiment converts when they send the
 * experiment's primary conversion event (by default `Order Completed`) after their exposure and
 * within the metric's window. Each user converts once per assignment (a Beta posterior counts
 * users, not orders); the mark is kept with the assignment. Pure.
 */

import type { AttuneEvent } from '../core/event';
import type { Profile } from '../core/profile';
import type { ConversionRule } from '../events/apply';
import { armCounter } from './arm-counter';
import type { RunnableExperiment } from './enroll';

/**
 * The conversion rule of the bandit experiments `experiments()` returns now.
 *
 * ```ts
 * const rules = { catalog, segments, consentPolicy, clock, conversions: banditConversions(() => registry.current) };
 * ```
 */
export function banditConversions(experiments: () => readonly RunnableExperiment[]): ConversionRule {
  return (profile: Profile, event: AttuneEvent) => {
    const stored = profile.experiments;
    if (!stored || event.type !== 'track' || !event.event) return undefined;
    let changed: NonNullable<Profile['experiments']> | undefined;
    const counters: { name: string; increments: Record<string, number> }[] = [];
    for (const { experiment: e } of experiments()) {
      if (e.allocation.mode !== 'bandit' || !Object.hasOwn(stored, e.id)) continue;
      const a = stored[e.id];
      if (!a.exposedAt || a.convertedAt) continue;
      const metric = e.metrics.primary.find((m) => m.kind === 'conversion');
      if (!metric || metric.kind !== 'conversion' || metric.event !== event.event) continue;
      const at = Date.parse(event.timestamp);
      const from = Date.parse(a.exposedAt);
      const windowHours = metric.windowHours ?? e.attributionWindowHours;
      if (at < from || at > from + windowHours * 3_600_000) continue;
      changed ??= { ...stored };
      changed[e.id] = { ...a, convertedAt: event.timestamp };
      counters.push({ name: armCounter(e.id), increments: { [`${a.variant}:conversions`]: 1 } });
    }
    return changed ? { profile: { ...profile, experiments: changed }, counters } : undefined;
  };
}
