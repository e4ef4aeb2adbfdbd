import { setOwn } from '../core/own';

/**
 * Category affinities decay exponentially, so that what a user looked at last month counts
 * less than what they asked about a minute ago. Pure functions on plain records.
 */

/** Default half-life of an affinity: two weeks. */
export const AFFINITY_HALF_LIFE_MS = 14 * 24 * 3600 * 1000;

/** Returns affinities decayed from `fromMs` to `toMs` (never grows; tiny values are dropped). */
export function decayAffinities(affinities: Record<string, number>, fromMs: number, toMs: number, halfLifeMs = AFFINITY_HALF_LIFE_MS): Record<string, number> {
  const dt = Math.max(0, toMs - fromMs);
  if (dt === 0) return { ...affinities };
  const factor = Math.pow(0.5, dt / halfLifeMs);
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(affinities)) {
    const d = v * factor;
    if (Math.abs(d) >= 1e-3) setOwn(out, k, d);
  }
  return out;
}

/** The categories with the highest positive affinity, best first. */
export function topAffinities(affinities: Record<string, number>, n: number): { category: string; score: number }[] {
  return Object.entries(affinities)
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, n)
    .map(([category, score]) => ({ category, score }));
}
