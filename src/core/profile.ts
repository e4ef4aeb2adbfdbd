import type { ComputedState } from './computed';

/**
 * What Attune knows about one user, computed from their events and turns. Plain JSON so it
 * round-trips through any store unchanged.
 */
export interface Profile {
  userId: string;
  /** ISO time of the first event or turn. */
  firstSeen: string;
  /** ISO time of the latest event or turn. */
  lastSeen: string;
  /** Traits from identify calls, merged, latest wins. */
  traits: Record<string, unknown>;
  /** Counters: `turns`, `messages`, `events`, and one per track event name. */
  counts: Record<string, number>;
  /** Time-decayed interest per category (see profiles/affinity). */
  affinities: Record<string, number>;
  /** ISO time the affinities were last decayed to. */
  affinitiesAt: string;
  /** Recently interacted items, most recent first, with their interest weight. */
  recentItems: { id: string; weight: number; at: string }[];
  /** Item ids the user bought: never recommended again. */
  purchased: string[];
  /** Epoch-ms times of recent events by name, newest last, for windowed segment rules. */
  recent: Record<string, number[]>;
  /** Orders and money spent. */
  orders: number;
  revenue: number;
  /** Latest context signals seen (locale, channel, timezone, device, country). */
  context: Record<string, string>;
  /** The user's explicit consent decisions by purpose (absent: the policy decides). */
  consent?: Record<string, boolean>;
  /**
   * The user's experiment assignments by experiment id. Kept with the profile so that a turn
   * reads them at no extra round trip, and export, erase and identity merges cover them.
   */
  experiments?: Record<string, StoredAssignment>;
  /** Computed traits' state (see profiles/computed), when computed traits are configured. */
  computed?: ComputedState;
}

/** One experiment assignment as stored with the user. */
export interface StoredAssignment {
  variant: string;
  /** The experiment's bucket version the variant was drawn under (sticky until it is bumped). */
  bucketVersion: number;
  /** ISO time of the assignment. */
  assignedAt: string;
  /** ISO time the `Experiment Viewed` exposure was logged; absent until then. */
  exposedAt?: string;
  /** ISO time of the user's first conversion after exposure, as a bandit counts it. */
  convertedAt?: string;
}

/** A fresh, empty profile. */
export function emptyProfile(userId: string, at: string): Profile {
  return {
    userId,
    firstSeen: at,
    lastSeen: at,
    traits: {},
    counts: {},
    affinities: {},
    affinitiesAt: at,
    recentItems: [],
    purchased: [],
    recent: {},
    orders: 0,
    revenue: 0,
    context: {},
  };
}
