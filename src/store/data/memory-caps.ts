/**
 * What the memory store keeps at most. Redis is bounded by its server's memory and its own
 * eviction settings; the embedded store lives in the app's heap, so it bounds itself, oldest
 * out first, and a long-running `npm start` cannot grow without end. Each cap is a count, so
 * the heap it allows is a count times what one item costs (see bench/results/storage.md).
 */
export interface MemoryCaps {
  /**
   * Users whose data is kept (profile, sessions, memberships, events). Past it, the users
   * inactive longest are dropped whole, as the retention sweep drops inactive users (their ids
   * are not suppressed: a dropped user who comes back starts afresh).
   */
  maxUsers?: number;
  /** Entries of the global event log; past it, the oldest go, as a retention sweep by age would take them. */
  maxEvents?: number;
  /** Message ids remembered for de-duplication; past it, the oldest claims are forgotten before their TTL. */
  maxClaims?: number;
}

/** Defaults of {@link MemoryCaps}: a shop's worth of recent users, well under 100 MB of heap. */
export const MEMORY_CAPS = { maxUsers: 10_000, maxEvents: 100_000, maxClaims: 100_000 } as const satisfies Required<MemoryCaps>;

/** The caps with defaults filled in; a cap below 1 is a mistake, refused. */
export function memoryCaps(caps: MemoryCaps = {}): Required<MemoryCaps> {
  const out = { ...MEMORY_CAPS, ...caps };
  for (const [name, v] of Object.entries(out)) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`memory store cap ${name} must be a positive integer, got ${String(v)}`);
  }
  return out;
}
