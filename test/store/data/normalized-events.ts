import fc from 'fast-check';
import type { AttuneEvent } from '../../../src/core/event';

/** The value arbitraries an event is built from; each codec's test picks the ranges its form must hold. */
export interface EventParts {
  /** ISO times (timestamp, receivedAt, originalTimestamp). */
  iso: fc.Arbitrary<string>;
  /** Ids (messageId, userId, anonymousId). */
  text: fc.Arbitrary<string>;
  /** The track event's name. */
  eventName: fc.Arbitrary<string>;
}

/** Events as normalizeEvent writes them, with optional keys, in its key order. */
export function normalizedEvents({ iso, text, eventName }: EventParts): fc.Arbitrary<AttuneEvent> {
  const json = fc.jsonValue({ maxDepth: 2 });
  return fc.record(
    {
      type: fc.constantFrom('track', 'identify', 'page', 'screen', 'group', 'alias'),
      messageId: text,
      userId: text,
      timestamp: iso,
      receivedAt: iso,
      anonymousId: text,
      originalTimestamp: iso,
      event: eventName,
      name: fc.string(),
      properties: fc.dictionary(fc.string(), json, { maxKeys: 4 }),
      traits: fc.dictionary(fc.string(), json, { maxKeys: 3 }),
      context: fc.dictionary(fc.string(), json, { maxKeys: 3 }),
    },
    { requiredKeys: ['type', 'messageId', 'userId', 'timestamp', 'receivedAt', 'properties', 'traits', 'context'] },
  ) as fc.Arbitrary<AttuneEvent>;
}
