import { randomUUID } from 'node:crypto';
import pino, { type Logger } from 'pino';
import { Catalog, type CatalogItem } from '../core/catalog';
import { type Clock, systemClock } from '../core/clock';
import { compose, type Middleware } from '../core/compose';
import { AttuneEvents, INTEREST_WEIGHTS, productsOf } from '../core/ecommerce';
import { StoreError, ValidationError } from '../core/errors';
import { type AttuneEvent, type EventInput, normalizeBatch, normalizeEvent } from '../core/event';
import type { Personalization, Recommendation, ToneName } from '../core/personalization';
import type { Profile } from '../core/profile';
import { emptyProfile } from '../core/profile';
import { addOwn, own } from '../core/own';
import { emptySession } from '../core/session';
import type { Turn } from '../core/turn';
import { allows, consentFromEvent, mergeConsent, type Consent, type ConsentPolicy, type Purpose } from '../privacy/consent';
import type { KeyRing } from '../privacy/keyring';
import { idKeyRingFromEnv, pseudonymize, pseudonymsOf } from '../privacy/pseudonym';
import { createRedactor, type Redactor, type RedactorOptions } from '../privacy/redact';
import { applyEvent } from '../profiles/update';
import { createMentionMatcher, type MentionMatcher } from '../profiles/mentions';
import { createRecommender, loadRecommender, type ModelKind } from '../recommend/models';
import type { FitOptions, ModelArtifact, Recommender } from '../recommend/recommender';
import { interactionsFromLog, itemFeatures } from '../recommend/training';
import { popularityCounter, RecommendationService, type ScoreWeights } from '../recommend/service';
import { Segments, type SegmentDefinition } from '../segments/segments';
import { MemoryStore } from '../store/memory';
import type { Store, UserSnapshot, WriteBatch } from '../store/store';
import { DEFAULT_TEMPLATES, type ToneTemplate } from '../tone/templates';
import { AttuneContext } from './context';
import { type Actor, eraseUser, exportUser, type UserDataExport } from './rights';
import { UserLock } from './user-lock';

/** Name under which trained recommenders are versioned in the store. */
export const RECOMMENDER_ARTIFACT = 'recommender';

/** Options of {@link Attune.train}. */
export interface TrainOptions extends FitOptions {
  /** Model kind (default `itemknn`, item co-occurrence). */
  kind?: ModelKind;
  params?: Record<string, unknown>;
}

/** What a training run produced. */
export interface TrainResult {
  kind: string;
  /** Artifact version saved in the store. */
  version: number;
  interactions: number;
  users: number;
  items: number;
}

/** A turn stage: middleware over the engine's per-turn context. */
export type Stage = Middleware<AttuneContext>;

/** Everything configurable; every option has a default. */
export interface AttuneOptions {
  /** Where data lives (default: a new MemoryStore). */
  store?: Store;
  /** Items to recommend: a Catalog or raw items (validated). */
  catalog?: Catalog | readonly CatalogItem[];
  /** Segment definitions (default: DEFAULT_SEGMENTS). */
  segments?: readonly SegmentDefinition[];
  /** Tone templates, merged over the defaults per tone. */
  tones?: Partial<Record<ToneName, ToneTemplate>>;
  /** Tone when nothing else decides (default `neutral`). */
  defaultTone?: ToneName;
  /** A trained recommender to serve. */
  recommender?: Recommender;
  /** Weights of model, affinity and popularity in a recommendation's score. */
  scoreWeights?: Partial<ScoreWeights>;
  /** PII redaction applied to everything logged. */
  redaction?: RedactorOptions;
  /**
   * Keys of the pseudonymous ids: every user id is replaced by a keyed HMAC before it reaches
   * the store (default: from ATTUNE_ID_KEY, with a logged warning and a development key when
   * unset). `false` keeps raw ids: only for tests and tools that must read them.
   */
  idKeys?: KeyRing | false;
  /**
   * Whether users who never said anything about consent are treated as consenting (`opt-out`,
   * the default, so a demo personalizes at once) or not (`opt-in`, what the GDPR expects in
   * the EU for personalization and analytics).
   */
  consentPolicy?: ConsentPolicy;
  /**
   * Write each turn after the bot has answered without making the turn wait for it (default
   * true). Set false where the process may be frozen right after a response (serverless).
   */
  deferWrites?: boolean;
  /** pino logger (default: level from ATTUNE_LOG_LEVEL, silent under test). */
  logger?: Logger;
  clock?: Clock;
}

/** What happened to ingested events. */
export interface IngestResult {
  /** Message ids stored. */
  accepted: string[];
  /** Message ids already seen, dropped. */
  duplicates: string[];
}

/**
 * Failures Attune absorbed so that the bot's turn went on, counted since the engine started.
 * Each is also logged; these counts are what a health check or a metrics exporter reads.
 */
export interface FailureCounts {
  /** Turns whose user could not be read (they ran unpersonalized). */
  turnReads: number;
  /** Turn writes that failed (their events were retried; see `turnEventsDropped`). */
  turnWrites: number;
  /** Turn events given up on after every retry failed. */
  turnEventsDropped: number;
  /** Turn stages that threw (the bot answered unpersonalized). */
  stages: number;
}

/** How often, and after how long, a failed turn write's events are tried again. */
const TURN_WRITE_RETRIES_MS = [50, 250, 1000] as const;

/** The bot's own handler, run inside the pipeline once every stage before it has run. */
export type BotHandler = (ctx: AttuneContext) => Promise<void> | void;

/**
 * The Attune engine: configuration, services, and the turn pipeline.
 *
 * ```ts
 * const attune = new Attune({ catalog: require('./catalog.json') }).use(...defaultStages());
 * await attune.track({ type: 'track', userId: 'u1', event: 'Product Viewed', properties: { product_id: 'p1' } });
 * await attune.recommend('u1', { k: 5 });
 * ```
 */
export class Attune {
  /** The store every stage and service uses. */
  readonly store: Store;
  readonly catalog: Catalog;
  readonly segments: Segments;
  readonly recommendations: RecommendationService;
  readonly mentions: MentionMatcher;
  readonly redactor: Redactor;
  readonly tones: Readonly<Record<ToneName, ToneTemplate>>;
  readonly defaultTone: ToneName;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly consentPolicy: ConsentPolicy;
  private readonly idKeys: KeyRing | false;
  private readonly keyCache = new Map<string, string>();
  private readonly deferWrites: boolean;
  private readonly inflight = new Set<Promise<void>>();
  private readonly stages: Stage[] = [];
  private pipeline?: (ctx: AttuneContext, last?: () => Promise<void>) => Promise<void>;
  private readonly lock = new UserLock();
  private readonly activeTurns = new Map<string, AttuneContext>();
  /** Users being erased by this process: a turn that began before must not write them back. */
  private readonly erasing = new Set<string>();
  /** When (in turn sequence numbers) each recently erased user's erasure ended. */
  private readonly erasedAt = new Map<string, number>();
  private readonly turnBegan = new WeakMap<AttuneContext, number>();
  private turnSeq = 0;
  private readonly failureCounts: FailureCounts = { turnReads: 0, turnWrites: 0, turnEventsDropped: 0, stages: 0 };

  constructor(options: AttuneOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.store = options.store ?? new MemoryStore({ clock: this.clock });
    this.catalog = options.catalog instanceof Catalog ? options.catalog : options.catalog ? Catalog.from(options.catalog) : Catalog.empty();
    this.segments = new Segments(options.segments);
    this.mentions = createMentionMatcher(this.catalog);
    this.redactor = createRedactor(options.redaction);
    this.defaultTone = options.defaultTone ?? 'neutral';
    const tones = { ...DEFAULT_TEMPLATES };
    for (const [name, t] of Object.entries(options.tones ?? {}) as [ToneName, ToneTemplate][]) tones[name] = { ...tones[name], ...t };
    this.tones = tones;
    this.logger =
      options.logger ??
      pino({ name: 'attune', level: process.env.ATTUNE_LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info') });
    this.consentPolicy = options.consentPolicy ?? 'opt-out';
    this.deferWrites = options.deferWrites ?? true;
    this.idKeys = options.idKeys ?? idKeyRingFromEnv({ onWarning: (m) => this.logger.warn(m) });
    this.recommendations = new RecommendationService({
      catalog: this.catalog,
      counters: this.store,
      model: options.recommender,
      weights: options.scoreWeights,
      clock: this.clock,
    });
  }

  /**
   * The id Attune stores a user under: a keyed HMAC of the raw id (see `idKeys`). Every
   * public method takes raw ids and calls this; the bot never needs to.
   */
  userKey(rawId: string): string {
    if (typeof rawId !== 'string' || rawId === '') throw new ValidationError('user id must be a non-empty string');
    if (!this.idKeys) return rawId;
    // An HMAC per id per turn adds up; the map holds ids only in memory, never in a store.
    let key = this.keyCache.get(rawId);
    if (key === undefined) {
      key = pseudonymize(rawId, this.idKeys);
      if (this.keyCache.size >= 10_000) this.keyCache.delete(this.keyCache.keys().next().value as string);
      this.keyCache.set(rawId, key);
    }
    return key;
  }

  /** Every pseudonym a raw id may be stored under: one per id key in the ring, current first. */
  pseudonymsOf(rawId: string): string[] {
    this.userKey(rawId);
    return this.idKeys ? pseudonymsOf(rawId, this.idKeys) : [rawId];
  }

  /** Failures absorbed so far (a copy). */
  get failures(): FailureCounts {
    return { ...this.failureCounts };
  }

  /** Everything held about a user, from every store and the served model (GDPR Art. 15, 20). */
  async export(rawUserId: string): Promise<UserDataExport> {
    return exportUser(this, rawUserId);
  }

  /**
   * Erases a user from every store, cache and model, suppresses their late events, and
   * writes an audit record (GDPR Art. 17).
   */
  async erase(rawUserId: string, by: Actor = { actor: 'library' }): Promise<{ removed: number; retrained: boolean }> {
    const ids = this.pseudonymsOf(rawUserId);
    for (const id of ids) this.erasing.add(id);
    try {
      return await eraseUser(this, rawUserId, by);
    } finally {
      // A turn that began before this point and commits later must not write the user back.
      const at = ++this.turnSeq;
      for (const id of ids) {
        this.erasing.delete(id);
        this.erasedAt.delete(id);
        this.erasedAt.set(id, at);
      }
      while (this.erasedAt.size > 10_000) this.erasedAt.delete(this.erasedAt.keys().next().value as string);
    }
  }

  /** Whether the profile's consent (or, absent a decision, the policy) allows a purpose. */
  allows(profile: Pick<Profile, 'consent'> | null | undefined, purpose: Purpose): boolean {
    return allows(profile?.consent as Consent | undefined, purpose, this.consentPolicy);
  }

  /**
   * Records consent decisions for a user (from the REST API or the bot). Takes effect on the
   * user's next turn. Only the decision itself is stored when personalization is refused.
   *
   * This is the one way back for an erased user: until a call here grants a purpose, their
   * turns and events store nothing; a call that grants none stores nothing either.
   */
  async setConsent(rawUserId: string, update: Consent): Promise<Record<string, boolean>> {
    const userId = this.userKey(rawUserId);
    const ids = this.pseudonymsOf(rawUserId);
    if ((await this.store.isSuppressed(ids)).some(Boolean)) {
      if (!Object.values(update).some((granted) => granted === true)) return { ...update };
      await this.store.unsuppress(ids);
    }
    return this.lock.run(userId, async () => {
      const snap = await this.store.readUser(userId);
      const at = new Date(this.clock()).toISOString();
      const consent = { ...mergeConsent(snap.profile?.consent, update) };
      const profile = this.allows({ consent }, 'personalization') && snap.profile ? { ...snap.profile, consent } : { ...emptyProfile(userId, at), consent };
      await this.store.write({ profiles: [profile], memberships: this.allows({ consent }, 'personalization') ? [] : [{ userId, segments: [] }] });
      return consent;
    });
  }

  /** Adds turn stages, run in the order added. Returns `this` for chaining. */
  use(...stages: Stage[]): this {
    this.stages.push(...stages);
    this.pipeline = undefined;
    return this;
  }

  /** How many stages are installed. */
  get stageCount(): number {
    return this.stages.length;
  }

  /**
   * Runs one turn: reads the user (one round trip), runs the stages around `bot`, and writes
   * what changed (one pipelined round trip). A failure inside Attune never stops the bot: it
   * runs unpersonalized and the failure is logged. Errors thrown by `bot` itself propagate.
   */
  async handle(rawTurn: Turn, bot: BotHandler): Promise<AttuneContext> {
    let turn: Turn;
    try {
      turn = { ...rawTurn, userId: this.userKey(rawTurn.userId), sessionId: this.userKey(`session:${rawTurn.sessionId}`) };
    } catch (err) {
      this.logger.error({ err }, 'attune: unusable turn; the bot answers without Attune');
      const ctx = new AttuneContext(this, rawTurn, this.blankPersonalization(rawTurn, { profile: null, session: null, segments: [] }), []);
      ctx.degraded = true;
      await bot(ctx);
      return ctx;
    }
    const ctx = await this.begin(turn);
    if (ctx.degraded) {
      await bot(ctx);
      return ctx;
    }
    let botRan = false;
    let botError: { error: unknown } | undefined;
    const last = async () => {
      botRan = true;
      try {
        await bot(ctx);
      } catch (error) {
        botError = { error };
        throw error;
      }
    };
    try {
      await (this.pipeline ??= compose(this.stages))(ctx, last);
    } catch (err) {
      if (botError) {
        await this.save(ctx);
        throw botError.error;
      }
      this.failureCounts.stages += 1;
      this.logger.error({ err, userId: turn.userId }, 'attune: a turn stage failed; the bot answers unpersonalized');
      if (!botRan) await bot(ctx);
    }
    await this.save(ctx);
    return ctx;
  }

  /**
   * Resolves when every turn's write has reached the store. Turns are written after the bot
   * has answered, without holding up the turn (as botbuilder's transcript logger does); call
   * this before reading the store in tests, or before shutting down.
   */
  async flush(): Promise<void> {
    while (this.inflight.size) await Promise.all([...this.inflight]);
  }

  private save(ctx: AttuneContext): Promise<void> {
    // The commit takes the user's lock now, synchronously, so the user's next turn reads
    // what this one wrote even though this turn does not wait for the write.
    const done = this.commit(ctx);
    if (!this.deferWrites) return done;
    this.inflight.add(done);
    void done.finally(() => this.inflight.delete(done));
    return Promise.resolve();
  }

  /** Validates and ingests one Segment event (`track`, `identify`, `page`, `screen`). */
  async ingest(input: unknown): Promise<IngestResult> {
    return this.ingestEvents([normalizeEvent(input, new Date(this.clock()))]);
  }

  /** Validates and ingests a Segment `track` call. */
  async track(input: Omit<Extract<EventInput, { type: 'track' }>, 'type'> & { type?: 'track' }): Promise<IngestResult> {
    return this.ingest({ ...input, type: 'track' });
  }

  /** Validates and ingests a Segment `identify` call. */
  async identify(input: Omit<Extract<EventInput, { type: 'identify' }>, 'type'> & { type?: 'identify' }): Promise<IngestResult> {
    return this.ingest({ ...input, type: 'identify' });
  }

  /** Validates a Segment batch body (`{ batch: [...] }`) whole, then ingests it. */
  async batch(input: unknown): Promise<IngestResult> {
    return this.ingestEvents(normalizeBatch(input, new Date(this.clock())));
  }

  /**
   * Ingests normalized events: de-duplicates by messageId, redacts, logs, and updates each
   * user's profile and segments. Events for a user whose turn is running join that turn.
   */
  async ingestEvents(rawEvents: AttuneEvent[]): Promise<IngestResult> {
    if (!rawEvents.length) return { accepted: [], duplicates: [] };
    const events = rawEvents.map((e) => {
      const out = { ...e, userId: this.userKey(e.userId) };
      if (e.anonymousId) out.anonymousId = this.userKey(e.anonymousId);
      return out;
    });
    const ids = events.map((e) => e.messageId);
    const [claimed, suppressedAnswer] = await Promise.allSettled([this.store.claim(ids), this.store.isSuppressed(events.map((e) => e.userId))]);
    if (claimed.status === 'rejected') throw claimed.reason;
    const fresh = claimed.value;
    if (suppressedAnswer.status === 'rejected') {
      // Nothing was written: the claims go back, so that the client's retry is not a duplicate.
      await this.release(ids.filter((_, i) => fresh[i]));
      throw suppressedAnswer.reason;
    }
    const suppressed = suppressedAnswer.value;
    const accepted: AttuneEvent[] = [];
    const duplicates: string[] = [];
    // An erased user's late events are dropped, and reported as neither accepted nor duplicate.
    events.forEach((e, i) => (suppressed[i] ? undefined : fresh[i] ? accepted.push(this.redactEvent(e)) : duplicates.push(e.messageId)));
    const byUser = new Map<string, AttuneEvent[]>();
    for (const e of accepted) {
      const list = byUser.get(e.userId);
      if (list) list.push(e);
      else byUser.set(e.userId, [e]);
    }
    const users = [...byUser];
    const results = await Promise.allSettled(users.map(([userId, list]) => this.applyUserEvents(userId, list)));
    const failed = users.filter((_, i) => results[i].status === 'rejected');
    if (failed.length) {
      // Users whose write went through keep their claims (a retry is rightly a duplicate);
      // the others are released, so the retry is accepted. The request fails as a whole.
      await this.release(failed.flatMap(([, list]) => list.map((e) => e.messageId)));
      const first = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      throw first?.reason instanceof StoreError ? first.reason : new StoreError('could not store the events', first?.reason);
    }
    return { accepted: accepted.map((e) => e.messageId), duplicates };
  }

  private async release(messageIds: string[]): Promise<void> {
    if (!messageIds.length) return;
    await this.store.release(messageIds).catch((err: unknown) => {
      // Then the retry is dropped as a duplicate until the de-duplication window ends.
      this.logger.error({ err, count: messageIds.length }, 'attune: could not release the claims of events that were not stored');
    });
  }

  /** The user's profile, or null when Attune knows nothing about them. */
  async profile(rawUserId: string): Promise<Profile | null> {
    return (await this.store.readUser(this.userKey(rawUserId))).profile;
  }

  /** The segments the user is in. */
  async segmentsOf(rawUserId: string): Promise<string[]> {
    return (await this.store.readUser(this.userKey(rawUserId))).segments;
  }

  /** Recommendations for a user outside a turn (REST API, the bot's own code). */
  async recommend(rawUserId: string, options: { k?: number; context?: Record<string, string | undefined> } = {}): Promise<Recommendation[]> {
    const k = options.k ?? 10;
    if (!Number.isInteger(k) || k < 1 || k > 100) throw new ValidationError('k must be an integer from 1 to 100');
    const userId = this.userKey(rawUserId);
    const snap = await this.store.readUser(userId);
    await this.recommendations.refreshIfStale((err) => this.logger.warn({ err }, 'attune: popularity refresh failed'));
    const personal = this.allows(snap.profile, 'personalization');
    const context = { ...(personal ? snap.profile?.context : {}), ...options.context };
    // What the user looked at in the last few minutes is on their screen already.
    const recentCutoff = new Date(this.clock() - 10 * 60_000).toISOString();
    const exclude = personal ? (snap.profile?.recentItems ?? []).filter((r) => r.at >= recentCutoff).map((r) => r.id) : [];
    return this.recommendations.recommend({ userId, profile: personal ? snap.profile : null, k, context, exclude });
  }

  /** Serves a new model (e.g. after training or loading an artifact). */
  setRecommender(model: Recommender | undefined): void {
    this.recommendations.setModel(model);
  }

  /**
   * Trains a recommender on the whole event log (off the turn path), saves it as a new
   * artifact version in the store, and starts serving it.
   */
  async train(options: TrainOptions = {}): Promise<TrainResult> {
    const interactions = await interactionsFromLog(this.store);
    const kind = options.kind ?? 'itemknn';
    const model = createRecommender(kind, options.params);
    model.fit({ interactions, items: itemFeatures(this.catalog) }, { seed: options.seed, onProgress: options.onProgress });
    const version = await this.store.putArtifact(RECOMMENDER_ARTIFACT, JSON.stringify(model.toArtifact()));
    this.setRecommender(model);
    return { kind, version, interactions: interactions.length, users: new Set(interactions.map((i) => i.user)).size, items: new Set(interactions.map((i) => i.item)).size };
  }

  /**
   * Serves a saved model: an artifact object, or the store's latest (or given) version.
   * Returns false when the store holds none.
   */
  async loadRecommender(source?: ModelArtifact | { version?: number }): Promise<boolean> {
    if (source && 'kind' in source) {
      this.setRecommender(loadRecommender(source));
      return true;
    }
    const saved = await this.store.getArtifact(RECOMMENDER_ARTIFACT, source?.version);
    if (!saved) return false;
    this.setRecommender(loadRecommender(JSON.parse(saved.data) as ModelArtifact));
    return true;
  }

  /** Closes the store. */
  async close(): Promise<void> {
    await this.flush();
    await this.store.close();
  }

  /** Applies the segment rules to a profile and records enter/exit events on `out`. */
  updateSegments(profile: Profile, previous: readonly string[], out: AttuneEvent[]): { segments: string[]; entered: string[]; exited: string[] } {
    const m = this.segments.evaluate(profile, previous, this.clock());
    const at = new Date(this.clock()).toISOString();
    const mk = (event: string, segment: string): AttuneEvent => ({
      type: 'track',
      messageId: randomUUID(),
      userId: profile.userId,
      event,
      properties: { segment },
      traits: {},
      context: {},
      timestamp: at,
      receivedAt: at,
    });
    for (const s of m.entered) out.push(mk(AttuneEvents.SegmentEntered, s));
    for (const s of m.exited) out.push(mk(AttuneEvents.SegmentExited, s));
    return m;
  }

  /** Popularity counter increments for an event (positive interest only). */
  popularityIncrements(event: AttuneEvent, profileContext: Record<string, string> = {}): NonNullable<WriteBatch['counters']> {
    const weight = event.event ? own(INTEREST_WEIGHTS, event.event) : undefined;
    if (!weight || weight <= 0) return [];
    const inc: Record<string, number> = {};
    for (const p of productsOf(event)) if (p.productId) addOwn(inc, p.productId, weight);
    if (!Object.keys(inc).length) return [];
    const names = [popularityCounter()];
    const locale = event.context.locale ?? profileContext.locale;
    const channel = event.context.channel ?? profileContext.channel;
    if (locale) names.push(popularityCounter('locale', locale));
    if (channel) names.push(popularityCounter('channel', channel));
    return names.map((name) => ({ name, increments: inc }));
  }

  private redactEvent(e: AttuneEvent): AttuneEvent {
    const out = { ...e, properties: this.redactor.redactValue(e.properties), traits: this.redactor.redactValue(e.traits), context: this.redactor.redactValue(e.context) };
    // Names are free text too: `Viewed ann@example.com's wishlist` is a real tracking call.
    if (e.event !== undefined) out.event = this.redactor.redactText(e.event);
    if (e.name !== undefined) out.name = this.redactor.redactText(e.name);
    return out;
  }

  private async applyUserEvents(userId: string, events: AttuneEvent[]): Promise<void> {
    const active = this.activeTurns.get(userId);
    if (active) {
      // The running turn owns this user's profile until it commits, but its write comes after
      // the bot has answered and may fail: the events themselves are stored now, before they
      // are acknowledged, and only their effect on the profile joins the turn.
      let p = active.personalization.profile;
      const batch: Required<Pick<WriteBatch, 'events' | 'counters'>> = { events: [], counters: [] };
      for (const e of events) {
        const consent = consentFromEvent(e);
        if (consent) p = { ...p, consent: mergeConsent(p.consent, consent) };
        batch.counters.push(...this.popularityIncrements(e, p.context));
        if (this.allows(p, 'personalization')) p = applyEvent(p, e, this.catalog);
        else p = { ...emptyProfile(userId, p.firstSeen), consent: p.consent };
        if (this.allows(p, 'analytics')) batch.events.push(e);
      }
      await this.store.write(batch);
      if (this.activeTurns.get(userId) === active) {
        active.personalization.profile = p;
        active.pending.profile = true;
        active.pending.resegment = true;
        return;
      }
      // The turn committed meanwhile: apply the profile part on its own, the events once only.
      return this.applyToStoredUser(userId, events, false);
    }
    return this.applyToStoredUser(userId, events, true);
  }

  /** Read-modify-write of the stored user under the user's lock, in one write. */
  private async applyToStoredUser(userId: string, events: AttuneEvent[], logEvents: boolean): Promise<void> {
    await this.lock.run(userId, async () => {
      // An erasure under way here wins over events that passed the suppression check before it.
      if (this.erasing.has(userId)) return;
      const snap = await this.store.readUser(userId);
      let p: Profile = snap.profile ?? emptyProfile(userId, events[0].timestamp);
      const batch: Required<Pick<WriteBatch, 'events' | 'counters'>> = { events: [], counters: [] };
      let consentChanged = false;
      for (const e of events) {
        const consent = consentFromEvent(e);
        if (consent) {
          p = { ...p, consent: mergeConsent(p.consent, consent) };
          consentChanged = true;
        }
        // Popularity is an anonymous aggregate: kept whatever the user's consent.
        if (logEvents) batch.counters.push(...this.popularityIncrements(e, p.context));
        if (this.allows(p, 'personalization')) p = applyEvent(p, e, this.catalog);
        if (logEvents && this.allows(p, 'analytics')) batch.events.push(e);
      }
      if (!this.allows(p, 'personalization')) {
        // Only the consent decision itself is kept about this user.
        const profiles = consentChanged || snap.profile ? [{ ...emptyProfile(userId, p.firstSeen), consent: p.consent }] : [];
        await this.store.write({ ...batch, profiles, memberships: snap.segments.length ? [{ userId, segments: [] }] : [] });
        return;
      }
      const m = this.updateSegments(p, snap.segments, batch.events);
      await this.store.write({ ...batch, profiles: [p], memberships: m.entered.length || m.exited.length ? [{ userId, segments: m.segments }] : [] });
    });
  }

  private async begin(turn: Turn): Promise<AttuneContext> {
    let snap: UserSnapshot = { profile: null, session: null, segments: [] };
    let degraded = false;
    let erased = false;
    const began = ++this.turnSeq;
    try {
      snap = await this.lock.run(turn.userId, () => this.store.readUser(turn.userId, turn.sessionId));
      // Only a user without a profile can be an erased one (erasure removes it, and nothing is
      // written for them afterwards), so known users pay nothing for this check.
      if (!snap.profile) erased = this.erasing.has(turn.userId) || (await this.store.isSuppressed([turn.userId]))[0];
    } catch (err) {
      degraded = true;
      this.failureCounts.turnReads += 1;
      this.logger.error({ err, userId: turn.userId }, 'attune: could not read the user; the turn runs unpersonalized');
    }
    if (erased) snap = { profile: null, session: null, segments: [] };
    const personalization = this.blankPersonalization(turn, snap);
    const ctx = new AttuneContext(this, turn, personalization, snap.segments);
    ctx.degraded = degraded || erased;
    ctx.erased = erased;
    if (!ctx.degraded) {
      this.activeTurns.set(turn.userId, ctx);
      this.turnBegan.set(ctx, began);
    }
    return ctx;
  }

  private blankPersonalization(turn: Turn, snap: UserSnapshot): Personalization {
    return {
      userId: turn.userId,
      profile: snap.profile ?? emptyProfile(turn.userId, turn.timestamp),
      session: snap.session ?? emptySession(turn.sessionId, turn.userId, turn.timestamp),
      segments: snap.segments,
      entered: [],
      exited: [],
      recommendations: [],
      tone: this.defaultTone,
      firstVisit: !snap.profile,
    };
  }

  /** Whether the user was erased after the turn began (or is being erased now). */
  private erasedSince(ctx: AttuneContext): boolean {
    const { userId } = ctx.turn;
    if (this.erasing.has(userId)) return true;
    const at = this.erasedAt.get(userId);
    return at !== undefined && at > (this.turnBegan.get(ctx) ?? 0);
  }

  private async commit(ctx: AttuneContext): Promise<void> {
    if (ctx.degraded) return;
    const { userId } = ctx.turn;
    let batch: WriteBatch | undefined;
    try {
      // The lock is held until the write is issued, not until it is acknowledged: a store
      // applies calls in the order they were made (see Store), so the user's next read, made
      // later, sees this write. On Redis this spares a user's next turn a round trip.
      const issued = await this.lock.run(userId, async () => {
        if (this.activeTurns.get(userId) === ctx) this.activeTurns.delete(userId);
        if (this.erasedSince(ctx)) return undefined;
        ctx.runDeferred();
        const p = ctx.personalization;
        const w = ctx.pending;
        if (w.resegment) {
          const m = this.updateSegments(p.profile, p.segments, w.events);
          if (m.entered.length || m.exited.length) {
            p.segments = m.segments;
            w.segments = true;
          }
        }
        batch = { events: w.events, counters: w.counters };
        if (w.profile) batch.profiles = [p.profile];
        if (w.session) batch.sessions = [p.session];
        if (w.segments) batch.memberships = [{ userId, segments: p.segments }];
        // Wrapped, so that the lock's promise does not wait for the write to be acknowledged.
        if (w.events.length || w.profile || w.session || w.segments || w.counters.length) return { written: this.store.write(batch) };
        return undefined;
      });
      await issued?.written;
    } catch (err) {
      this.failureCounts.turnWrites += 1;
      this.logger.error({ err, userId }, 'attune: could not save the turn; its events will be retried');
      if (batch) await this.retryTurnEvents(ctx, batch);
    } finally {
      if (this.activeTurns.get(userId) === ctx) this.activeTurns.delete(userId);
      this.turnBegan.delete(ctx);
    }
  }

  /**
   * A turn's log entries and counters are appended again after a failed write; its profile,
   * session and memberships are not: they replace what is stored, and the user's next turn
   * may already have written newer ones. What still fails is counted and logged as dropped.
   */
  private async retryTurnEvents(ctx: AttuneContext, batch: WriteBatch): Promise<void> {
    const events = batch.events ?? [];
    const counters = batch.counters ?? [];
    if (!events.length && !counters.length) return;
    for (const delay of TURN_WRITE_RETRIES_MS) {
      await new Promise((resolve) => setTimeout(resolve, delay).unref());
      if (this.erasedSince(ctx)) return;
      try {
        await this.store.write({ events, counters });
        this.logger.info({ userId: ctx.turn.userId, events: events.length }, 'attune: a failed turn write was stored on retry');
        return;
      } catch (err) {
        this.logger.warn({ err, userId: ctx.turn.userId }, 'attune: retry of a turn write failed');
      }
    }
    this.failureCounts.turnEventsDropped += events.length;
    this.logger.error({ userId: ctx.turn.userId, events: events.length }, 'attune: gave up on a turn write; its events are lost');
  }
}
