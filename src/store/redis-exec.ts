import type { ChainableCommander } from 'ioredis';
import { AttuneError, StoreError } from '../core/errors';

/** Turns whatever Redis (or decoding what it returned) throws into a StoreError keeping the cause. */
export async function guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof AttuneError) throw e;
    throw new StoreError(`redis ${what} failed: ${e instanceof Error ? e.message : String(e)}`, e);
  }
}

/** Runs a MULTI or pipeline and unwraps its replies; any failed command fails the whole call. */
export async function execTx(tx: ChainableCommander, what: string): Promise<unknown[]> {
  const replies = await guard(what, () => tx.exec());
  if (!replies) throw new StoreError(`redis ${what} was aborted`);
  const failed = replies.find(([err]) => err);
  if (failed) throw new StoreError(`redis ${what} failed: ${failed[0]?.message ?? 'unknown error'}`, failed[0]);
  return replies.map(([, reply]) => reply);
}
