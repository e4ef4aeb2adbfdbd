import { deepFreeze } from '../core/frozen';
import { encryptionKeyId, type Cipher } from '../privacy/cipher';

/** How many places (a user's field, by its associated data) a {@link SealCache} remembers, by default. */
export const DEFAULT_SEALS_REMEMBERED = 4096;

/** What one place holds now: its ciphertext, the key it is under, and what it opens to. */
interface Place {
  sealed: string;
  /** The id of the key `sealed` is under, known without parsing it again. */
  kid: string | undefined;
  /** The JSON `sealed` holds; undefined when it may not be reused (the cipher cannot say which key is current). */
  json: string | undefined;
  value: unknown;
}

/**
 * The sealed fields of profiles and sessions, remembered by place (the associated data a
 * field is bound to: its user, record and name), since a turn rewrites most of them unchanged
 * and reads back what the turn before wrote:
 * - sealing: a value whose JSON equals what the place holds gets that same ciphertext back, as
 *   long as it is under the cipher's current key; the record at rest is then what a fresh
 *   encryption would give (the same plaintext, bound to the same user and field), only without
 *   a new IV. Without `currentKeyId` on the cipher nothing is reused, so key rotation can never
 *   leave an old key's ciphertext behind;
 * - opening: the ciphertext a place holds gives back its frozen value without being decrypted
 *   again. A ciphertext moved to another user or field is looked up under that place, misses,
 *   and fails authentication as before.
 *
 * One entry per place, replaced when the place changes: what a place held before is garbage at
 * once, instead of staying until a bound on ciphertexts pushes it out (it did, and lived long
 * enough to be promoted and collected in the old generation). Keyed by the short associated
 * data, not by the kilobyte ciphertext, so a lookup hashes no long string. The plaintext held
 * is what the process already had (it wrote or read it); the places are bounded, the one whose
 * ciphertext was remembered longest ago out first.
 */
export class SealCache {
  private readonly places = new Map<string, Place>();

  constructor(
    private readonly cipher: Cipher,
    private readonly max = DEFAULT_SEALS_REMEMBERED,
  ) {}

  /** The ciphertext of `json` (the JSON of the frozen `value`) bound to `aad`. */
  seal(value: unknown, json: string, aad: string): string {
    const current = this.cipher.currentKeyId?.();
    const last = this.places.get(aad);
    if (current !== undefined && last !== undefined && last.json === json && last.kid === current) return last.sealed;
    const sealed = this.cipher.encrypt(json, aad);
    this.remember(aad, { sealed, kid: current, json: current === undefined ? undefined : json, value });
    return sealed;
  }

  /** The frozen value `sealed` holds; throws as `Cipher.decrypt` does. */
  open(sealed: string, aad: string): unknown {
    const last = this.places.get(aad);
    if (last !== undefined && last.sealed === sealed) return last.value;
    const json = this.cipher.decrypt(sealed, aad);
    const value = deepFreeze(JSON.parse(json) as unknown);
    // What was read is what the place holds at rest: sealing the same JSON again gives it back.
    this.remember(aad, { sealed, kid: encryptionKeyId(sealed), json: this.cipher.currentKeyId ? json : undefined, value });
    return value;
  }

  private remember(aad: string, place: Place): void {
    const { places } = this;
    places.delete(aad);
    places.set(aad, place);
    if (places.size > this.max) places.delete(places.keys().next().value as string);
  }
}
