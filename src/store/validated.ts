import { ValidationError } from '../core/errors';
import type { Store } from './store';
import {
  checkAudit,
  checkEntryIds,
  checkGroup,
  checkGroupRead,
  checkGroupStart,
  checkId,
  checkK,
  checkLimit,
  checkName,
  checkRetention,
  checkStaleClaim,
  checkTtl,
  checkVersion,
  validateBatch,
} from './validate';

/** Every method of a {@link Store}. */
export type StoreMethod = { [K in keyof Store]: Store[K] extends (...args: never[]) => unknown ? K : never }[keyof Store];

/** The argument check of each store method: throws a ValidationError, or returns. */
export type StoreChecks = { [K in StoreMethod]: (...args: Parameters<Store[K]>) => void };

/**
 * The argument checks of every store method, for a back end whose cursors and entry ids match
 * `issued` (its own form: memory numbers, Redis stream ids). Exhaustive by type: a role method
 * added to {@link Store} without a check here does not compile.
 */
export function storeChecks(issued: RegExp): StoreChecks {
  const cursor = (after: string | undefined) => {
    if (after !== undefined && (typeof after !== 'string' || !issued.test(after))) throw new ValidationError('cursor is not one this store issued');
  };
  const optionalUser = (userId: string | undefined) => {
    if (userId !== undefined) checkId('userId', userId);
  };
  const users = (userIds: readonly string[]) => userIds.forEach((id) => checkId('userId', id));
  const messages = (messageIds: readonly string[]) => messageIds.forEach((id) => checkId('messageId', id));
  const none = () => undefined;
  return {
    claim: messages,
    release: messages,
    readEvents: (query = {}) => {
      checkLimit(query.limit);
      optionalUser(query.userId);
      cursor(query.after);
    },
    ensureGroup: (group, options) => {
      checkGroup(group);
      checkGroupStart(options);
    },
    readGroup: (group, consumer, options) => {
      checkGroup(group, consumer);
      checkGroupRead(options);
    },
    ack: (group, ids) => {
      checkGroup(group);
      checkEntryIds(ids, issued);
    },
    claimStale: (group, consumer, options) => {
      checkGroup(group, consumer);
      checkStaleClaim(options);
    },
    pending: (group) => checkGroup(group),
    readUser: (userId, sessionId) => {
      checkId('userId', userId);
      if (sessionId !== undefined) checkId('sessionId', sessionId);
    },
    write: (batch) => validateBatch(batch),
    topCounters: (name, k) => {
      checkName('counter name', name);
      checkK(k);
    },
    cacheGet: (key, userId) => {
      checkId('cache key', key);
      optionalUser(userId);
    },
    cacheSet: (key, _value, ttlSeconds, userId) => {
      checkId('cache key', key);
      checkTtl(ttlSeconds);
      optionalUser(userId);
    },
    putArtifact: (name) => checkName('artifact name', name),
    getArtifact: (name, version) => {
      checkName('artifact name', name);
      if (version !== undefined) checkVersion(version);
    },
    pruneArtifacts: (name, keep) => {
      checkName('artifact name', name);
      checkVersion(keep);
    },
    exportUser: (userId) => checkId('userId', userId),
    eraseUser: (userId) => checkId('userId', userId),
    suppress: users,
    unsuppress: users,
    isSuppressed: users,
    appendAudit: (record) => checkAudit(record),
    readAudit: (query = {}) => {
      checkLimit(query.limit);
      cursor(query.after);
    },
    sweep: (policy) => checkRetention(policy),
    reencryptAll: none,
    ping: none,
    close: none,
  };
}

const VALIDATED = Symbol('attune.validated');

/**
 * Puts the argument checks in front of every method of a back end, once, so that the back
 * ends hold no checks of their own and reject the same inputs with the same errors: a
 * malformed argument is a rejected promise with a ValidationError, and the back end is never
 * called (so a bad batch changes nothing). The store is changed in place (each method becomes
 * an own property that checks, then calls the class's), not wrapped: it keeps its class,
 * `instanceof` and whatever else it has (a memory store's `rawDump`). A store checked already
 * is returned as it is. Back ends call it from their constructors.
 *
 * ```ts
 * class MyStore implements Store {
 *   constructor() {
 *     validated(this, /^\d+$/); // the form of the cursors and entry ids it issues
 *   }
 * }
 * ```
 */
export function validated<T extends Store>(store: T, issued: RegExp): T {
  const marked = store as T & { [VALIDATED]?: true };
  if (marked[VALIDATED]) return store;
  const checks = storeChecks(issued) as unknown as Record<StoreMethod, (...args: unknown[]) => void>;
  for (const name of Object.keys(checks) as StoreMethod[]) {
    const check = checks[name];
    const method = (store[name] as (...args: unknown[]) => Promise<unknown>).bind(store);
    const guarded = (...args: unknown[]): Promise<unknown> => {
      try {
        check(...args);
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
      return method(...args);
    };
    Object.defineProperty(store, name, { value: guarded, writable: true, configurable: true, enumerable: false });
  }
  Object.defineProperty(store, VALIDATED, { value: true });
  return store;
}
