import { deepFreeze } from '../core/frozen';
import { encryptionKeyId, type Cipher } from '../privacy/cipher';

/** How many sealed values a {@link SealCache} remembers each way, by default. */
export const DEFAULT_SEALS_REMEMBERED = 4096;

interface Made {
  json: string;
  sealed: string;
}

interface Opened {
  aad: string;
  value: unknown;
}

/**
 * The sealed fields of profiles and sessions, remembered both ways, since a turn rewrites
 * most of them unchanged and reads back what the turn before wrote:
 * - sealing: a value whose JSON equals the last one sealed for the same place (`aad`) gets that
 *   same ciphertext back, as long as it is under the cipher's current key; the record at rest
 *   is then what a fresh encryption would give (the same plaintext, bound to the same user and
 *   field), only without a new IV. Without `currentKeyId` on the cipher nothing is reused, so
 *   key rotation can never leave an old key's ciphertext behind;
 * - opening: a ciphertext this cache made or opened gives back its frozen value without being
 *   decrypted again, only for the associated data it was made with (a ciphertext moved to
 *   another user or field misses, and fails authentication as before).
 *
 * The plaintext held is what the process already had (it wrote or read it); both maps are
 * bounded, oldest out first.
 */
export class SealCache {
  private readonly made = new Map<string, Made>();
  private readonly opened = new Map<string, Opened>();

  constructor(
    private readonly cipher: Cipher,
    private readonly max = DEFAULT_SEALS_REMEMBERED,
  ) {}

  /** The ciphertext of `json` (the JSON of the frozen `value`) bound to `aad`. */
  seal(value: unknown, json: string, aad: string): string {
    const current = this.cipher.currentKeyId?.();
    const last = this.made.get(aad);
    if (current !== undefined && last !== undefined && last.json === json && encryptionKeyId(last.sealed) === current) return last.sealed;
    const sealed = this.cipher.encrypt(json, aad);
    if (current !== undefined) remember(this.made, aad, { json, sealed }, this.max);
    remember(this.opened, sealed, { aad, value }, this.max);
    return sealed;
  }

  /** The frozen value `sealed` holds; throws as `Cipher.decrypt` does. */
  open(sealed: string, aad: string): unknown {
    const hit = this.opened.get(sealed);
    if (hit !== undefined && hit.aad === aad) return hit.value;
    const value = deepFreeze(JSON.parse(this.cipher.decrypt(sealed, aad)) as unknown);
    remember(this.opened, sealed, { aad, value }, this.max);
    return value;
  }
}

function remember<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value as string);
}
