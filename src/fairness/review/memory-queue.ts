import { checkEntryId, checkQuery, checkRequests, checkVerdict, decidedAlready, type ReviewEntry, type ReviewQuery, type ReviewQueue, type ReviewRequest, type ReviewStatus, type ReviewVerdict, reviewEntryId } from './queue';

// By the instant (ISO strings of different precision do not sort as text), then by id: Redis's order.
const byFirstRequest = (a: ReviewEntry, b: ReviewEntry) => Date.parse(a.firstRequestedAt) - Date.parse(b.firstRequestedAt) || (a.id < b.id ? -1 : 1);

/**
 * The review queue in process memory: the embedded default, for `npm start` and tests. Entries
 * are frozen copies, so what a caller holds never changes under it.
 *
 * ```ts
 * const queue = new MemoryReviewQueue();
 * await queue.request([{ itemId: 'sku-42', reason: 'item' }], new Date().toISOString());
 * ```
 */
export class MemoryReviewQueue implements ReviewQueue {
  readonly kind = 'memory';
  private readonly entries = new Map<string, ReviewEntry>();

  async request(requests: readonly ReviewRequest[], at: string): Promise<ReviewEntry[]> {
    const checked = checkRequests(requests, at);
    for (const r of checked) {
      const id = reviewEntryId(r.itemId);
      const known = this.entries.get(id);
      const count = r.count ?? 1;
      this.entries.set(
        id,
        Object.freeze(known ? { ...known, requestCount: known.requestCount + count } : { id, itemId: r.itemId, reason: r.reason, firstRequestedAt: at, requestCount: count, status: 'pending' as const }),
      );
    }
    return checked.map((r) => this.entries.get(reviewEntryId(r.itemId)) as ReviewEntry);
  }

  async get(id: string): Promise<ReviewEntry | null> {
    return this.entries.get(checkEntryId(id)) ?? null;
  }

  async list(query?: ReviewQuery): Promise<ReviewEntry[]> {
    const { status, limit } = checkQuery(query);
    return [...this.entries.values()].filter((e) => status === undefined || e.status === status).sort(byFirstRequest).slice(0, limit);
  }

  async decide(id: string, verdict: ReviewVerdict): Promise<ReviewEntry | null> {
    checkEntryId(id);
    const v = checkVerdict(verdict);
    const known = this.entries.get(id);
    if (!known) return null;
    if (v.expect !== undefined && known.status !== v.expect) throw decidedAlready(known);
    const { note: _old, ...rest } = known;
    const decided: ReviewEntry = Object.freeze({ ...rest, status: v.status, decidedBy: v.by, decidedAt: v.at, ...(v.note === undefined ? {} : { note: v.note }) });
    this.entries.set(id, decided);
    return decided;
  }

  async approvedItems(): Promise<string[]> {
    return [...this.entries.values()].filter((e) => e.status === 'approved').map((e) => e.itemId);
  }

  async counts(): Promise<Record<ReviewStatus, number>> {
    const counts: Record<ReviewStatus, number> = { pending: 0, approved: 0, rejected: 0 };
    for (const e of this.entries.values()) counts[e.status]++;
    return counts;
  }

  async close(): Promise<void> {}
}
