import pino, { type Logger } from 'pino';
import { Catalog, type CatalogItem } from '../core/catalog';
import { type Clock, systemClock } from '../core/clock';
import { ValidationError } from '../core/errors';
import type { AttuneEvent } from '../core/event';
import type { RecommendFilter } from '../core/filter';
import type { Recommendation, ToneName } from '../core/personalization';
import { emptyProfile, type Profile } from '../core/profile';
import type { Reply, Turn } from '../core/turn';
import { consentAllows, type UserRules } from '../events/apply';
import type { ArmStatsSource } from '../experiments/allocation';
import type { ExperimentInput } from '../experiments/definition';
import { banditConversions } from '../experiments/conversions';
import { counterArmStats, ExperimentRegistry } from '../experiments/registry';
import { type IdentifyInput, type IngestOutcome, type IngestResult, Ingestor, type TrackInput } from '../events/ingestor';
import { AUDIT_ATTRIBUTES_EVENT, mayRecordAuditAttributes, parseAuditAttributes } from '../privacy/audit-attributes';
import type { Consent, ConsentPolicy, Purpose } from '../privacy/consent';
import type { KeyRing } from '../privacy/keyring';
import { idKeyRingFromEnv } from '../privacy/pseudonym';
import { isSensitivityPolicy, type ReviewOptions } from '../fairness/review/options';
import { MemoryReviewQueue } from '../fairness/review/memory-queue';
import { sensitivityPolicy } from '../fairness/review/policy';
import { ReviewService } from '../fairness/review/service';
import { Pseudonymizer } from '../privacy/pseudonymizer';
import { createRedactor, type Redactor, type RedactorOptions } from '../privacy/redact';
import { type Actor, RightsService, type UserDataExport } from '../privacy/rights';
import { createMentionMatcher, type MentionMatcher } from '../profiles/mentions';
import type { ModelArtifact, Recommender } from '../recommend/recommender';
import { RecommenderServing, type TrainOptions, type TrainResult } from '../recommend/serving';
import type { RankRequest } from '../learning/rank/schema';
import { type RankOptions, type RankResult, RankService, type RewardResult } from '../learning/rank/service';
import { RecommendationService, type ScoreWeights } from '../recommend/service';
import { withDefaultFilter } from '../recommend/filter';
import { onboardingFilter } from '../onboarding/state';
import type { LiveSegmentation } from '../segments/discover/artifact';
import { Segments, type SegmentDefinition } from '../segments/segments';
import type { PropensityModel } from '../predict/model';
import { PropensityService } from '../predict/serving';
import { attuneQualityGate } from './quality';
import type { QualityConfig } from '../quality/config';
import type { QualityGate } from '../quality/gate';
import type { ComputedTraitInput } from '../profiles/computed/definition';
import { ComputedTraits } from '../profiles/computed/traits';
import { MemoryStore } from '../store/memory';
import { observedStore } from '../store/observed';
import type { Store } from '../store/store';
import { recordAnswerInTurn } from '../prompt/answer';
import { answerLanguage, promptData, promptItem } from '../prompt/context';
import { parseAnswer, type RecordAnswerInput } from '../prompt/record';
import { type PromptContext, renderPromptContext } from '../prompt/render';
import type { PromptContextOptions } from '../prompt/turn';
import { chooseTone } from '../tone/policy';
import { LOCALE_TEMPLATES, mergeTemplates, type ToneOverrides, type ToneTemplatesByLanguage } from '../tone/locales';
import type { ToneTemplate } from '../tone/templates';
import type { AttuneContext, TurnServices } from './context';
import { HookSet, type Hooks, ingestedEvent } from './hooks';
import { parseTurnRequest, type TurnRequest, type TurnResult, turnResult } from './turn-request';
import { type BotHandler, type FailureCounts, type Stage, TurnRunner } from './turn-runner';

export { RECOMMENDER_ARTIFACT } from '../recommend/serving';
export type { TrainOptions, TrainResult } from '../recommend/serving';
export type { BotHandler, FailureCounts, Stage } from './turn-runner';
export type { IngestResult } from '../events/ingestor';
export type { TurnRequest, TurnResult } from './turn-request';

/** Options of {@link Attune.handle} and {@link Attune.turn}. */
export interface HandleOptions {
  /** The adapter the turn comes through, for the hooks (default `inproc`). */
  adapter?: string;
}

/** Options of {@link Attune.promptContext}. */
export interface UserPromptOptions extends PromptContextOptions {
  /** The user's message, when known: it sets the language and can call for an empathetic tone. */
  text?: string;
  /** The user's locale, when the message does not tell the language. */
  locale?: string;
}

/** Options of {@link Attune.ingest} and {@link Attune.batch}. */
export interface IngestOptions {
  /**
   * Where the events come from, for the hooks (default `library`): the REST API says `rest`,
   * or `segment` for Segment and RudderStack clients. An edge that names its source reports
   * its refusals itself.
   */
  source?: string;
}

const withoutEvents = ({ accepted, duplicates }: IngestOutcome): IngestResult => ({ accepted, duplicates });

/** Everything configurable; every option has a default. */
export interface AttuneOptions {
  /** Where data lives (default: a new MemoryStore). */
  store?: Store;
  /** Items to recommend: a Catalog or raw items (validated). */
  catalog?: Catalog | readonly CatalogItem[];
  /** Segment definitions, for turns and ingestion alike (default: DEFAULT_SEGMENTS). */
  segments?: readonly SegmentDefinition[];
  /** Computed traits kept up to date as events apply (readable in rules as `computed.<id>`). */
  computedTraits?: readonly ComputedTraitInput[];
  /** An accepted discovered segmentation (`loadLiveSegmentation`), served beside the rule segments. */
  discoveredSegments?: LiveSegmentation;
  /** English tone templates, merged over the defaults per tone (the tone stage's default). */
  tones?: Partial<Record<ToneName, ToneTemplate>>;
  /** Tone templates of any language (`en`, `de`, `es`, `fr`), merged over the defaults; `tones` applies after, to `en`. */
  localeTones?: ToneOverrides;
  /** Tone when nothing else decides (default `neutral`). */
  defaultTone?: ToneName;
  /** A trained recommender to serve. */
  recommender?: Recommender;
  /**
   * Purchase propensity (off unless a model is given): each turn's `personalization.predictions`,
   * prediction rules in segments (`{ prediction: 'purchase', gte: 0.7 }`), and, with `boost` > 0,
   * recommendations raised by the propensity of their category (score + boost × p; default 0).
   */
  predict?: { model?: PropensityModel; boost?: number };
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
  /**
   * Experiments from config (validated: ConfigError naming what is wrong). More can be posted
   * over REST (`POST /v1/experiments`); both are persisted so that replicas agree.
   */
  experiments?: readonly ExperimentInput[];
  /**
   * How often a replica re-reads the posted experiments and bandit weights (default 10 s), and
   * where bandits' per-arm stats come from (default: the `exp:<id>` counters, whose exposures
   * the experiment stage counts).
   */
  experimentRegistry?: { refreshMs?: number; stats?: ArmStatsSource };
  /**
   * Data quality at ingestion (validated: ConfigError naming what is wrong): normalizers per
   * property and trait, a tracking plan, and the monitor's window and thresholds.
   */
  quality?: QualityConfig;
  /** Rank/reward: the policy, its exploration, the reward wait window and default reward. */
  rank?: RankOptions;
  /**
   * Review of sensitive content (off unless given): items, categories or tags the policy marks
   * are held back from every recommendation list until a person approves them (`attune.review`,
   * `GET /v1/review`, `attune review`); the list is filled with the next best instead.
   */
  review?: ReviewOptions;
  /** Observers of turns, stage errors, store calls and ingestion (see {@link Hooks}). */
  hooks?: Partial<Hooks>;
  /** pino logger (default: level from ATTUNE_LOG_LEVEL, silent under test). */
  logger?: Logger;
  clock?: Clock;
}

/**
 * The Attune engine: a thin facade over its services (pseudonyms, the turn runner,
 * ingestion, rights, recommender serving), each of which takes only what it needs.
 *
 * ```ts
 * const attune = new Attune({ catalog: require('./catalog.json') }).use(...defaultStages());
 * await attune.track({ userId: 'u1', event: 'Product Viewed', properties: { product_id: 'p1' } });
 * await attune.recommend('u1', { k: 5 });
 * ```
 */
export class Attune {
  /** The store every service uses (wrapped when store calls are observed). */
  readonly store: Store;
  readonly catalog: Catalog;
  readonly segments: Segments;
  /** The configured computed traits, if any. */
  readonly computedTraits?: ComputedTraits;
  /** Serves the propensity model (none unless the `predict` option gives one). */
  readonly predictions: PropensityService;
  readonly recommendations: RecommendationService;
  readonly mentions: MentionMatcher;
  readonly redactor: Redactor;
  /** Tone templates per language, with the `localeTones` and `tones` options merged in. */
  readonly tones: ToneTemplatesByLanguage;
  readonly defaultTone: ToneName;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly consentPolicy: ConsentPolicy;
  /** Observers; add more with `hooks.add({...})`. */
  readonly hooks: HookSet;
  /** Trains, saves and loads recommenders. */
  readonly serving: RecommenderServing;
  /** Export, erasure and consent. */
  readonly rights: RightsService;
  /** Segment ingestion. */
  readonly ingestor: Ingestor;
  /** The experiments that run: from config and posted over REST. */
  readonly experiments: ExperimentRegistry;
  /** Normalization, the tracking plan and the quality monitor, with the `quality` option. */
  readonly quality?: QualityGate;
  /** Rank/reward decisions and their policy. */
  readonly ranker: RankService;
  /** The review queue of sensitive items, with the `review` option. */
  readonly review?: ReviewService;
  private readonly ids: Pseudonymizer;
  private readonly runner: TurnRunner;

  constructor(options: AttuneOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.logger =
      options.logger ??
      pino({ name: 'attune', level: process.env.ATTUNE_LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info') });
    this.hooks = new HookSet(this.logger, options.hooks);
    const store = options.store ?? new MemoryStore({ clock: this.clock });
    this.store = options.hooks?.onStoreCall ? observedStore(store, this.hooks) : store;
    this.catalog = options.catalog instanceof Catalog ? options.catalog : options.catalog ? Catalog.from(options.catalog) : Catalog.empty();
    // A failed prediction is logged and counted; the user just has no predictions on that turn.
    this.predictions = new PropensityService({
      model: options.predict?.model,
      catalog: this.catalog,
      onError: (err) => {
        this.logger.warn({ err }, 'attune: purchase propensity failed; no predictions for this user');
        this.hooks.emit('onPredictionError', { error: err });
      },
    });
    const predictions = this.predictions;
    this.segments = new Segments(options.segments, { discovered: options.discoveredSegments, predict: (profile, nowMs) => predictions.predict(profile, nowMs) });
    if (options.computedTraits?.length) this.computedTraits = new ComputedTraits(options.computedTraits);
    this.mentions = createMentionMatcher(this.catalog);
    this.redactor = createRedactor(options.redaction);
    this.defaultTone = options.defaultTone ?? 'neutral';
    this.tones = mergeTemplates(mergeTemplates(LOCALE_TEMPLATES, options.localeTones), options.tones ? { en: options.tones } : undefined);
    this.consentPolicy = options.consentPolicy ?? 'opt-out';
    this.ids = new Pseudonymizer(options.idKeys ?? idKeyRingFromEnv({ onWarning: (m) => this.logger.warn(m) }));
    this.recommendations = new RecommendationService({ catalog: this.catalog, counters: this.store, model: options.recommender, weights: options.scoreWeights, propensityBoost: options.predict?.boost, clock: this.clock });
    this.serving = new RecommenderServing({ store: this.store, catalog: this.catalog, service: this.recommendations });
    // An experiment's variant may serve an older model version, loaded when first asked for.
    this.recommendations.setVersionLoader((version) => this.serving.version(version));
    if (options.review) {
      const { policy, queue, refreshMs } = options.review;
      if (!queue && this.store.kind !== 'memory') this.logger.warn('attune: the review queue is in this process only; pass a RedisReviewQueue (see reviewFromEnv) so that replicas and `attune review` share it');
      this.review = new ReviewService({
        policy: isSensitivityPolicy(policy) ? policy : sensitivityPolicy(policy),
        queue: queue ?? new MemoryReviewQueue(),
        catalog: this.catalog,
        audit: this.store,
        clock: this.clock,
        logger: this.logger,
        refreshMs,
        onReport: (report) => this.hooks.emit('onReview', report),
      });
      this.recommendations.setGate(this.review);
      this.review.refreshInBackground();
    }

    this.experiments = new ExperimentRegistry({
      store: this.store,
      clock: this.clock,
      experiments: options.experiments,
      refreshMs: options.experimentRegistry?.refreshMs,
      stats: options.experimentRegistry?.stats ?? counterArmStats(this.store),
      logger: this.logger,
    });
    const experiments = this.experiments;
    const rules: UserRules = { catalog: this.catalog, segments: this.segments, consentPolicy: this.consentPolicy, clock: this.clock, conversions: banditConversions(() => experiments.current), computed: this.computedTraits };
    const services: TurnServices = {
      clock: this.clock,
      logger: this.logger,
      redactor: this.redactor,
      mentions: this.mentions,
      recommendations: this.recommendations,
      predictions: this.predictions,
      segments: this.segments,
      tones: this.tones,
      defaultTone: this.defaultTone,
      consentPolicy: this.consentPolicy,
      experiments: this.experiments,
    };
    this.runner = new TurnRunner({ store: this.store, services, rules, hooks: this.hooks, logger: this.logger, deferWrites: options.deferWrites });
    if (options.quality) this.quality = attuneQualityGate(options.quality, this);
    this.ingestor = new Ingestor({ store: this.store, ids: this.ids, redactor: this.redactor, rules, turns: this.runner, logger: this.logger, quality: this.quality });
    this.rights = new RightsService({ store: this.store, ids: this.ids, clock: this.clock, consentPolicy: this.consentPolicy, model: this.serving, turns: this.runner, caches: [this.recommendations] });
    this.ranker = new RankService({ store: this.store, clock: this.clock, logger: this.logger, options: options.rank });
  }

  /**
   * Chooses one of the caller's actions (candidate replies, offers) for a context, and logs
   * the decision with every action's propensity (`Rank Decided`). Reward it by its `eventId`.
   *
   * ```ts
   * const { eventId, chosen } = await attune.rank({ actions: [{ id: 'short' }, { id: 'detailed' }], context: { mobile: 1 } });
   * await attune.reward(eventId, 1);
   * ```
   */
  rank(request: RankRequest): Promise<RankResult> {
    const userId = typeof request.userId === 'string' && request.userId ? this.ids.key(request.userId) : undefined;
    return this.ranker.rank(request, userId);
  }

  /** Rewards a decision within its wait window (`Reward Received`); the policy learns from it. */
  reward(eventId: string, value: number): Promise<RewardResult> {
    return this.ranker.reward(eventId, value);
  }

  /**
   * The id Attune stores a user under: a keyed HMAC of the raw id (see `idKeys`). Every
   * public method takes raw ids and calls this; the bot never needs to.
   */
  userKey(rawId: string): string {
    return this.ids.key(rawId);
  }

  /** Every pseudonym a raw id may be stored under: one per id key in the ring, current first. */
  pseudonymsOf(rawId: string): string[] {
    return this.ids.all(rawId);
  }

  /** Failures absorbed so far (a copy). */
  get failures(): FailureCounts {
    return { ...this.runner.failures };
  }

  /** Everything held about a user, from every store and the served model (GDPR Art. 15, 20). */
  export(rawUserId: string): Promise<UserDataExport> {
    return this.rights.export(rawUserId);
  }

  /**
   * Erases a user from every store, cache and model, suppresses their late events and later
   * turns (until they consent again), and writes an audit record (GDPR Art. 17).
   */
  erase(rawUserId: string, by: Actor = { actor: 'library' }): Promise<{ removed: number; retrained: boolean }> {
    return this.rights.erase(rawUserId, by);
  }

  /** Whether the profile's consent (or, absent a decision, the policy) allows a purpose. */
  allows(profile: Pick<Profile, 'consent'> | null | undefined, purpose: Purpose): boolean {
    return consentAllows(profile, purpose, this.consentPolicy);
  }

  /**
   * Records consent decisions for a user; takes effect on their next turn. The one way back
   * for an erased user: a call that grants a purpose.
   */
  setConsent(rawUserId: string, update: Consent): Promise<Record<string, boolean>> {
    return this.rights.setConsent(rawUserId, update);
  }

  /**
   * Records a user's audit-only attributes (what bias audits group users by: gender, age
   * band…), replacing earlier ones; `{}` clears them. They are kept apart from the profile,
   * encrypted at rest, exported and erased with the user, and only with an explicit `fairness`
   * consent: without one nothing is stored and `recorded` is false. Validates (ValidationError).
   *
   * ```ts
   * await attune.setConsent('u1', { fairness: true });
   * await attune.setAuditAttributes('u1', { gender: 'f' }); // { recorded: true }
   * ```
   */
  async setAuditAttributes(rawUserId: string, attributes: Record<string, string>): Promise<{ recorded: boolean }> {
    const properties = parseAuditAttributes(attributes);
    if (!rawUserId) throw new ValidationError('user id must be a non-empty string');
    // Checked here to answer; the rule checks again under the user's lock, which decides.
    if (!mayRecordAuditAttributes((await this.store.readUser(this.userKey(rawUserId))).profile?.consent)) return { recorded: false };
    await this.track({ userId: rawUserId, event: AUDIT_ATTRIBUTES_EVENT, properties: { ...properties } });
    return { recorded: true };
  }

  /** Adds turn stages, run in the order added. Returns `this` for chaining. */
  use(...stages: Stage[]): this {
    this.runner.use(stages);
    return this;
  }

  /** How many stages are installed. */
  get stageCount(): number {
    return this.runner.stageCount;
  }

  /**
   * Runs one turn: reads the user (one round trip), runs the stages around `bot`, and writes
   * what changed (one pipelined round trip). A failure inside Attune never stops the bot: it
   * runs unpersonalized and the failure is logged. Errors thrown by `bot` itself propagate.
   */
  async handle(rawTurn: Turn, bot: BotHandler, options: HandleOptions = {}): Promise<AttuneContext> {
    let turn: Turn;
    try {
      turn = { ...rawTurn, userId: this.ids.key(rawTurn.userId), sessionId: this.ids.key(`session:${rawTurn.sessionId}`) };
    } catch (err) {
      this.logger.error({ err }, 'attune: unusable turn; the bot answers without Attune');
      const ctx = this.runner.blank(rawTurn);
      await bot(ctx);
      return ctx;
    }
    return this.runner.handle(turn, bot, options.adapter);
  }

  /**
   * The generic adapter, for any bot: one turn described as plain data (user, session,
   * channel, text, locale, intent, entities, the bot's draft reply) in, the personalization
   * out: recommendations, tone, the draft rewritten in that tone, segments, variant. Validates
   * its input (ValidationError saying what is wrong). `POST /v1/turns` serves the same.
   *
   * ```ts
   * const r = await attune.turn({ userId: 'u1', text: 'I need running shoes', reply: { text: 'Here you go!', recommend: { k: 3 } } });
   * send(r.reply?.text, r.reply?.recommendations);
   * ```
   */
  async turn(input: TurnRequest, options: HandleOptions = {}): Promise<TurnResult> {
    const { turn, draft } = parseTurnRequest(input, new Date(this.clock()));
    let reply: Reply | undefined;
    const ctx = await this.handle(
      turn,
      (c) => {
        if (draft) reply = c.reply(draft);
      },
      options,
    );
    // Read once the pipeline has run: recommendations are computed on first use.
    return turnResult({ ...ctx.personalization, recommendations: [...ctx.personalization.recommendations] }, ctx.degraded, reply);
  }

  /**
   * Resolves when every turn's write has reached the store. Turns are written after the bot
   * has answered, without holding up the turn (as botbuilder's transcript logger does); call
   * this before reading the store in tests, or before shutting down.
   */
  flush(): Promise<void> {
    return this.runner.flush();
  }

  /** Validates and ingests one Segment event (`track`, `identify`, `page`, `screen`). */
  ingest(input: unknown, options: IngestOptions = {}): Promise<IngestResult> {
    return this.observeIngest(options, (source) => this.ingestor.ingest(input, source));
  }

  /** Validates and ingests a Segment `track` call. */
  track(input: TrackInput): Promise<IngestResult> {
    return this.ingest({ ...input, type: 'track' });
  }

  /** Validates and ingests a Segment `identify` call. */
  identify(input: IdentifyInput): Promise<IngestResult> {
    return this.ingest({ ...input, type: 'identify' });
  }

  /**
   * Segment's `alias`: `previousId` (an anonymous visitor, or an older user id) is `userId`.
   * Everything the earlier id holds moves to the user (as an `identify` carrying both
   * `anonymousId` and `userId` does).
   */
  alias(input: { previousId: string; userId: string; messageId?: string; timestamp?: string }): Promise<IngestResult> {
    return this.ingest({ ...input, type: 'alias' });
  }

  /** Validates a Segment batch body (`{ batch: [...] }`) whole, then ingests it. */
  batch(input: unknown, options: IngestOptions = {}): Promise<IngestResult> {
    return this.observeIngest(options, (source) => this.ingestor.batch(input, source));
  }

  /**
   * Ingests normalized events: de-duplicates by messageId, redacts, logs, and updates each
   * user's profile and segments. Events for a user whose turn is running join that turn.
   */
  ingestEvents(events: AttuneEvent[], options: IngestOptions = {}): Promise<IngestResult> {
    return this.observeIngest(options, (source) => this.ingestor.events(events, { source }));
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
  async recommend(rawUserId: string, options: { k?: number; context?: Record<string, string | undefined>; filter?: RecommendFilter } = {}): Promise<Recommendation[]> {
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
    const request = { userId, profile: personal ? snap.profile : null, k, context, exclude };
    // The budget answered in onboarding is the default price filter, unless it leaves nothing.
    const defaults = personal ? onboardingFilter(snap.profile) : undefined;
    const list = this.recommendations.recommend({ ...request, filter: withDefaultFilter(defaults, options.filter) });
    return list.length || !defaults ? list : this.recommendations.recommend({ ...request, filter: options.filter });
  }

  /**
   * The user's personalization as a compact system-prompt block for a language model
   * (profile summary, segments, a tone instruction in the user's language, recommended items
   * with ids and reasons, within a token budget), with the same content as data. Reads only:
   * log the exchange with {@link Attune.recordAnswer}. Any LLM framework can use it.
   *
   * ```ts
   * const { text, data } = await attune.promptContext('u1', { text: question, tokenBudget: 250 });
   * const answer = await llm.invoke([{ role: 'system', content: `${instructions}\n\n${text}` }, { role: 'user', content: question }]);
   * await attune.recordAnswer({ userId: 'u1', prompt: question, answer, offered: data.recommendations });
   * ```
   */
  async promptContext(rawUserId: string, options: UserPromptOptions = {}): Promise<PromptContext> {
    const snap = await this.store.readUser(this.userKey(rawUserId));
    const recommendations = await this.recommend(rawUserId, { k: options.k ?? 5 });
    const profile = snap.profile ?? emptyProfile(this.userKey(rawUserId), new Date(this.clock()).toISOString());
    const personal = this.allows(snap.profile, 'personalization');
    const tone = chooseTone({ preferred: personal ? profile.traits.tone : undefined, text: options.text, segmentTone: personal ? this.segments.toneFor(snap.segments) : undefined, fallback: this.defaultTone });
    const source = { profile, segments: snap.segments, recommendations, tone, personal, language: answerLanguage(options.text, options.locale ?? profile.context.locale) };
    return renderPromptContext(promptData(source, this, options.k), options);
  }

  /**
   * Logs a language model's completion as a turn: the user's message (`prompt`, when given)
   * and the answer, redacted and pseudonymized like every turn, and the offered items the
   * answer names as an impression. Validates its input (ValidationError).
   */
  async recordAnswer(input: RecordAnswerInput): Promise<void> {
    const { turn, answer, offered } = parseAnswer(input, new Date(this.clock()));
    await this.handle(turn, (ctx) => recordAnswerInTurn(ctx, answer, offered ?? ctx.personalization.recommendations.map(promptItem)), { adapter: 'llm' });
  }

  /** Serves a new model (e.g. after training or loading an artifact). */
  setRecommender(model: Recommender | undefined): void {
    this.serving.set(model);
  }

  /**
   * Trains a recommender on the whole event log (off the turn path), saves it as a new
   * artifact version in the store, and starts serving it.
   */
  train(options: TrainOptions = {}): Promise<TrainResult> {
    return this.serving.train(options);
  }

  /**
   * Serves a saved model: an artifact object (a file written by `attune train --out`), or the
   * store's latest (or given) version. Returns false when the store holds none.
   */
  loadRecommender(source?: ModelArtifact | { version?: number }): Promise<boolean> {
    return this.serving.load(source);
  }

  /** Closes the store, once every write is done. */
  async close(): Promise<void> {
    await this.flush();
    await this.review?.close();
    await this.store.close();
  }

  private async observeIngest(options: IngestOptions, run: (source: string) => Promise<IngestOutcome>): Promise<IngestResult> {
    const source = options.source ?? 'library';
    if (!this.hooks.has('onIngest') && !this.hooks.has('onInvalidInput')) return withoutEvents(await run(source));
    const t0 = performance.now();
    try {
      const outcome = await run(source);
      this.hooks.emit('onIngest', {
        source,
        accepted: outcome.accepted.length,
        duplicates: outcome.duplicates.length,
        events: outcome.events.map(ingestedEvent),
        derived: outcome.derived.map(ingestedEvent),
        ms: performance.now() - t0,
        ok: true,
      });
      return withoutEvents(outcome);
    } catch (error) {
      this.hooks.emit('onIngest', { source, accepted: 0, duplicates: 0, events: [], derived: [], ms: performance.now() - t0, ok: false, error });
      // Through an edge, the edge reports the refusal; called in process, nobody else would.
      if (error instanceof ValidationError && options.source === undefined) this.hooks.emit('onInvalidInput', { source, issues: error.issues.length });
      throw error;
    }
  }
}
