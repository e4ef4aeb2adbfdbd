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
  /** Where the user is in onboarding (see src/onboarding), when an onboarding flow runs. */
  onboarding?: OnboardingState;
}

/** A user's onboarding as kept with the profile: answered, completed or skipped is remembered. */
export interface OnboardingState {
  /** The flow's id. */
  flow: string;
  /** `active` until every question is answered (`completed`) or the user skips (`skipped`). */
  status: 'active' | 'completed' | 'skipped';
  /** Question id → the value of the answer given. */
  answers: Record<string, string>;
  /** In how many sessions a question was asked. */
  sessions: number;
  /** The budget answered: the default price bounds of the user's recommendations. */
  budget?: { minPrice?: number; maxPrice?: number };
  /** Whom the user shops for, as answered. */
  audience?: string;
  /** ISO time of the last change. */
  at: string;
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
