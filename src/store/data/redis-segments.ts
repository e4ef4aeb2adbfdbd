/**
 * A user's segment memberships in Redis as ONE string, the JSON array of their ids, sorted and
 * without repeats (what SMEMBERS then sort gave of the SET they were before): a set of one
 * short id cost ~230 bytes (a listpack set and its key), the string costs its text and the key.
 * No memberships is no key. Sets written before this form are read as well
 * ({@link READ_SEGMENTS_LUA}, {@link segmentIds}) and replaced on the user's next membership write.
 *
 * ```ts
 * packSegments(['b', 'a', 'a']); // '["a","b"]'
 * segmentIds(Buffer.from('["a","b"]')); // ['a', 'b']
 * ```
 */

/** The stored string of a user's segment ids ('' for none: the key is deleted). */
export function packSegments(ids: readonly string[]): string {
  return ids.length ? JSON.stringify([...new Set(ids)].sort()) : '';
}

/** The ids of stored memberships as read: the packed string (text or bytes), or a SET's SMEMBERS. */
export function segmentIds(read: Buffer | string | readonly (Buffer | string)[] | null | undefined): string[] {
  if (read === null || read === undefined) return [];
  if (Array.isArray(read)) return read.map(String);
  const ids = JSON.parse(String(read)) as unknown;
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) throw new Error('stored segment memberships are not a list of ids');
  return ids;
}

/** Lua: the memberships stored at KEYS[i] as they are, the packed string, else SMEMBERS (empty for none). */
export const SEGMENTS_READ_LUA_FN = `
local function read_segments(key)
  if redis.call('TYPE', key).ok == 'string' then return redis.call('GET', key) end
  return redis.call('SMEMBERS', key)
end
`;

/** The memberships stored at a key, either form (see {@link segmentIds}). KEYS: the segments key. */
export const READ_SEGMENTS_LUA = `${SEGMENTS_READ_LUA_FN}
return read_segments(KEYS[1])
`;
