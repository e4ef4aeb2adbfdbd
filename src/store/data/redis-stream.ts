import type Redis from 'ioredis';
import { ValidationError } from '../../core/errors';
import { endClient } from '../redis-client';
import { guard } from '../redis-exec';
import { entryEvent, streamEntries, streamEntry, type RawStreamEntry, type RedisKeys } from '../redis-layout';
import type { StoredForm } from '../sealed';
import type { ClaimedEvent, GroupRead, GroupStart, PendingSummary, StaleClaim, StreamedEvent } from '../store';

/**
 * Moves entries pending longer than the idle time to a consumer, oldest first, with how many
 * times each was delivered: XAUTOCLAIM, repeated while it reports more of the pending list
 * to scan (it scans at most ten times COUNT per call), then XPENDING for each entry's count.
 * Entries deleted from the stream (erased, swept) are dropped from the pending list by
 * XAUTOCLAIM itself (Redis ≥ 7) or come back as nil (6.2), and are skipped here.
 * KEYS: the stream. ARGV: group, consumer, min idle ms, count.
 * Returns `[id, fields, deliveries]` triples.
 */
export const CLAIM_STALE_LUA = `
local want = tonumber(ARGV[4])
local out = {}
local start = '0-0'
repeat
  local r = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], start, 'COUNT', want - #out)
  start = r[1]
  for _, e in ipairs(r[2]) do
    if e then
      local p = redis.call('XPENDING', KEYS[1], ARGV[1], e[1], e[1], 1)
      out[#out + 1] = { e[1], e[2], p[1][4] }
    end
  end
until start == '0-0' or #out >= want
return out
`;

/** What {@link RedisStream} works with: the store's client, layout and stored form. */
export interface RedisStreamContext {
  redis: Redis;
  keys: RedisKeys;
  form: StoredForm;
}

/**
 * The Redis side of the EventStream role: consumer groups on the global event log's stream
 * (`<prefix>events`, written by the turn's write script), so workers read exactly what the
 * log holds, and what erasure (XDEL) and retention (XTRIM) take out is never handed to them.
 *
 * A read with `blockMs` waits on a connection of its own (XREADGROUP BLOCK holds its
 * connection for as long as it waits, and the store's connection serves turns), opened on
 * first use without a socket timeout (a blocked read receives nothing for as long as it
 * waits, which is not a dead connection). Blocked reads of one store take turns on it.
 */
export class RedisStream {
  private blocking: Redis | undefined;
  private closed = false;

  constructor(private readonly ctx: RedisStreamContext) {}

  async ensureGroup(group: string, options: GroupStart = {}): Promise<void> {
    const { redis, keys } = this.ctx;
    await guard('ensureGroup', async () => {
      try {
        // MKSTREAM: a group can be made before the first event is written.
        await redis.xgroup('CREATE', keys.events(), group, options.from === 'start' ? '0' : '$', 'MKSTREAM');
      } catch (e) {
        if (!/^BUSYGROUP/.test(errorText(e))) throw e;
      }
    });
  }

  async readGroup(group: string, consumer: string, options: GroupRead): Promise<StreamedEvent[]> {
    const { keys, form } = this.ctx;
    return guard('readGroup', () =>
      noGroup(group, async () => {
        const { count, blockMs } = options;
        const client = blockMs === undefined ? this.ctx.redis : this.blocker();
        let reply: unknown;
        try {
          reply =
            blockMs === undefined
              ? await client.xreadgroupBuffer('GROUP', group, consumer, 'COUNT', count, 'STREAMS', keys.events(), '>')
              : await client.xreadgroupBuffer('GROUP', group, consumer, 'COUNT', count, 'BLOCK', blockMs, 'STREAMS', keys.events(), '>');
        } catch (e) {
          // The store closed while the read waited: it answers as an empty wait would.
          if (this.closed && client !== this.ctx.redis) return [];
          throw e;
        }
        // Buffers: binary event values must reach streamEntries as the bytes they are.
        const entries = streamEntries((reply as [key: Buffer, entries: RawStreamEntry[]][] | null)?.[0]?.[1] ?? []);
        return entries.map((entry) => ({ id: entry[0], event: form.readEvent(entryEvent(entry)) }));
      }),
    );
  }

  async ack(group: string, ids: readonly string[]): Promise<number> {
    if (!ids.length) return 0;
    return guard('ack', () => this.ctx.redis.xack(this.ctx.keys.events(), group, ...ids));
  }

  async claimStale(group: string, consumer: string, options: StaleClaim): Promise<ClaimedEvent[]> {
    const { redis, keys, form } = this.ctx;
    return guard('claimStale', () =>
      noGroup(group, async () => {
        const claimed = (await redis.callBuffer('EVAL', CLAIM_STALE_LUA, 1, keys.events(), group, consumer, options.minIdleMs, options.count)) as [Buffer, Buffer[], number][];
        return claimed.map(([id, fields, deliveries]) => {
          const entry = streamEntry([id, fields]);
          return { id: entry[0], event: form.readEvent(entryEvent(entry)), deliveries: Number(deliveries) };
        });
      }),
    );
  }

  async pending(group: string): Promise<PendingSummary> {
    const { redis, keys } = this.ctx;
    return guard('pending', () =>
      noGroup(group, async () => {
        const [count, lowest, highest, consumers] = (await redis.xpending(keys.events(), group)) as [number, string | null, string | null, [string, string][] | null];
        const byName = (consumers ?? []).map(([name, n]) => ({ name, count: Number(n) }));
        return Number(count) > 0 && lowest && highest ? { count: Number(count), lowest, highest, consumers: byName } : { count: 0, consumers: byName };
      }),
    );
  }

  /** Ends the blocking connection, if one was opened; a read waiting on it answers empty. */
  close(): void {
    this.closed = true;
    if (this.blocking) endClient(this.blocking);
  }

  private blocker(): Redis {
    if (!this.blocking) {
      this.blocking = this.ctx.redis.duplicate({ socketTimeout: undefined });
      // Failures reach the caller of the read; unheard, ioredis would print each reconnect.
      this.blocking.on('error', () => undefined);
    }
    return this.blocking;
  }
}

/** Runs `fn`, turning Redis's NOGROUP (no such group, or no stream yet) into a ValidationError. */
async function noGroup<T>(group: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (/NOGROUP/.test(errorText(e))) throw new ValidationError(`no consumer group "${group}": call ensureGroup first`);
    throw e;
  }
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));
