import { z } from 'zod';
import { parse } from '../../core/validate';

/**
 * What the memory store keeps at most. Redis is bounded by its server's memory and its own
 * eviction settings; the embedded store lives in the app's heap, so it bounds itself, oldest
 * out first, and a long-running `npm start` cannot grow without end. Each cap is a count, so
 * the heap it allows is a count times what one item costs (see bench/results/storage-memory.md).
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
  /**
   * Message ids remembered for de-duplication. Claims older than the de-duplication window
   * are forgotten as new ones come in; past the cap, the oldest are forgotten before their time.
   */
  maxClaims?: number;
}

/** Defaults of {@link MemoryCaps}: a shop's worth of recent users, about 65 MB of heap when full. */
export const MEMORY_CAPS = { maxUsers: 10_000, maxEvents: 100_000, maxClaims: 100_000 } as const satisfies Required<MemoryCaps>;

/** The environment variable that sets each cap when the option does not. */
export const MEMORY_CAPS_ENV = {
  maxUsers: 'ATTUNE_MEMORY_MAX_USERS',
  maxEvents: 'ATTUNE_MEMORY_MAX_EVENTS',
  maxClaims: 'ATTUNE_MEMORY_MAX_CLAIMS',
} as const satisfies Record<keyof MemoryCaps, string>;

const Cap = z.coerce.number().int().positive().optional();
const CapsEnv = z.object({ ATTUNE_MEMORY_MAX_USERS: Cap, ATTUNE_MEMORY_MAX_EVENTS: Cap, ATTUNE_MEMORY_MAX_CLAIMS: Cap });

/**
 * The caps: each option, else its variable of `env` (see {@link MEMORY_CAPS_ENV}), else the
 * default. A cap below 1, or not an integer, is a mistake, refused.
 *
 * ```ts
 * memoryCaps({ maxUsers: 500 }, { ATTUNE_MEMORY_MAX_EVENTS: '20000' }); // { maxUsers: 500, maxEvents: 20000, maxClaims: 100000 }
 * ```
 */
export function memoryCaps(caps: MemoryCaps = {}, env: NodeJS.ProcessEnv = process.env): Required<MemoryCaps> {
  // `||`: an empty variable (a common leftover in .env files) means unset.
  const fromEnv = parse(
    CapsEnv,
    Object.fromEntries(Object.values(MEMORY_CAPS_ENV).map((name) => [name, env[name] || undefined])),
    'memory store caps (ATTUNE_MEMORY_*)',
  );
  const out: Required<MemoryCaps> = { ...MEMORY_CAPS };
  for (const name of Object.keys(MEMORY_CAPS) as (keyof MemoryCaps)[]) {
    const v = caps[name] ?? fromEnv[MEMORY_CAPS_ENV[name]] ?? MEMORY_CAPS[name];
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`memory store cap ${name} must be a positive integer, got ${String(v)}`);
    out[name] = v;
  }
  return out;
}
