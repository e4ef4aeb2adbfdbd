/**
 * Serializes read-modify-write cycles per user inside one process, so that an event ingested
 * while another is being applied for the same user is not lost. Across processes the store's
 * last write wins (see DESIGN.md, "Storage and scale").
 */
export class UserLock {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `fn` when every earlier holder of `key` has finished. */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
