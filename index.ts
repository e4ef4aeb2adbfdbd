/**
 * `attune`: the personalization layer for chatbots. Every export is named here, grouped;
 * framework bindings live in their own entry points (`attune/botbuilder`, …).
 *
 * ```ts
 * import { createAttune } from 'attune';
 * import { AttuneMiddleware } from 'attune/botbuilder';
 * const attune = createAttune({ catalog: require('./catalog.json') });
 * adapter.use(new AttuneMiddleware(attune));
 * ```
 */
import { Attune, type AttuneOptions } from './src/engine/attune';
import { defaultStages, type DefaultStagesOptions } from './middleware';

/** Options of {@link createAttune}: the engine's and the default stages'. */
export interface CreateAttuneOptions extends AttuneOptions {
  stages?: DefaultStagesOptions;
}

/**
 * An Attune engine with the standard pipeline installed (log → context → profile → segment
 * → recommend → tone → feedback). Use `new Attune()` and `use()` for a pipeline of your own.
 */
export function createAttune(options: CreateAttuneOptions = {}): Attune {
  const { stages, ...engine } = options;
  return new Attune(engine).use(...defaultStages(stages));
}

// Engine
export { Attune } from './src/engine/attune';
export type { AttuneOptions, BotHandler, IngestResult, Stage } from './src/engine/attune';
export { AttuneContext } from './src/engine/context';
export type { ReplyTransform } from './src/engine/context';

// Stages
export { defaultStages, feedback, profileUpdate, recommendations, segmentMembership, sessionContext, tone, turnLog } from './middleware';
export type { DefaultStagesOptions, RecommendPolicy, RecommendStageOptions, SessionContextOptions, TurnLogOptions } from './middleware';

// Domain
export { Catalog, CatalogItemSchema } from './src/core/catalog';
export type { CatalogItem } from './src/core/catalog';
export { normalizeEvent, normalizeBatch, EventInputSchema, BatchInputSchema } from './src/core/event';
export type { AttuneEvent, EventInput, EventContext } from './src/core/event';
export { EcommerceEvents, AttuneEvents, productsOf } from './src/core/ecommerce';
export type { Turn, Reply, TurnKind, RecommendationStyle } from './src/core/turn';
export type { Profile } from './src/core/profile';
export type { Session } from './src/core/session';
export type { Personalization, Recommendation, ToneName } from './src/core/personalization';
export { compose } from './src/core/compose';
export type { Middleware, NextFn } from './src/core/compose';

// Errors
export { AttuneError, ValidationError, NotFoundError, ConfigError, StoreError } from './src/core/errors';
export type { ErrorCode, Issue } from './src/core/errors';

// Stores
export { MemoryStore } from './src/store/memory';
export type { Store, StoreOptions, WriteBatch, UserSnapshot, EventPage, EventQuery } from './src/store/store';

// Segments and tone
export { Segments, DEFAULT_SEGMENTS } from './src/segments/segments';
export type { SegmentDefinition } from './src/segments/segments';
export type { Rule } from './src/segments/rule';
export { DEFAULT_TEMPLATES } from './src/tone/templates';
export type { ToneTemplate } from './src/tone/templates';

// Recommendations
export type { Recommender, Interaction, Scored, ModelArtifact } from './src/recommend/recommender';
