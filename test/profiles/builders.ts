import type { AttuneEvent } from '../../src/core/event';
import { emptyProfile, type Profile } from '../../src/core/profile';
import type { Turn } from '../../src/core/turn';

export const DAY = 86_400_000;
/** Every test's "now": a fixed instant, so windows and decay are exact. */
export const T0 = Date.parse('2024-06-01T00:00:00.000Z');
export const iso = (ms: number): string => new Date(ms).toISOString();

/** An empty profile first seen at `T0`, with `over` merged on top. */
export function profileAt(over: Partial<Profile> = {}, userId = 'u1'): Profile {
  return { ...emptyProfile(userId, iso(T0)), ...over };
}

/** A normalized track event at `atMs`. */
export function track(event: string, properties: Record<string, unknown> = {}, atMs = T0, userId = 'u1'): AttuneEvent {
  return { type: 'track', messageId: `m-${event}-${atMs}`, userId, event, properties, traits: {}, context: {}, timestamp: iso(atMs), receivedAt: iso(atMs) };
}

/** A message turn at `atMs`. */
export function turnAt(atMs = T0, over: Partial<Turn> = {}): Turn {
  return { id: `t-${atMs}`, userId: 'u1', sessionId: 's1', channel: 'webchat', kind: 'message', text: 'hi', signals: {}, timestamp: iso(atMs), ...over };
}
