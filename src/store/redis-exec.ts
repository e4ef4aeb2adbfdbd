import type { ChainableCommander } from 'ioredis';
import { AttuneError, StoreError } from '../core/errors';

/**
 * Turns whatever Redis (or decoding what it returned) throws into a StoreError keeping the
 * cause. With `deadlineMs`, the call also fails with a StoreError once Redis has not answered
 * for that long (see {@link withDeadline}); the command itself is not withdrawn.
 */
export async function guard<T>(what: string, fn: () => Promise<T>, deadlineMs?: number): Promise<T> {
  try {
    return await (deadlineMs === undefined ? fn() : withDeadline(what, fn(), deadlineMs));
  } catch (e) {
    if (e instanceof AttuneError) throw e;
    throw new StoreError(`redis ${what} failed: ${e instanceof Error ? e.message : String(e)}`, e);
  }
}

/**
 * Runs a MULTI or pipeline and unwraps its replies; any failed command fails the whole call.
 * `deadlineMs` as in {@link guard}.
 */
export async function execTx(tx: ChainableCommander, what: string, deadlineMs?: number): Promise<unknown[]> {
  const replies = await guard(what, () => tx.exec(), deadlineMs);
  if (!replies) throw new StoreError(`redis ${what} was aborted`);
  const failed = replies.find(([err]) => err);
  if (failed) throw new StoreError(`redis ${what} failed: ${failed[0]?.message ?? 'unknown error'}`, failed[0]);
  return replies.map(([, reply]) => reply);
}

/**
 * `call`, or a StoreError once `ms` have passed without an answer.
 *
 * The deadline counts Redis's time, not ours: when the timer fires, the rejection waits for
 * the event loop's next check phase (setImmediate), after the poll phase has read whatever
 * the socket holds. So a reply that arrived while this process was busy (a synchronous model
 * training, a long GC pause) still wins, and a blocked event loop does not look like a down
 * Redis to the circuit breaker.
 */
export function withDeadline<T>(what: string, call: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      setImmediate(() => {
        if (settled) return;
        settled = true;
        reject(new StoreError(`redis ${what} timed out: no answer within ${ms} ms`));
      });
    }, ms);
    // A deadline must never be what keeps a process alive.
    timer.unref();
    call.then(
      (value) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
