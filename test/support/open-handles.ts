import net from 'node:net';
import { promisify } from 'node:util';

/**
 * What keeps node running besides timers: the resources `process.getActiveResourcesInfo()`
 * reports (sockets, servers, child processes…), counted by type. Timers are left to
 * {@link trackTimers}: the process's count of them also holds jest's own, which come and go.
 */
export type ResourceCounts = Map<string, number>;

/** The resources keeping node running now, timers aside, counted by type. */
export function activeResources(): ResourceCounts {
  const counts: ResourceCounts = new Map();
  for (const type of process.getActiveResourcesInfo()) if (type !== 'Timeout') counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}

/** What `now` holds beyond `before`, as `type ×n` entries, sorted; empty when nothing is left over. */
export function leftOver(before: ResourceCounts, now: ResourceCounts = activeResources()): string[] {
  const extra: string[] = [];
  for (const [type, n] of now) if (n > (before.get(type) ?? 0)) extra.push(`${type} ×${n - (before.get(type) ?? 0)}`);
  return extra.sort();
}

/** The timers made through one global's setTimeout and setInterval that are still armed. */
export interface TimerTrack {
  /** How many are armed and ref'd (an unref'd timer does not keep node running). */
  pending(): number;
}

/**
 * Tracks the timers made through `target`'s setTimeout and setInterval (a jest test file's
 * global, through which the code it loads makes its timers too): a timeout is over once it
 * has fired or been cleared, an interval once cleared.
 */
export function trackTimers(target: Pick<typeof globalThis, 'setTimeout' | 'setInterval' | 'clearTimeout' | 'clearInterval'>): TimerTrack {
  const armed = new Set<NodeJS.Timeout>();
  const { setTimeout: setT, setInterval: setI, clearTimeout: clearT, clearInterval: clearI } = target;
  const forget = (t: unknown) => {
    if (t && typeof t === 'object') armed.delete(t as NodeJS.Timeout);
  };
  const tracked = ((fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const t: NodeJS.Timeout = setT(
      function (this: unknown, ...a: unknown[]) {
        armed.delete(t);
        return fn.apply(this, a);
      },
      ms,
      ...args,
    );
    armed.add(t);
    return t;
  }) as typeof globalThis.setTimeout;
  // util.promisify(setTimeout) and timers' own promise form keep working.
  Object.assign(tracked, { [promisify.custom]: (setT as unknown as Record<symbol, unknown>)[promisify.custom] });
  target.setTimeout = tracked;
  target.setInterval = ((fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const t = setI(fn, ms, ...args);
    armed.add(t);
    return t;
  }) as typeof globalThis.setInterval;
  target.clearTimeout = ((t?: NodeJS.Timeout | string | number) => {
    forget(t);
    clearT(t);
  }) as typeof globalThis.clearTimeout;
  target.clearInterval = ((t?: NodeJS.Timeout | string | number) => {
    forget(t);
    clearI(t);
  }) as typeof globalThis.clearInterval;
  return { pending: () => [...armed].filter((t) => t.hasRef()).length };
}

/**
 * Waits until nothing is left over beyond `before` and no tracked timer is pending, up to
 * `ms`, and returns what still is. A socket or server that was closed takes a few turns of
 * the event loop to go, more on a loaded machine; what is still there after a generous
 * deadline was never closed.
 */
export async function settleResources(before: ResourceCounts, timers: TimerTrack, ms = 5000): Promise<string[]> {
  const end = Date.now() + ms;
  for (;;) {
    const extra = leftOver(before);
    const pending = timers.pending();
    if (pending) extra.push(`Timeout ×${pending}`);
    if (!extra.length || Date.now() > end) return extra;
    await new Promise<void>((resolve) => setTimeout(resolve, 20).unref());
  }
}

/**
 * The ends of the TCP connections open now (`local → remote`), to tell which one was left
 * open; from node's undocumented `process._getActiveHandles()`, so empty where it is missing.
 */
export function openConnections(): string[] {
  const handles = (process as unknown as { _getActiveHandles?: () => unknown[] })._getActiveHandles?.() ?? [];
  return handles
    .filter((h): h is net.Socket => h instanceof net.Socket && h.remotePort !== undefined)
    .map((s) => `${s.localAddress}:${s.localPort} → ${s.remoteAddress}:${s.remotePort}`);
}
