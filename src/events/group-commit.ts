/**
 * Group commit: calls that arrive while a group is being written wait, and go together as the
 * next group, so that under load one round of store calls serves many callers, and with no
 * load a call waits for nothing but the end of the current turn of the event loop. Each caller
 * gets its own outcome (a value, or the error that concerns it), and only once the group's
 * writes have been acknowledged, so nothing is acknowledged that is only in a deferred write.
 *
 * ```ts
 * const commit = new GroupCommit<Event[], Result>((groups) => writeAll(groups));
 * const result = await commit.submit(events); // resolves when its group is stored
 * ```
 */
export class GroupCommit<I, O> {
  private queue: { item: I; resolve: (value: O) => void; reject: (err: unknown) => void }[] = [];
  private draining = false;

  constructor(
    /** Writes one group; returns, in the order given, each item's outcome or the error that is its own. */
    private readonly run: (items: readonly I[]) => Promise<(O | GroupFailure)[]>,
    /** Items per group at most, so that one call to the store stays bounded. */
    private readonly maxItems = 256,
  ) {}

  /** Queues `item` for the next group; settles with its own outcome. */
  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.draining) return;
      this.draining = true;
      // Calls made while a group is in flight form the next; an idle queue starts once this
      // turn of the event loop has run its I/O callbacks. Not at the end of this callback (a
      // microtask): requests read from several sockets in one turn each ended their own callback,
      // and each went alone, with the store's whole round (claims, suppression check, locks,
      // write) for one event; the memory store's round never leaves the turn, so nothing ever
      // joined a group in flight either.
      setImmediate(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length) {
      const group = this.queue.splice(0, this.maxItems);
      let outcomes: (O | GroupFailure)[];
      try {
        outcomes = await this.run(group.map((g) => g.item));
      } catch (err) {
        outcomes = group.map(() => new GroupFailure(err));
      }
      group.forEach((g, i) => {
        const o = outcomes[i];
        if (o instanceof GroupFailure) g.reject(o.cause);
        else g.resolve(o);
      });
    }
    this.draining = false;
  }
}

/** One item's failure inside a group's outcomes: what its caller is rejected with. */
export class GroupFailure {
  constructor(readonly cause: unknown) {}
}
