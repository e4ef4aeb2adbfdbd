import type Redis from 'ioredis';
import { guard } from '../redis-exec';
import { ID_BELOW_LUA, type RedisKeys } from '../redis-layout';
import { USER_LOG_LUA } from './redis-user-log';

/**
 * Moves a user's legacy ids into the user's log, atomically, and deletes the legacy keys: the
 * log is rebuilt as the sorted union of what it holds (ids appended since the caller looked)
 * and the ids given. The legacy per-user stream held second copies of events the global log
 * has, so it goes. KEYS: the user's log, the legacy index, the legacy per-user stream.
 * ARGV: the legacy ids, in log order.
 */
export const MIGRATE_LOG_LUA = `${ID_BELOW_LUA}${USER_LOG_LUA}
local have = log_ids(KEYS[1])
local seen, all = {}, {}
for _, id in ipairs(ARGV) do if not seen[id] then seen[id] = true; all[#all + 1] = id end end
for _, id in ipairs(have) do if not seen[id] then seen[id] = true; all[#all + 1] = id end end
table.sort(all, below)
redis.call('DEL', KEYS[2], KEYS[3])
log_write(KEYS[1], all)
return #all
`;

/**
 * Migration on read of the legacy event layout (a per-user stream holding a second copy of
 * each event, and a per-user index stream of global ids) to the user's log of global ids
 * (see {@link RedisKeys.userLog}). A user is migrated the first time their events are read
 * through `readEvents({ userId })`; export, erase, sweep and key rotation read both layouts,
 * so nothing needs migrating before it.
 *
 * ```ts
 * await migrateUserLog(redis, keys, 'u1', await privacy.legacyIds('u1'));
 * ```
 */
export async function migrateUserLog(redis: Redis, keys: RedisKeys, userId: string, legacyIds: readonly string[]): Promise<void> {
  await guard('migrate', () => redis.eval(MIGRATE_LOG_LUA, 3, keys.userLog(userId), keys.userEventIds(userId), keys.userEvents(userId), ...legacyIds));
}
