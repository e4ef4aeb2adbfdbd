/**
 * ISO times as the compact Redis forms write them: base-36 epoch milliseconds, for a time that
 * `toISOString` would write exactly as given (else undefined: the caller stores it as it is).
 * Both ways are remembered (a bounded map, emptied when full): a profile carries the same
 * times from one write to the next, and parsing and printing dates was a tenth of ingestion.
 *
 * ```ts
 * isoToB36('1970-01-01T00:00:01.000Z'); // 'rs'
 * b36ToIso('rs'); // '1970-01-01T00:00:01.000Z'
 * ```
 */
const REMEMBERED = 20_000;
const toB36 = new Map<string, string | undefined>();
const toIso = new Map<string, string>();

/** Base-36 epoch ms of an ISO time, or undefined when it would not print back the same. */
export function isoToB36(iso: string): string | undefined {
  if (toB36.has(iso)) return toB36.get(iso);
  const ms = Date.parse(iso);
  const b36 = Number.isFinite(ms) && ms >= 0 && new Date(ms).toISOString() === iso ? ms.toString(36) : undefined;
  if (toB36.size >= REMEMBERED) toB36.clear();
  toB36.set(iso, b36);
  return b36;
}

/** The ISO time of base-36 epoch ms (the inverse of {@link isoToB36}). */
export function b36ToIso(b36: string): string {
  let iso = toIso.get(b36);
  if (iso === undefined) {
    iso = new Date(parseInt(b36, 36)).toISOString();
    if (toIso.size >= REMEMBERED) toIso.clear();
    toIso.set(b36, iso);
  }
  return iso;
}
