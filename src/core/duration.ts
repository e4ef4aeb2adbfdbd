import { z } from 'zod';

/** `7d`, `24h`, `30m`, `45s` or a number of milliseconds: the windows of rules and computed traits. */
export const DurationSchema = z.union([z.string().regex(/^\d+(\.\d+)?\s*(ms|s|m|h|d|w)$/, 'expected a duration such as 7d, 24h, 30m'), z.number().positive()]);

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * Converts a duration (`7d`, `24h`, or ms) to milliseconds.
 *
 * ```ts
 * durationMs('2h'); // 7200000
 * ```
 */
export function durationMs(d: string | number): number {
  if (typeof d === 'number') return d;
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)$/.exec(d.trim());
  if (!m) throw new RangeError(`bad duration ${d}`);
  return Number(m[1]) * UNIT_MS[m[2]];
}
