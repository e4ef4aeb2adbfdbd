/**
 * What may hold items back from being shown, whatever scored them (the review queue of
 * sensitive items, in `src/fairness/review`). Serving asks it per candidate, so both calls are
 * synchronous and must answer from memory: a gate never costs the turn a round trip.
 */
export interface ServingGate {
  /** Whether the item must not be shown now. A gate that cannot tell holds the item back. */
  holds(itemId: string): boolean;
  /**
   * The held-back items a list would have shown (they ranked within its first k), best first.
   * Told after the list is made; must neither throw nor wait.
   */
  held(itemIds: readonly string[]): void;
}
