import type Redis from 'ioredis';
import { monotonicMs, type UserCache } from './redis-cache';
import { endClient } from '../redis-client';
import { withDeadline } from '../redis-exec';

/** The channel Redis publishes invalidations on for RESP2 clients (CLIENT TRACKING … REDIRECT). */
export const INVALIDATE_CHANNEL = '__redis__:invalidate';

/** How often the invalidation connection is pinged, and how long a pong keeps the cache serving. */
export const HEARTBEAT_MS = 1000;
/** See {@link HEARTBEAT_MS}. */
export const LEASE_MS = 3000;

/** What {@link Tracking} keeps current. */
export interface TrackingTarget {
  /** The store's connection, whose reads are cached. */
  redis: Redis;
  /** Where the store's per-user keys start (`<keyPrefix>u:{`), the client's own ioredis keyPrefix excluded. */
  userKeyPrefix: string;
  cache: UserCache;
}

/**
 * Keeps a {@link UserCache} current with Redis server-assisted client-side caching (Redis ≥ 6),
 * the RESP2 way, which any server and ioredis's pub/sub support:
 *
 * - a second connection (`redis.duplicate()`, RESP2: ioredis drops RESP3 `invalidate` pushes)
 *   subscribes to `__redis__:invalidate`;
 * - the store's connection runs `CLIENT TRACKING on REDIRECT <that connection's id> NOLOOP`:
 *   Redis then remembers every key the connection reads (the read script's keys included) and
 *   reports the next change to it by any other connection; NOLOOP leaves out the store's own
 *   changes, which it applies to the cache itself (write-through) or drops (erase, sweep, key
 *   rotation). A change untracks the key, so the write script ends by reading the snapshot
 *   keys it wrote (EXISTS), which tracks them again;
 * - a reported key of a snapshot part (`<prefix>u:{…}:profile`, `…:segments`, `…:s:<id>`)
 *   drops its user; other keys (event logs, counters, cache entries, indexes) change no
 *   snapshot; a flush (null message) drops everything.
 *
 * Why not broadcasting mode (BCAST PREFIX), which needs no tracking table on the server:
 * Redis 7.0 files a key changed inside a Lua script under the script's own client, so NOLOOP
 * does not recognize the store's writes (one script call each) and every write would come
 * back as an invalidation and drop what it had just cached. Default mode checks NOLOOP
 * against the calling connection. Its cost is on the server: a tracking table of the keys
 * read, bounded by `tracking-table-max-keys` (past it Redis invalidates keys to make room,
 * which only costs misses). On a server where NOLOOP misses script writes too (6.0), the
 * cache stays correct, with fewer hits.
 *
 * The cache serves only while all of that is confirmed: it starts empty once the subscription
 * and CLIENT TRACKING have both answered, and is cleared and bypassed on any sign of trouble
 * (either connection closing, reconnecting or erring; a setup step failing), until both are
 * re-established (tracking does not survive a reconnect: it is turned on again at each
 * `ready` of either connection). A server without CLIENT TRACKING (an error reply) leaves the
 * cache off for good: reads go to Redis as they would without it.
 *
 * A connection can also die silently (a half-open TCP connection reports nothing), and with
 * it the invalidations. So every {@link HEARTBEAT_MS} the subscriber is pinged and the store's
 * connection asked whether tracking is still on towards it (see `tick`): the pong comes after
 * every invalidation Redis sent before the ping (one connection, in order), so the cache is
 * known current as of the ping, and may serve for {@link LEASE_MS} from it. Without answers
 * it stops serving (and resumes when they come back on the same connections, which lost
 * nothing: a new connection starts over, empty). A silent failure thus costs at most that
 * long of possibly stale reads, and a busy event loop costs only hits.
 */
export class Tracking {
  private sub: Redis | undefined;
  /** Bumped whenever either connection's state changes: a setup that sees it move gives up. */
  private generation = 0;
  /** The subscriber's client id while it is subscribed. */
  private subId: string | undefined;
  private enabling = false;
  private pinging = false;
  private heartbeat: NodeJS.Timeout | undefined;
  private stopped = false;
  /** The server refused tracking (too old, or CLIENT not allowed): the cache stays off. */
  private unsupported = false;
  /** Redis 6.0: no CLIENT TRACKINGINFO, so the heartbeat pings the store's connection instead. */
  private noTrackingInfo = false;
  private readonly fullPrefix: string;
  private readonly listeners: [string, () => void][];

  constructor(private readonly target: TrackingTarget) {
    const { redis } = target;
    this.fullPrefix = (redis.options.keyPrefix ?? '') + target.userKeyPrefix;
    const lost = () => this.lost();
    this.listeners = [
      ['ready', () => this.mainReady()],
      ['close', lost],
      // Ended for good (disconnected by its owner, or out of retries): the subscriber goes too,
      // so that a client the store was given and its owner ended holds no connection open.
      ['end', () => this.mainEnded()],
      ['reconnecting', lost],
      ['error', lost],
    ];
    for (const [event, fn] of this.listeners) redis.on(event, fn);
    if (redis.status === 'ready') this.mainReady();
  }

  /** Stops tracking: the cache is cleared and stays off; the subscriber closes, tracking is turned off. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.lost();
    const { redis } = this.target;
    for (const [event, fn] of this.listeners) redis.off(event, fn);
    this.closeSubscriber();
    // A client the store was given lives on: leave it as it was found. For a second at most:
    // on a connection gone silent the answer would wait for the socket timeout.
    if (redis.status === 'ready' && !this.unsupported) await withDeadline('CLIENT TRACKING off', redis.call('CLIENT', 'TRACKING', 'off'), 1000).catch(() => undefined);
  }

  /**
   * Something happened (a connection closed, is reconnecting, or reported an error): stop
   * serving at once. What is still up is set up again by the next `ready` or heartbeat.
   */
  private lost(): void {
    this.generation += 1;
    this.target.cache.deactivate();
  }

  private mainEnded(): void {
    this.lost();
    this.closeSubscriber();
  }

  private closeSubscriber(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    const sub = this.sub;
    this.sub = undefined;
    this.subId = undefined;
    if (sub) endClient(sub);
  }

  private mainReady(): void {
    if (this.stopped || this.unsupported) return;
    this.lost();
    if (!this.sub) this.openSubscriber();
    // Fire and forget: enable() catches every failure; the heartbeat retries.
    else void this.enable();
  }

  private openSubscriber(): void {
    // RESP2: under RESP3 Redis sends invalidations as pushes, which ioredis does not surface.
    const sub = this.target.redis.duplicate({ protocol: 2, replyMapping: 'legacy', autoResubscribe: false, enableOfflineQueue: false, lazyConnect: false, keyPrefix: '' });
    this.sub = sub;
    const gone = () => {
      if (this.sub !== sub) return;
      this.subId = undefined;
      this.lost();
    };
    sub.on('close', gone);
    sub.on('end', gone);
    sub.on('reconnecting', gone);
    sub.on('error', () => {
      if (this.sub === sub) this.lost();
    });
    sub.on('ready', () => void this.subscribe(sub));
    sub.on('messageBuffer', (channel: Buffer, message: unknown) => this.invalidate(channel, message));
    this.heartbeat = setInterval(() => this.tick(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** The subscriber (re)connected: learn its id, subscribe, then turn tracking on. */
  private async subscribe(sub: Redis): Promise<void> {
    if (this.stopped || this.sub !== sub) return;
    this.subId = undefined;
    this.lost();
    try {
      // CLIENT ID first: a RESP2 connection in subscriber mode takes no other commands.
      const id = String(await sub.client('ID'));
      await sub.subscribe(INVALIDATE_CHANNEL);
      if (this.sub !== sub || sub.status !== 'ready') return;
      this.subId = id;
      await this.enable();
    } catch {
      // The connection went (its events deal with it), or it is in a state we cannot tell:
      // start it afresh, its next `ready` subscribes again.
      if (this.sub === sub && !this.stopped && sub.status === 'ready') sub.disconnect(true);
    }
  }

  /**
   * Turns tracking on on the store's connection, redirected to the subscriber; once Redis
   * answers OK with nothing having moved meanwhile, the cache serves (from empty).
   */
  private async enable(): Promise<void> {
    const { redis, cache } = this.target;
    const id = this.subId;
    if (this.stopped || this.unsupported || this.enabling || id === undefined || redis.status !== 'ready') return;
    this.enabling = true;
    const generation = this.generation;
    const sentAt = monotonicMs();
    try {
      // Off first, on next, back to back (a pipeline writes both at once): tracking may be on
      // already, redirected to an older subscriber or in another mode.
      const replies = await redis.pipeline().client('TRACKING', 'OFF').client('TRACKING', 'ON', 'REDIRECT', id, 'NOLOOP').exec();
      const failed = replies?.find(([err]) => err)?.[0];
      if (failed) throw failed;
      // Every command the store's connection runs from here on is tracked; reads sent before
      // may not have been, and none of them is cached (activate starts a new epoch).
      if (generation === this.generation && !this.stopped && this.subId === id && String(replies?.[1]?.[1]) === 'OK') cache.activate(sentAt + LEASE_MS);
    } catch (e) {
      cache.deactivate();
      if (isRefusal(e)) {
        // The server has no CLIENT TRACKING (Redis < 6) or does not let us use it: stay off.
        this.unsupported = true;
        // Not awaited inside enable(): stop() never rejects (it ignores a failing TRACKING off).
        void this.stop();
      }
      // Anything else (a connection going, a redirect to a subscriber that just went): the
      // connections' events or the heartbeat set it up again.
    } finally {
      this.enabling = false;
    }
  }

  /**
   * Every {@link HEARTBEAT_MS}: proves tracking live to renew the lease, and sets it up again
   * if something turned it off while both connections stayed up (an error event, a failed
   * setup). Live means, for the same moment: the subscriber answers a PING (so every
   * invalidation sent before it has arrived: one connection, in order), and the store's
   * connection answers CLIENT TRACKINGINFO with tracking on, redirected to that subscriber
   * (PING on Redis 6.0, which lacks TRACKINGINFO).
   */
  private tick(): void {
    const { redis, cache } = this.target;
    const sub = this.sub;
    const id = this.subId;
    if (!sub || id === undefined || sub.status !== 'ready' || redis.status !== 'ready') return;
    if (!cache.active) {
      // Fire and forget: enable() catches every failure; the next heartbeat retries.
      void this.enable();
      return;
    }
    if (this.pinging) return;
    const generation = this.generation;
    const sentAt = monotonicMs();
    this.pinging = true;
    const main = this.noTrackingInfo ? redis.ping().then(() => true) : redis.client('TRACKINGINFO').then((info) => trackingLive(info, id));
    Promise.all([sub.ping(), main.catch((e: unknown) => this.trackingInfoRefused(e))]).then(
      ([, live]) => {
        this.pinging = false;
        if (generation !== this.generation) return;
        if (live) cache.renew(sentAt + LEASE_MS);
        else this.lost(); // the next tick sets it up again
      },
      () => {
        this.pinging = false;
      },
    );
  }

  /** TRACKINGINFO failed: on Redis 6.0 (no such subcommand) fall back to PING; else not proven live. */
  private trackingInfoRefused(e: unknown): boolean {
    if (isRefusal(e)) this.noTrackingInfo = true;
    return false;
  }

  private invalidate(channel: Buffer, message: unknown): void {
    if (channel.toString() !== INVALIDATE_CHANNEL) return;
    const { cache } = this.target;
    if (!Array.isArray(message)) {
      // FLUSHDB / FLUSHALL (a null message), or a shape we do not know: anything may have changed.
      cache.clear();
      return;
    }
    for (const raw of message as unknown[]) {
      const user = snapshotUser(String(raw), this.fullPrefix);
      if (user === null) cache.clear();
      else if (user !== undefined) cache.drop(user);
    }
  }
}

/**
 * Whose snapshot a changed key belongs to: the user id for a profile, segments or session key;
 * undefined for a key that changes no snapshot (event log, per-user cache entry, index, any
 * key outside the per-user prefix); null for a per-user key this store cannot read (which
 * drops everything, to be safe).
 */
export function snapshotUser(key: string, prefix: string): string | null | undefined {
  if (!key.startsWith(prefix)) return undefined;
  const close = key.indexOf('}', prefix.length);
  if (close < 0 || key[close + 1] !== ':') return null;
  const part = key.slice(close + 2);
  if (part !== 'profile' && part !== 'segments' && !part.startsWith('s:')) return undefined;
  // Reverses hashTag: `%`, `{` and `}` are the only characters it escapes.
  return key.slice(prefix.length, close).replace(/%(25|7B|7D)/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Whether CLIENT TRACKINGINFO says tracking is on, redirected to `subId`, and not broken. */
export function trackingLive(info: unknown, subId: string): boolean {
  if (!Array.isArray(info)) return false;
  const field = (name: string): unknown => {
    const at = info.findIndex((v, i) => i % 2 === 0 && String(v) === name);
    return at < 0 ? undefined : info[at + 1];
  };
  const flags = field('flags');
  const list = Array.isArray(flags) ? flags.map(String) : [];
  return list.includes('on') && !list.includes('broken_redirect') && String(field('redirect')) === subId;
}

/**
 * Whether Redis refused CLIENT TRACKING for good: an unknown command or subcommand (Redis < 6,
 * or a proxy), or no permission. Other error replies (a redirect to a subscriber that just
 * went, a server still loading) pass.
 */
function isRefusal(e: unknown): boolean {
  return e instanceof Error && e.name === 'ReplyError' && /unknown (sub)?command|NOPERM|not allowed|disabled/i.test(e.message);
}
