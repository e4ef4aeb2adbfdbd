import type { Logger } from 'pino';
import type { Clock } from '../core/clock';
import type { AttuneEvent } from '../core/event';
import type { Personalization, ToneName } from '../core/personalization';
import type { Reply, Turn } from '../core/turn';
import { consentAllows } from '../events/apply';
import type { ExperimentRegistry } from '../experiments/registry';
import type { ConsentPolicy } from '../privacy/consent';
import type { Redactor } from '../privacy/redact';
import type { MentionMatcher } from '../profiles/mentions';
import type { RecommendationService } from '../recommend/service';
import type { Segments } from '../segments/segments';
import type { PropensityService } from '../predict/serving';
import type { ToneTemplatesByLanguage } from '../tone/locales';
import { TurnEffects } from './effects';

/** Rewrites a reply before it is sent. Must be synchronous and cheap. */
export type ReplyTransform<F extends object = object> = (reply: Reply, ctx: AttuneContext<F>) => Reply;

/**
 * What a stage may use of the engine: read-only services, no engine methods to call back.
 * Stage options default to these (a stage given its own `definitions` or `templates` uses
 * those instead).
 */
export interface TurnServices {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly redactor: Redactor;
  /** Catalog categories mentioned in a text. */
  readonly mentions: MentionMatcher;
  /** The served recommender (model, popularity snapshot). */
  readonly recommendations: RecommendationService;
  /** The served propensity model (predicts nothing without one), for the predict stage. */
  readonly predictions?: PropensityService;
  /** The engine's segment definitions, which ingestion applies too. */
  readonly segments: Segments;
  /** Tone templates per language (`en`, `de`, `es`, `fr`), the engine's overrides merged in. */
  readonly tones: ToneTemplatesByLanguage;
  readonly defaultTone: ToneName;
  readonly consentPolicy: ConsentPolicy;
  /** The experiments that run (config and posted), for the experiment stage. */
  readonly experiments: ExperimentRegistry;
}

/**
 * The per-turn context every stage receives: the neutral turn, the personalization being
 * built (with what stages add to it, the flavor `F`), the effects the turn will write, and the
 * chain of reply transforms (the engine's counterpart of botbuilder's `onSendActivities`).
 *
 * ```ts
 * type LoyaltyFlavor = { loyalty: 'gold' | 'none' };
 * const loyalty: Stage<LoyaltyFlavor> = async (ctx, next) => {
 *   ctx.personalization.loyalty = ctx.personalization.profile.orders > 10 ? 'gold' : 'none';
 *   await next();
 * };
 * ```
 */
export class AttuneContext<F extends object = object> {
  /** Replies as they were sent, after every transform. */
  readonly sent: Reply[] = [];
  /** What the turn writes, emitted by stages; written once, after the bot has answered. */
  readonly effects: TurnEffects;
  /** Segments the user was in before this turn. */
  readonly previousSegments: readonly string[];
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
  /** What Attune decided for this turn; stages fill it in. */
  readonly personalization: Personalization & Partial<F>;
  private readonly transforms: ReplyTransform<F>[] = [];
  private readonly initialConsent: { consent?: Record<string, boolean> };
  private readonly deferred: (() => void)[] = [];
  private stageState?: Map<symbol, unknown>;
  private redactions?: Map<string, string>;
  private forgotten?: Map<string, string>;
  private mentionCache?: Map<string, number>;

  constructor(
    /** What stages may use of the engine. */
    readonly services: TurnServices,
    /** The incoming turn. */
    readonly turn: Turn,
    personalization: Personalization,
    previousSegments: readonly string[],
  ) {
    this.personalization = personalization as Personalization & Partial<F>;
    this.previousSegments = previousSegments;
    this.initialConsent = { consent: personalization.profile.consent };
    this.effects = new TurnEffects(personalization);
  }

  /** Private state of stages, keyed by a symbol each stage owns (made on first use). */
  get state(): Map<symbol, unknown> {
    return (this.stageState ??= new Map());
  }

  /** Adds a transform run on every reply of this turn, after those added before it. */
  onReply(transform: ReplyTransform<F>): void {
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
        this.services.logger.warn({ err, stage: t.name }, 'attune: a reply transform failed; reply sent without it');
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
    return consentAllows(this.initialConsent, purpose, this.services.consentPolicy);
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
      out = this.services.redactor.redactText(text);
      for (const [value, placeholder] of this.forgotten ?? []) out = out.split(value).join(placeholder);
      done.set(text, out);
    }
    return out;
  }

  /**
   * Marks a value this turn's replies may say but nothing may keep (the user's name from the
   * channel, say): {@link redact} replaces it with `placeholder` from now on.
   */
  forget(value: string, placeholder = '<NAME>'): void {
    if (!value) return;
    (this.forgotten ??= new Map()).set(value, placeholder);
    this.redactions?.clear();
  }

  /** Catalog categories the incoming text mentions, computed once per turn. */
  get mentions(): Map<string, number> {
    return (this.mentionCache ??= this.turn.text ? this.services.mentions.categories(this.turn.text) : new Map());
  }

  /** The time now, as ISO 8601. */
  now(): string {
    return new Date(this.services.clock()).toISOString();
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
        this.services.logger.error({ err }, 'attune: deferred turn work failed');
      }
    }
  }

  /** Queues an event to be logged with the turn's write (`effects.log`). */
  log(event: AttuneEvent): void {
    this.effects.log(event);
  }
}
