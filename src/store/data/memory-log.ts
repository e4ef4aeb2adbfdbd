/** Entries of a log: numbered in append order (the cursors of a memory store), erasable in place. */
export interface Erasable {
  readonly seq: number;
  /**
   * Set once the entry left the log: erased ({@link ErasableLog.erase}) or dropped from its
   * head ({@link ErasableLog.dropWhile}), so that lists of entries kept beside the log (a
   * user's) can tell which of theirs are still in it.
   */
  gone?: boolean;
}

/**
 * The global event log of a {@link MemoryStore}, in append order. Erasing entries (a user's,
 * found through the user's own list of them) marks each one where it sits instead of
 * rebuilding the log, so an erasure costs what the user has, not what the log holds; the
 * marked entries are squeezed out in one pass once they are as many as the live ones, which
 * costs each erased entry a constant share (amortized). Reads skip marked entries, and at most
 * as many are ever held as live ones.
 *
 * Why not remove them at once: in one array that is a pass over everything after the first
 * (which, spread back into the array as arguments, also overflowed the stack past ~120,000
 * events); in an array of chunks it is a search and a splice per entry, which in a large log
 * touches a chunk far from the last one each time, several cache misses per entry. A mark
 * touches the entry alone, which the caller has just read.
 *
 * ```ts
 * const log = new ErasableLog<{ seq: number; gone?: boolean }>();
 * const e = { seq: 1 };
 * log.push(e);
 * log.erase([e]);
 * log.pageAfter(0, 10); // []
 * ```
 */
export class ErasableLog<T extends Erasable> implements Iterable<T> {
  private entries: T[] = [];
  /** How many entries held are marked gone (erased, not yet squeezed out). */
  private goneHeld = 0;

  /** How many live entries it holds. */
  get length(): number {
    return this.entries.length - this.goneHeld;
  }

  /** Appends an entry numbered above every entry held. */
  push(entry: T): void {
    this.entries.push(entry);
  }

  /** At most `limit` live entries numbered above `seq`, in order. */
  pageAfter(seq: number, limit: number): T[] {
    const { entries } = this;
    const page: T[] = [];
    for (let i = firstAbove(entries, seq, 0); i < entries.length && page.length < limit; i++) {
      if (!entries[i].gone) page.push(entries[i]);
    }
    return page;
  }

  /**
   * Erases these entries, each one this log holds (the caller's index of them guarantees it);
   * returns how many were live. They are marked, and squeezed out once as many as the live ones.
   */
  erase(entries: Iterable<T>): number {
    let n = 0;
    for (const entry of entries) {
      if (entry.gone) continue;
      entry.gone = true;
      n += 1;
    }
    this.goneHeld += n;
    if (this.goneHeld > 0 && this.goneHeld * 2 >= this.entries.length) this.squeeze();
    return n;
  }

  /**
   * Drops entries from the head for as long as `old` holds for them (erased ones go too), and
   * marks them gone; returns how many live ones went.
   */
  dropWhile(old: (entry: T) => boolean): number {
    const { entries } = this;
    let i = 0;
    let live = 0;
    for (; i < entries.length; i++) {
      const entry = entries[i];
      if (entry.gone) continue;
      if (!old(entry)) break;
      entry.gone = true;
      live += 1;
    }
    entries.splice(0, i);
    this.goneHeld -= i - live;
    return live;
  }

  *[Symbol.iterator](): Iterator<T> {
    for (const entry of this.entries) if (!entry.gone) yield entry;
  }

  /** The live entries as one array: what `JSON.stringify` (the store's raw dump) shows. */
  toJSON(): T[] {
    return [...this];
  }

  private squeeze(): void {
    this.entries = this.entries.filter((entry) => !entry.gone);
    this.goneHeld = 0;
  }
}

/**
 * At most `limit` entries numbered above `seq` among `source[from…]` (entries in order): a
 * page of a flat log, or of the tail of one (a user's log as its cap keeps it).
 */
export function pageAfter<T extends { readonly seq: number }>(source: readonly T[], seq: number, limit: number, from = 0): T[] {
  const at = firstAbove(source, seq, from);
  return source.slice(at, at + limit);
}

/** The index of the first of `source[from…]` numbered above `seq` (its length if none). */
function firstAbove<T extends { readonly seq: number }>(source: readonly T[], seq: number, from: number): number {
  let lo = from;
  let hi = source.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (source[mid].seq <= seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
