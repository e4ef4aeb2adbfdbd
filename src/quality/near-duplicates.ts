import { createHash } from 'node:crypto';

/**
 * Near-duplicates: events a client sent twice without a messageId (a retry, a double click,
 * a tag fired twice), so that de-duplication by messageId cannot see them. Two events are
 * near-duplicates when the same user sent the same event with the same properties within a
 * short window. Each event is kept as a fingerprint (a SHA-256 of what identifies it, with
 * keys in a stable order), never as itself; the oldest fingerprints go first past a bound.
 */

/** What identifies an event for near-duplicate detection. */
export interface Fingerprinted {
  userId: string;
  type: string;
  event?: string;
  name?: string;
  properties: Readonly<Record<string, unknown>>;
  traits: Readonly<Record<string, unknown>>;
  timestamp: string;
}

/** JSON with object keys sorted, so that `{a, b}` and `{b, a}` hash alike. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The fingerprint of an event: the same for two sends of the same thing, whenever they were sent. */
export function fingerprint(e: Fingerprinted): string {
  return createHash('sha256').update(stableJson([e.userId, e.type, e.event ?? e.name ?? '', e.properties, e.traits])).digest('base64url');
}

/**
 * Remembers recent fingerprints and says whether an event repeats one within the window.
 *
 * ```ts
 * const near = new NearDuplicates({ windowMs: 10_000, max: 100_000 });
 * near.seen(event); // false
 * near.seen({ ...event, timestamp: fiveSecondsLater }); // true
 * ```
 */
export class NearDuplicates {
  // Insertion order is age order: an entry seen again is moved to the end.
  private readonly last = new Map<string, number>();

  constructor(private readonly options: { windowMs: number; max: number }) {}

  /** Whether the event repeats one seen within the window; it is remembered either way. */
  seen(e: Fingerprinted): boolean {
    const key = fingerprint(e);
    const at = Date.parse(e.timestamp);
    const before = this.last.get(key);
    this.last.delete(key);
    this.last.set(key, at);
    if (this.last.size > this.options.max) this.last.delete(this.last.keys().next().value as string);
    return before !== undefined && Math.abs(at - before) <= this.options.windowMs;
  }

  /** Fingerprints held now. */
  get size(): number {
    return this.last.size;
  }
}
