import type { AttuneEvent } from '../../src/core/event';
import { emptyProfile, type Profile } from '../../src/core/profile';
import { emptySession, type Session } from '../../src/core/session';
import type { Store, StoreOptions } from '../../src/store/store';

/**
 * What a contract runner hands the suite: a fresh, empty store built with
 * {@link CONTRACT_OPTIONS}, and a way to let time pass for it.
 */
export interface ContractHarness {
  store: Store;
  /**
   * Lets `seconds` pass as the store sees time: memory advances its injected clock; Redis,
   * which expires keys on its own clock, really waits.
   */
  advance(seconds: number): Promise<void>;
  /**
   * Moves the store's `clock` forward without waiting. Memory: as `advance`. Redis: only what
   * the store timestamps itself (receipt, activity, the sweep's now) moves, TTLs do not; so a
   * test using it checks only what sweeps decide.
   */
  skip(seconds: number): Promise<void>;
  /** Everything the store holds at rest, keys and values, as one string (stored form). */
  raw(): Promise<string>;
}

/** Builds a fresh, empty contract store; `options` go on top of {@link CONTRACT_OPTIONS}. */
export type MakeStore = (options?: StoreOptions) => Promise<ContractHarness>;

/**
 * Options every contract store must be built with. TTLs are 1 second so that Redis, which
 * ignores the `clock` option, can be tested with short real waits; the cap is small so that
 * trimming shows with a few events.
 */
export const CONTRACT_OPTIONS = { sessionTtlSeconds: 1, maxEventsPerUser: 3, dedupTtlSeconds: 1 } as const satisfies StoreOptions;

const AT = '2024-05-01T10:00:00.000Z';

/** A track event numbered `n`, so tests can tell events apart by messageId. */
export function event(userId: string, n: number, properties: Record<string, unknown> = {}): AttuneEvent {
  return {
    type: 'track',
    messageId: `${userId}-m${n}`,
    userId,
    event: 'Product Viewed',
    properties: { product_id: `p${n}`, ...properties },
    traits: {},
    context: { channel: 'web', locale: 'en-US' },
    timestamp: AT,
    receivedAt: AT,
  };
}

/** A profile with something in every kind of field, so round trips are tested in depth. */
export function profile(userId: string, patch: Partial<Profile> = {}): Profile {
  return {
    ...emptyProfile(userId, AT),
    traits: { name: 'Ada', vip: true, tags: ['a', 'b'], address: { city: 'Paris' } },
    counts: { turns: 3, 'Product Viewed': 2 },
    affinities: { running: 0.75 },
    recentItems: [{ id: 'p1', weight: 1.5, at: AT }],
    purchased: ['p9'],
    recent: { 'Order Completed': [1714557600000] },
    orders: 1,
    revenue: 99.5,
    context: { locale: 'en-US' },
    ...patch,
  };
}

/** A session with turns, intents, entities and slots. */
export function session(userId: string, id: string, patch: Partial<Session> = {}): Session {
  return {
    ...emptySession(id, userId, AT),
    turns: [{ direction: 'in', text: 'hi', intent: 'greet', at: AT }],
    intents: ['greet'],
    entities: { size: 42 },
    slots: { color: 'red' },
    ...patch,
  };
}

/** messageIds of events, for comparing pages without comparing whole objects. */
export const ids = (events: readonly AttuneEvent[]): string[] => events.map((e) => e.messageId);
