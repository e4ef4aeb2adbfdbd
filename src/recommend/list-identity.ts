import type { Recommendation } from '../core/personalization';

/**
 * Which remembered list a list handed out is a copy of. The list cache hands out copies (a
 * caller may change what it is given), so two answers of one remembered list are never the
 * same array; this tells that they hold the same thing, without comparing them. An edge that
 * answers the same list again and again (the REST API) keys what it made of a list (its JSON,
 * its ETag) by the identity, so it makes that once per remembered list, not once per answer.
 * The identity is the cache's entry itself: a list computed after any change is a new entry,
 * and what is keyed by an entry the cache dropped goes with it.
 */
const identities = new WeakMap<readonly Recommendation[], object>();

/**
 * Notes that `list`, as it is now, holds what the remembered entry `identity` holds. For the
 * list cache: every list it hands out is marked with the entry it came from.
 */
export function markList(list: readonly Recommendation[], identity: object): void {
  identities.set(list, identity);
}

/**
 * The identity of the remembered list `list` was handed out as, or undefined (a list computed
 * without the cache). Two lists with one identity held the same recommendations when they
 * were handed out; a caller that changed its list since should not ask.
 *
 * ```ts
 * const list = service.recommend(request);
 * const id = listIdentity(list); // the same object for every answer of this remembered list
 * ```
 */
export function listIdentity(list: readonly Recommendation[]): object | undefined {
  return identities.get(list);
}
