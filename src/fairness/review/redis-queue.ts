import type Redis from 'ioredis';
import { StoreError } from '../../core/errors';
import { endClient } from '../../store/redis-client';
import { execTx, guard } from '../../store/redis-exec';
import {
  checkEntryId,
  checkQuery,
  checkRequests,
  checkVerdict,
  decidedAlready,
  REVIEW_STATUSES,
  type ReviewEntry,
  ReviewEntrySchema,
  type ReviewQuery,
  type ReviewQueue,
  type ReviewRequest,
  type ReviewStatus,
  type ReviewVerdict,
  reviewEntryId,
} from './queue';

/** Options of {@link RedisReviewQueue}. */
export interface RedisReviewQueueOptions {
  /** `redis://` or `rediss://` URL of a client the queue opens (and closes) itself. */
  url?: string;
  /** An existing client instead; the queue never closes a client it was given. */
  redis?: Redis;
  /** Put before every key (default `attune:`, the store's), so the queue sits beside the store's data. */
  keyPrefix?: string;
  /** How long one call waits for Redis before failing with a StoreError (default 1000 ms). */
  commandTimeoutMs?: number;
}

// One item's request, atomically: a new entry joins the pending set; a known one counts up.
const REQUEST = `
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HINCRBY', KEYS[1], 'requestCount', ARGV[5])
else
  redis.call('HSET', KEYS[1], 'id', ARGV[1], 'itemId', ARGV[2], 'reason', ARGV[3], 'firstRequestedAt', ARGV[4], 'requestCount', ARGV[5], 'status', 'pending')
  redis.call('ZADD', KEYS[2], ARGV[6], ARGV[1])
end
return redis.call('HGETALL', KEYS[1])`;

// A decision, atomically: the entry moves between the status sets, and the approved-item set follows.
const DECIDE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local sets = { pending = KEYS[2], approved = KEYS[3], rejected = KEYS[4] }
local id = redis.call('HGET', KEYS[1], 'id')
local item = redis.call('HGET', KEYS[1], 'itemId')
local old = redis.call('HGET', KEYS[1], 'status')
if ARGV[6] ~= '' and old ~= ARGV[6] then return { 'conflict', old } end
local score = redis.call('ZSCORE', sets[old] or KEYS[2], id) or '0'
if sets[old] then redis.call('ZREM', sets[old], id) end
redis.call('ZADD', sets[ARGV[1]], score, id)
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'decidedBy', ARGV[2], 'decidedAt', ARGV[3])
if ARGV[4] == '1' then redis.call('HSET', KEYS[1], 'note', ARGV[5]) else redis.call('HDEL', KEYS[1], 'note') end
if ARGV[1] == 'approved' then redis.call('SADD', KEYS[5], item) else redis.call('SREM', KEYS[5], item) end
return redis.call('HGETALL', KEYS[1])`;

/** ioredis, loaded on first use (as the store does): an app on memory never pays for it. */
function ioredis(): typeof Redis {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('ioredis') as { default: typeof Redis }).default;
}

/**
 * The review queue on Redis, shared by every replica and by `attune review`. Each entry is a
 * hash; a sorted set per status orders the entries by first request; a set holds the approved
 * item ids, which serving caches. Every key carries the `{review}` hash tag, so the scripts run
 * on Redis Cluster too.
 *
 * ```ts
 * const queue = new RedisReviewQueue({ url: process.env.ATTUNE_REDIS_URL });
 * await queue.list({ status: 'pending' });
 * ```
 */
export class RedisReviewQueue implements ReviewQueue {
  readonly kind = 'redis';
  private readonly redis: Redis;
  private readonly owned: boolean;
  private readonly base: string;
  private readonly deadline: number;

  constructor(options: RedisReviewQueueOptions = {}) {
    this.owned = !options.redis;
    this.redis = options.redis ?? this.open(options.url ?? process.env.ATTUNE_REDIS_URL ?? 'redis://127.0.0.1:6379');
    this.base = `${options.keyPrefix ?? 'attune:'}{review}:`;
    this.deadline = options.commandTimeoutMs ?? 1000;
  }

  async request(requests: readonly ReviewRequest[], at: string): Promise<ReviewEntry[]> {
    const checked = checkRequests(requests, at);
    if (!checked.length) return [];
    // One script call per distinct item: repeats within the call are summed first.
    const merged = new Map<string, ReviewRequest & { count: number }>();
    for (const r of checked) {
      const known = merged.get(r.itemId);
      if (known) known.count += r.count ?? 1;
      else merged.set(r.itemId, { ...r, count: r.count ?? 1 });
    }
    const tx = this.redis.pipeline();
    for (const r of merged.values()) {
      const id = reviewEntryId(r.itemId);
      tx.eval(REQUEST, 2, this.entryKey(id), this.statusKey('pending'), id, r.itemId, r.reason, at, String(r.count), String(Date.parse(at)));
    }
    const replies = await execTx(tx, 'review request', this.deadline);
    const byItem = new Map<string, ReviewEntry>();
    for (const reply of replies) {
      const entry = this.entryOf(reply);
      if (entry) byItem.set(entry.itemId, entry);
    }
    return checked.map((r) => {
      const entry = byItem.get(r.itemId);
      if (!entry) throw new StoreError('redis review request returned no entry');
      return entry;
    });
  }

  async get(id: string): Promise<ReviewEntry | null> {
    checkEntryId(id);
    const fields = await guard('review get', () => this.redis.hgetall(this.entryKey(id)), this.deadline);
    return this.entryOf(fields);
  }

  async list(query?: ReviewQuery): Promise<ReviewEntry[]> {
    const { status, limit } = checkQuery(query);
    const statuses = status ? [status] : REVIEW_STATUSES;
    const ids = await guard('review list', () => Promise.all(statuses.map((s) => this.redis.zrange(this.statusKey(s), '0', String(limit - 1), 'WITHSCORES'))), this.deadline);
    // Each status's page is in order already; several are merged as the memory queue sorts.
    const ranked: { id: string; score: number }[] = [];
    for (const flat of ids) for (let i = 0; i < flat.length; i += 2) ranked.push({ id: flat[i], score: Number(flat[i + 1]) });
    ranked.sort((a, b) => a.score - b.score || (a.id < b.id ? -1 : 1));
    const page = ranked.slice(0, limit);
    if (!page.length) return [];
    const tx = this.redis.pipeline();
    for (const { id } of page) tx.hgetall(this.entryKey(id));
    const replies = await execTx(tx, 'review list', this.deadline);
    return replies.map((r) => this.entryOf(r)).filter((e): e is ReviewEntry => e !== null);
  }

  async decide(id: string, verdict: ReviewVerdict): Promise<ReviewEntry | null> {
    checkEntryId(id);
    const v = checkVerdict(verdict);
    const keys = [this.entryKey(id), ...REVIEW_STATUSES.map((s) => this.statusKey(s)), this.approvedKey()];
    const reply = await guard('review decide', () => this.redis.eval(DECIDE, String(keys.length), ...keys, v.status, v.by, v.at, v.note === undefined ? '0' : '1', v.note ?? '', v.expect ?? ''), this.deadline);
    if (Array.isArray(reply) && reply.length === 2 && reply[0] === 'conflict') throw decidedAlready({ id, status: String(reply[1]) as ReviewStatus });
    return this.entryOf(reply);
  }

  async approvedItems(): Promise<string[]> {
    return guard('review approved items', () => this.redis.smembers(this.approvedKey()), this.deadline);
  }

  async counts(): Promise<Record<ReviewStatus, number>> {
    const tx = this.redis.pipeline();
    for (const s of REVIEW_STATUSES) tx.zcard(this.statusKey(s));
    const replies = await execTx(tx, 'review counts', this.deadline);
    return { pending: Number(replies[0]), approved: Number(replies[1]), rejected: Number(replies[2]) };
  }

  async close(): Promise<void> {
    if (!this.owned) return;
    try {
      await this.redis.quit();
    } catch {
      // Not connected: nothing to flush, end it now.
      endClient(this.redis);
    }
  }

  private open(url: string): Redis {
    const IORedis = ioredis();
    // Off the turn path (background enqueues and refreshes, admin calls): one retry is enough.
    const client = new IORedis(url, { maxRetriesPerRequest: 1, retryStrategy: (times) => Math.min(100 * times, 1000) });
    // Failures reach callers as StoreErrors; without a listener ioredis prints every reconnect attempt.
    client.on('error', () => undefined);
    return client;
  }

  private entryKey(id: string): string {
    return `${this.base}e:${id}`;
  }

  private statusKey(status: ReviewStatus): string {
    return `${this.base}s:${status}`;
  }

  private approvedKey(): string {
    return `${this.base}approved`;
  }

  /** An entry read back, validated: a damaged record is a StoreError, never a bad value passed on. */
  private entryOf(reply: unknown): ReviewEntry | null {
    let fields: Record<string, string>;
    if (Array.isArray(reply)) {
      fields = {};
      for (let i = 0; i + 1 < reply.length; i += 2) fields[String(reply[i])] = String(reply[i + 1]);
    } else if (reply && typeof reply === 'object') {
      fields = reply as Record<string, string>;
    } else {
      return null;
    }
    if (!Object.keys(fields).length) return null;
    const parsed = ReviewEntrySchema.safeParse({ ...fields, requestCount: Number(fields.requestCount) });
    if (!parsed.success) throw new StoreError(`redis review entry is damaged: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    return parsed.data;
  }
}
