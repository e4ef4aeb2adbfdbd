/** Opaque string ids ↔ dense integer indices: models do their math on indices. */
export class IdIndex {
  private readonly byId = new Map<string, number>();
  private readonly list: string[] = [];

  /**
   * Builds an index from ids in order (the first id gets index 0).
   *
   * ```ts
   * const users = new IdIndex(['u1', 'u2']);
   * users.get('u2'); // 1
   * ```
   */
  constructor(ids: Iterable<string> = []) {
    for (const id of ids) this.add(id);
  }

  /** Number of ids. */
  get size(): number {
    return this.list.length;
  }

  /** The index of `id`, adding it at the end when new. */
  add(id: string): number {
    let i = this.byId.get(id);
    if (i === undefined) {
      i = this.list.length;
      this.byId.set(id, i);
      this.list.push(id);
    }
    return i;
  }

  /** The index of `id`, or undefined when unknown. */
  get(id: string): number | undefined {
    return this.byId.get(id);
  }

  /** The id at index `i`. */
  id(i: number): string {
    return this.list[i];
  }

  /** All ids in index order (a copy, safe to serialize). */
  ids(): string[] {
    return this.list.slice();
  }
}
