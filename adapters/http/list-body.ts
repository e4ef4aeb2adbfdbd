import { hash } from 'node:crypto';
import type { Recommendation } from '../../src/core/personalization';
import { listIdentity } from '../../src/recommend/list-identity';

/** The JSON answer of `GET /v1/users/:id/recommendations` as sent, and its entity tag. */
export interface ListBody {
  /** `{ userId, recommendations }` as UTF-8 JSON. */
  readonly body: Buffer;
  /** A weak entity tag of `body`, the very one Express would make of it (`W/"<length>-<sha1>"`). */
  readonly etag: string;
}

/** What was made of each remembered list, by its identity (see `listIdentity`), for the id it was asked under. */
const made = new WeakMap<object, ListBody & { readonly userId: string }>();

/**
 * The answer of a user's recommendations. A remembered list asked for again (the usual case:
 * the list cache serves it until something it depends on changes) is answered with the
 * bytes and entity tag made of it the first time, so it is neither serialized nor hashed per
 * request; a list from elsewhere is made afresh. The entity tag is the one Express's default
 * would give the same bytes, so clients see the same `ETag` (and `If-None-Match` the same
 * 304) either way.
 *
 * ```ts
 * const { body, etag } = listBody('u1', await attune.recommend('u1'));
 * ```
 */
export function listBody(userId: string, recommendations: readonly Recommendation[]): ListBody {
  const identity = listIdentity(recommendations);
  const known = identity && made.get(identity);
  // The id as asked: two ids may share one pseudonymous user, and so one remembered list.
  if (known && known.userId === userId) return known;
  const body = Buffer.from(JSON.stringify({ userId, recommendations }));
  const answer = { userId, body, etag: weakEtag(body) };
  if (identity) made.set(identity, answer);
  return answer;
}

/** `etag(body, { weak: true })` as Express computes it: the length in hex and the SHA-1, base64, to 27 characters. */
function weakEtag(body: Buffer): string {
  return `W/"${body.length.toString(16)}-${hash('sha1', body, 'base64').slice(0, 27)}"`;
}
