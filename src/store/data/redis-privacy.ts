import type Redis from 'ioredis';
import { execTx, guard } from '../redis-exec';
import {
  CAS_HFIELD_LUA,
  CAS_STRING_LUA,
  ENTRIES_BY_ID_LUA,
  READ_PROFILE_LUA,
  EVENT_FIELD,
  SWAP_STREAM_LUA,
  TRIM_INDEX_LUA,
  TRIM_LOG_LUA,
  USER_FIELD,
  entryAt,
  entryEvent,
  entryField,
  fieldArgs,
  nextStreamId,
  streamEntries,
  type RawStreamEntry,
  type RedisKeys,
  type StreamEntry,
} from '../redis-layout';
import { PROFILE_SEALED, type StoredForm } from '../sealed';
import { packedProfile, profileFields } from '../redis-turn';
import { BINARY_EVENT_FIELD, binaryEvent } from './redis-event-binary';
import { COMPACT_EVENT_FIELD, compactEvent } from './redis-event-codec';
import { READ_SEGMENTS_LUA, segmentIds } from './redis-segments';
import { LOG_IDS_LUA } from './redis-user-log';
import type { ErasedCounts, RetentionPolicy, StoreLimits, UserExport } from '../store';

/** What {@link RedisPrivacy} works with: the store's client, layout, stored form and clock. */
export interface RedisPrivacyContext {
  redis: Redis;
  keys: RedisKeys;
  form: StoredForm;
  now: () => number;
  limits: StoreLimits;
}

/** Entries read per round trip when walking a whole stream or the user index. */
const PAGE = 1000;

/**
 * The Redis side of export, erasure, retention and key rotation: the paths that must reach
 * every key a user has. These are admin operations, rare and allowed to take many round
 * trips; the turn path (readUser, write) stays one round trip each.
 *
 * A user's entries in the global log are found through the user's log (see
 * {@link RedisKeys.userLog}: their global ids, uncapped) and, for users not migrated yet, the
 * legacy index of the same ids ({@link RedisKeys.userEventIds}), then read by id, so export
 * and erase cost what the user has, not what the log holds. Entries older than the index (below {@link RedisKeys.eventsIndexedFrom}) are found by
 * walking that part of the log by its `u` field, once for any number of users; on a store
 * written with the index from the start it is empty, and one command shows it.
 *
 * The user's log is written by the same script call as the event. On Redis Cluster, where the
 * global log and the user's slot are on different nodes, a write split per slot would have to
 * append to the log first and index the id it got after.
 */
export class RedisPrivacy {
  constructor(private readonly ctx: RedisPrivacyContext) {}

  async exportUser(userId: string): Promise<UserExport> {
    const { redis, keys, form } = this.ctx;
    return guard('exportUser', async () => {
      // The user's keys and their entries of the global log are read at once (one connection
      // sends both without waiting), as neither depends on the other.
      const [[fields, segments, sessionIds, cacheKeys, mine], global] = await Promise.all([
        execTx(
          redis
            .multi()
            // Buffers: a binary profile must reach the codec as its bytes.
            .callBuffer('EVAL', READ_PROFILE_LUA, 1, keys.profile(userId))
            .eval(READ_SEGMENTS_LUA, 1, keys.segments(userId))
            .zrange(keys.userSessions(userId), '0', '-1')
            .zrange(keys.userCacheKeys(userId), '0', '-1')
            .xrangeBuffer(keys.userEvents(userId), '-', '+'),
          'exportUser',
        ),
        this.globalEntries(userId),
      ]);
      const sids = [...(sessionIds as string[])].sort();
      const ckeys = [...(cacheKeys as string[])].sort();
      const values = ckeys.length + sids.length ? ((await redis.mget(...sids.map((s) => keys.session(userId, s)), ...ckeys.map((k) => keys.userCache(userId, k)))) as (string | null)[]) : [];
      const events = global.map((g) => form.readEvent(entryEvent(g)));
      const seen = new Set(events.map((e) => e.messageId));
      // The user's log holds the very JSON the global log does (a write sends it once for
      // both), so only entries whose JSON the global log lacks (rewritten apart by key
      // rotation, or left only there) are decoded to be told apart by message id.
      const stored = new Set(global.map(entryEvent));
      const onlyMine = streamEntries(mine as RawStreamEntry[])
        .filter((e) => !stored.has(entryEvent(e)))
        .map((e) => form.readEvent(entryEvent(e)))
        .filter((e) => !seen.has(e.messageId));
      return {
        userId,
        profile: form.readProfile(profileFields(profileRead(fields as Buffer | Buffer[]), userId)),
        sessions: sids.flatMap((_, i) => (values[i] === null ? [] : (form.readSession(values[i] as string) ?? []))),
        segments: segmentIds(segments as string | string[]).sort(),
        events: [...events, ...onlyMine],
        cache: ckeys.flatMap((key, i) => {
          const value = values[sids.length + i];
          return value === null || value === undefined ? [] : [{ key, value }];
        }),
      };
    });
  }

  /**
   * Erases users whole; returns how many live records went, by side (see UserRights.eraseUser).
   * Sessions and cache entries are found through their indexes; keys written before the
   * indexes existed are not, and expire on their own TTLs.
   */
  async erase(userIds: readonly string[]): Promise<ErasedCounts> {
    const { redis, keys } = this.ctx;
    return guard('eraseUser', async () => {
      const legacy = await this.legacyEntries(new Set(userIds));
      let data = 0;
      let cache = 0;
      for (const userId of userIds) {
        const [[sessionIds, cacheKeys], indexed] = await Promise.all([
          execTx(redis.multi().zrange(keys.userSessions(userId), '0', '-1').zrange(keys.userCacheKeys(userId), '0', '-1'), 'eraseUser') as Promise<string[][]>,
          this.indexedIds(userId),
        ]);
        const truth = [keys.profile(userId), keys.segments(userId), ...sessionIds.map((s) => keys.session(userId, s))];
        // The cache side first, on its own, so its count is its own (DEL of no key is not allowed).
        const tx = redis.multi();
        if (cacheKeys.length) tx.del(...cacheKeys.map((k) => keys.userCache(userId, k)));
        tx.del(...truth);
        const ids = sortedIds([...(legacy.get(userId) ?? []).map(([id]) => id), ...indexed]);
        for (let i = 0; i < ids.length; i += PAGE) tx.xdel(keys.events(), ...ids.slice(i, i + PAGE));
        tx.del(keys.userEvents(userId), keys.userEventsRotating(userId), keys.userSessions(userId), keys.userCacheKeys(userId)).zrem(keys.users(), userId);
        // Only what was read goes from the logs: an event appended meanwhile stays findable.
        const last = indexed[indexed.length - 1];
        const keep = last === undefined ? '' : nextStreamId(last);
        tx.eval(TRIM_INDEX_LUA, 1, keys.userEventIds(userId), keep).eval(TRIM_LOG_LUA, 1, keys.userLog(userId), keep);
        const replies = await execTx(tx, 'eraseUser');
        // Every reply but the last four (uncounted index keys, the activity entry, the two
        // trims) is a count; the first is the cache side's when it has keys.
        const counts = replies.slice(0, -4).map(Number);
        if (cacheKeys.length) cache += counts.shift() ?? 0;
        data += counts.reduce((n, r) => n + r, 0);
      }
      return { data, cache };
    });
  }

  async sweep(policy: RetentionPolicy): Promise<{ events: number; profiles: number }> {
    const { redis, keys, now } = this.ctx;
    return guard('sweep', async () => {
      let events = 0;
      if (policy.eventsMaxAgeSeconds !== undefined) {
        const cutoff = now() - policy.eventsMaxAgeSeconds * 1000;
        const global = await this.trimOlder(keys.events(), cutoff);
        events = global.removed;
        for await (const users of this.userPages()) {
          for (const u of users) await this.trimOlder(keys.userEvents(u), cutoff);
          // Users' indexes hold global ids, so they are cut where the global log was.
          if (global.minId !== undefined) {
            const tx = redis.pipeline();
            for (const u of users) tx.eval(TRIM_INDEX_LUA, 1, keys.userEventIds(u), global.minId).eval(TRIM_LOG_LUA, 1, keys.userLog(u), global.minId);
            await execTx(tx, 'sweep');
          }
        }
      }
      let profiles = 0;
      if (policy.inactiveProfileMaxAgeSeconds !== undefined) {
        const cutoff = now() - policy.inactiveProfileMaxAgeSeconds * 1000;
        const inactive = await redis.zrangebyscore(keys.users(), '-inf', `(${cutoff}`);
        if (inactive.length) await this.erase(inactive);
        profiles = inactive.length;
      }
      return { events, profiles };
    });
  }

  async reencryptAll(): Promise<number> {
    const { redis, keys, form } = this.ctx;
    if (!form.sealed) return 0;
    return guard('reencryptAll', async () => {
      let n = await this.rewriteStream(keys.events(), keys.eventsRotating());
      for await (const users of this.userPages()) {
        for (const u of users) {
          await this.rewriteStream(keys.userEvents(u), keys.userEventsRotating(u));
          const read = profileRead((await redis.callBuffer('EVAL', READ_PROFILE_LUA, 1, keys.profile(u))) as Buffer | Buffer[]);
          const fields = profileFields(read, u);
          if (Buffer.isBuffer(read) && form.stale(fields)) {
            // A packed profile is one string: rewritten whole, unless it was written meanwhile.
            const profile = form.readProfile(fields);
            const packed = profile ? packedProfile(form.profile(profile), u) : undefined;
            if (packed === undefined) throw new Error(`the profile of ${u} no longer fits its compact form`);
            n += Number(await redis.eval(CAS_STRING_LUA, 1, keys.profile(u), read, packed));
          } else if (Object.keys(fields).length && form.stale(fields)) {
            const profile = form.readProfile(fields);
            const fresh = profile ? form.profile(profile) : {};
            // Only the sealed fields change; a profile written meanwhile is already current.
            let rewritten = 0;
            for (const f of PROFILE_SEALED) rewritten += Number(await redis.eval(CAS_HFIELD_LUA, 1, keys.profile(u), f, fields[f] ?? '', fresh[f] ?? ''));
            if (rewritten > 0) n += 1;
          }
          for (const sid of await redis.zrange(keys.userSessions(u), '0', '-1')) {
            const raw = await redis.get(keys.session(u, sid));
            const session = raw === null || !form.stale(raw) ? null : form.readSession(raw);
            if (raw === null || session === null) continue;
            n += Number(await redis.eval(CAS_STRING_LUA, 1, keys.session(u, sid), raw, form.session(session)));
          }
        }
      }
      return n;
    });
  }

  /** The user's entries of the global log, in log order: those older than the index, then those it lists. */
  private async globalEntries(userId: string): Promise<StreamEntry[]> {
    const { redis, keys } = this.ctx;
    const [legacy, ids] = await Promise.all([this.legacyEntries(new Set([userId])), this.indexedIds(userId)]);
    const walked = legacy.get(userId) ?? [];
    // A migrated user's log may list entries the walk found too (see redis-migrate.ts).
    const found = new Set(walked.map(([id]) => id));
    const rest = ids.filter((id) => !found.has(id));
    const pages: Promise<StreamEntry[]>[] = [];
    for (let i = 0; i < rest.length; i += PAGE) pages.push((redis.callBuffer('EVAL', ENTRIES_BY_ID_LUA, 1, keys.events(), ...rest.slice(i, i + PAGE)) as Promise<RawStreamEntry[]>).then(streamEntries));
    return [...walked, ...(await Promise.all(pages)).flat()];
  }

  /**
   * The global ids a user's legacy keys stand for, in log order: those of the legacy index
   * and the user's entries older than indexes (found by walking that part of the log). What
   * migration moves into the user's log (see redis-migrate.ts).
   */
  async legacyIds(userId: string): Promise<string[]> {
    const legacy = await this.legacyEntries(new Set([userId]));
    const ids: string[] = (legacy.get(userId) ?? []).map(([id]) => id);
    for await (const page of this.streamPages(this.ctx.keys.userEventIds(userId))) for (const [id] of page) ids.push(id);
    return sortedIds(ids);
  }

  /** The global ids the user's log and legacy index list, in order (entries since swept or erased included). */
  private async indexedIds(userId: string): Promise<string[]> {
    const ids = (await this.ctx.redis.eval(LOG_IDS_LUA, 1, this.ctx.keys.userLog(userId))) as string[];
    for await (const page of this.streamPages(this.ctx.keys.userEventIds(userId))) for (const [id] of page) ids.push(id);
    return sortedIds(ids);
  }

  /**
   * Entries of `userIds` in the part of the global log older than users' indexes, by user, in
   * log order: all of the log while no entry was ever indexed, else what lies below the first
   * indexed id (nothing, on a store that had indexes from the start).
   */
  private async legacyEntries(userIds: ReadonlySet<string>): Promise<Map<string, StreamEntry[]>> {
    const { redis, keys } = this.ctx;
    const from = await redis.get(keys.eventsIndexedFrom());
    const found = new Map<string, StreamEntry[]>();
    for await (const page of this.streamPages(keys.events(), from === null ? '+' : `(${from}`)) {
      for (const entry of page) {
        const user = entryField(entry, USER_FIELD);
        if (user === undefined || !userIds.has(user)) continue;
        const mine = found.get(user);
        if (mine) mine.push(entry);
        else found.set(user, [entry]);
      }
    }
    return found;
  }

  /**
   * Removes the head of a stream received before `cutoff`, stopping at the first entry that
   * was not (entries are in receipt order; with clocks that disagree a little, some stay a
   * sweep longer rather than go early). Returns how many went, and the lowest id kept when
   * any went.
   */
  private async trimOlder(key: string, cutoff: number): Promise<{ removed: number; minId?: string }> {
    let keep: string | undefined;
    let last: string | undefined;
    for await (const page of this.streamPages(key)) {
      const first = page.find((e) => entryAt(e) >= cutoff);
      if (first) {
        keep = first[0];
        break;
      }
      last = page[page.length - 1][0];
    }
    const minId = keep ?? (last === undefined ? undefined : nextStreamId(last));
    if (minId === undefined) return { removed: 0 };
    return { removed: await this.ctx.redis.xtrim(key, 'MINID', minId), minId };
  }

  /**
   * Re-encrypts a stream: copies it, rewriting stale events, into `copy`, then swaps the copy
   * in atomically (see SWAP_STREAM_LUA), starting over when an erase or sweep got in between.
   * Returns how many entries were rewritten.
   */
  private async rewriteStream(key: string, copy: string): Promise<number> {
    const { redis, form } = this.ctx;
    for (let attempt = 0; attempt < 5; attempt++) {
      await redis.del(copy);
      let copied = 0;
      let rewritten = 0;
      let last = '0-0';
      for await (const page of this.streamPages(key)) {
        const tx = redis.pipeline();
        for (const entry of page) {
          const [id, fields] = entry;
          const raw = entryEvent(entry);
          const stale = form.stale(raw);
          const out = stale ? resealed(entry, form.event(form.readEvent(raw))) : fields;
          tx.xadd(copy, id, ...fieldArgs(out));
          if (stale) rewritten += 1;
        }
        await execTx(tx, 'reencryptAll');
        copied += page.length;
        last = page[page.length - 1][0];
      }
      if (rewritten === 0) {
        await redis.del(copy);
        return 0;
      }
      if (Number(await redis.eval(SWAP_STREAM_LUA, 2, key, copy, last, copied)) === 1) return rewritten;
    }
    throw new Error(`${key} kept changing under key rotation; run it again`);
  }

  /** A stream's entries up to `end` (a stream id, `(id` for exclusive, default all), in pages. */
  private async *streamPages(key: string, end = '+'): AsyncGenerator<StreamEntry[]> {
    let start = '-';
    for (;;) {
      const page = streamEntries((await this.ctx.redis.xrangeBuffer(key, start, end, 'COUNT', PAGE)) as RawStreamEntry[]);
      if (page.length) yield page;
      if (page.length < PAGE) return;
      start = `(${page[page.length - 1][0]}`;
    }
  }

  private async *userPages(): AsyncGenerator<string[]> {
    for (let at = 0; ; at += PAGE) {
      const users = await this.ctx.redis.zrange(this.ctx.keys.users(), String(at), String(at + PAGE - 1));
      if (users.length) yield users;
      if (users.length < PAGE) return;
    }
  }
}

/**
 * An entry's fields with its event replaced by `stored`: binary where the entry was (its
 * receipt time is the entry's, kept as it was), compact where the entry's log writes compact
 * ones (not a legacy per-user stream), else plain. A binary value is a binary string (see
 * {@link StreamEntry}).
 */
function resealed(entry: StreamEntry, stored: string): string[] {
  const [, fields] = entry;
  const out: string[] = [];
  for (let i = 0; i < fields.length; i += 2) {
    if (fields[i] === BINARY_EVENT_FIELD) {
      const { field, value } = binaryEvent(stored, entryAt(entry));
      out.push(field, typeof value === 'string' ? value : value.toString('latin1'));
    } else if (fields[i] === COMPACT_EVENT_FIELD) {
      const { field, value } = compactEvent(stored);
      out.push(field, value);
    } else out.push(fields[i], fields[i] === EVENT_FIELD ? stored : fields[i + 1]);
  }
  return out;
}

/** READ_PROFILE_LUA's reply read as Buffers: a packed profile stays bytes, a hash's fields become text. */
function profileRead(raw: Buffer | Buffer[]): Buffer | string[] {
  return Array.isArray(raw) ? raw.map(String) : raw;
}

/** Stream ids sorted as Redis orders them, without repeats. */
function sortedIds(ids: readonly string[]): string[] {
  const split = (id: string): [bigint, bigint] => {
    const [ms, seq] = id.split('-');
    return [BigInt(ms), BigInt(seq)];
  };
  const unique = [...new Set(ids)];
  const parsed = new Map(unique.map((id) => [id, split(id)]));
  return unique.sort((a, b) => {
    const [am, as] = parsed.get(a) as [bigint, bigint];
    const [bm, bs] = parsed.get(b) as [bigint, bigint];
    return am !== bm ? (am < bm ? -1 : 1) : as === bs ? 0 : as < bs ? -1 : 1;
  });
}
