import type { AttuneEvent } from '../core/event';
import type { Personalization } from '../core/personalization';
import type { Reply, Turn } from '../core/turn';
import type { WriteBatch } from '../store/store';
import type { Attune } from './attune';

/** Rewrites a reply before it is sent. Must be synchronous and cheap. */
export type ReplyTransform = (reply: Reply, ctx: AttuneContext) => Reply;

/** What a turn changed, written in one pipelined round trip when the turn ends. */
export interface PendingWrites {
  events: AttuneEvent[];
  counters: NonNullable<WriteBatch['counters']>;
  profile: boolean;
  session: boolean;
  segments: boolean;
  /** Events joined the turn after the segment stage ran: evaluate segments again on commit. */
  resegment: boolean;
}

/**
 * The per-turn context every stage receives: the neutral turn, the personalization being
 * built, the writes the turn will make, and the chain of reply transforms (the engine's
 * counterpart of botbuilder's `onSendActivities`).
 */
export class AttuneContext {
  /** Replies as they were sent, after every transform. */
  readonly sent: Reply[] = [];
  /** Writes collected by stages; flushed once after the turn. */
  readonly pending: PendingWrites = { events: [], counters: [], profile: false, session: false, segments: false, resegment: false };
  /** Segments the user was in before this turn. */
  readonly previousSegments: string[];
  /** Private state of stages, keyed by a symbol each stage owns (made on first use). */
  get state(): Map<symbol, unknown> {
    return (this.stageState ??= new Map());
  }

  private stageState?: Map<symbol, unknown>;
  /**
   * True when the turn runs unpersonalized and writes nothing: the user's data could not be
   * read, or the user was erased (see `erased`).
   */
  degraded = false;
  /**
   * True when the user was erased and has not consented again since: adapters must store
   * nothing about them either (ledgers, session entities, caches).
   */
  erased = false;
  private readonly transforms: ReplyTransform[] = [];

  constructor(
    /** The engine. */
    readonly attune: Attune,
    /** The incoming turn. */
    readonly turn: Turn,
    /** What Attune decided for this turn; stages fill it in. */
    readonly personalization: Personalization,
    previousSegments: string[],
  ) {
    this.previousSegments = previousSegments;
    this.initialConsent = { consent: personalization.profile.consent };
  }

  private readonly initialConsent: { consent?: Record<string, boolean> };

  /** Adds a transform run on every reply of this turn, after those added before it. */
  onReply(transform: ReplyTransform): void {
    this.transforms.push(transform);
  }

  /**
   * Passes a reply through every transform and records it as sent. A transform that throws
   * is logged and skipped: the reply still goes out.
   */
  reply(reply: Reply): Reply {
    let out: Reply = { ...reply };
    for (const t of this.transforms) {
      try {
        out = t(out, this);
      } catch (err) {
        this.attune.logger.warn({ err, stage: t.name }, 'attune: a reply transform failed; reply sent without it');
      }
    }
    this.sent.push(out);
    return out;
  }

  /**
   * Whether the user's consent (read at the start of the turn, so a change applies from the
   * next one) allows a purpose: `analytics` for logging, `personalization` for the profile,
   * session memory, segments and personal recommendations.
   */
  allows(purpose: 'analytics' | 'personalization'): boolean {
    return this.attune.allows(this.consentAtStart, purpose);
  }

  /** Consent as it was when the turn began. */
  get consentAtStart(): { consent?: Record<string, boolean> } {
    return this.initialConsent;
  }

  /** Redacts text, once per distinct text per turn (the log and the session both need it). */
  redact(text: string): string {
    const done = (this.redactions ??= new Map());
    let out = done.get(text);
    if (out === undefined) {
      out = this.attune.redactor.redactText(text);
      done.set(text, out);
    }
    return out;
  }

  private redactions?: Map<string, string>;
  private mentionCache?: Map<string, number>;

  /** Catalog categories the incoming text mentions, computed once per turn. */
  get mentions(): Map<string, number> {
    return (this.mentionCache ??= this.turn.text ? this.attune.mentions.categories(this.turn.text) : new Map());
  }

  /**
   * Runs `fn` when the turn is written, after the bot has answered and off its critical path:
   * for work whose result only the store needs (redacting and building log entries).
   */
  defer(fn: () => void): void {
    this.deferred.push(fn);
  }

  /** Runs deferred work once; a failing piece is logged and the rest still runs. */
  runDeferred(): void {
    for (const fn of this.deferred.splice(0)) {
      try {
        fn();
      } catch (err) {
        this.attune.logger.error({ err }, 'attune: deferred turn work failed');
      }
    }
  }

  private readonly deferred: (() => void)[] = [];

  /** Queues an event to be logged with the turn's write. */
  log(event: AttuneEvent): void {
    this.pending.events.push(event);
  }
}
