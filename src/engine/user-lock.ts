/**
 * Serializes read-modify-write cycles per user inside one process, so that an event ingested
 * while another is being applied for the same user is not lost. Across processes the store's
 * last write wins (see DESIGN.md, "Storage and scale").
 *
 * Every turn takes the lock twice (to read, then to write), so it is built for the common
 * case of nobody waiting: a key with no holder costs one map entry and no extra promise.
 */
export class UserLock {
  /** Per held key, the callbacks waiting for it, in order. */
  private readonly waiting = new Map<string, (() => void)[]>();

  /** Runs `fn` when every earlier holder of `key` has finished. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const queue = this.waiting.get(key);
    if (queue === undefined) {
      this.waiting.set(key, []);
      return this.hold(key, fn);
    }
    return new Promise<T>((resolve, reject) => queue.push(() => void this.hold(key, fn).then(resolve, reject)));
  }

  private async hold<T>(key: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } finally {
      const queue = this.waiting.get(key);
      const next = queue?.shift();
      if (next) next();
      else this.waiting.delete(key);
    }
  }
}
