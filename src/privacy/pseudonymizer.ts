import { ValidationError } from '../core/errors';
import type { KeyRing } from './keyring';
import { pseudonymize, pseudonymsOf } from './pseudonym';

/**
 * Turns raw user ids into the ids Attune stores them under (a keyed HMAC, see `pseudonym`),
 * remembering recent ones: an HMAC per id per turn adds up. The map holds ids in memory only,
 * never in a store. With `false` as the ring, ids are kept as they are (tests and tools).
 *
 * ```ts
 * const ids = new Pseudonymizer(idKeyRingFromEnv());
 * ids.key('user-42'); // 'pid.k1.…'
 * ```
 */
export class Pseudonymizer {
  private readonly cache = new Map<string, string>();

  constructor(
    private readonly ring: KeyRing | false,
    private readonly maxCached = 10_000,
  ) {}

  /** The id a user is stored under. ValidationError for an empty or non-string id. */
  key(rawId: string): string {
    if (typeof rawId !== 'string' || rawId === '') throw new ValidationError('user id must be a non-empty string');
    if (!this.ring) return rawId;
    let key = this.cache.get(rawId);
    if (key === undefined) {
      key = pseudonymize(rawId, this.ring);
      if (this.cache.size >= this.maxCached) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(rawId, key);
    }
    return key;
  }

  /** Every id a raw id may be stored under: one per key in the ring, current first. */
  all(rawId: string): string[] {
    this.key(rawId);
    return this.ring ? pseudonymsOf(rawId, this.ring) : [rawId];
  }
}
