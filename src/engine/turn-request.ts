import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { RecommendFilterSchema } from '../core/filter';
import type { ExperimentVariant, Personalization, Predictions, Recommendation, ToneName } from '../core/personalization';
import type { Reply, Turn } from '../core/turn';
import { parse } from '../core/validate';
import { MAX_ID_LENGTH, withinBounds } from '../core/validate';
import type { OnboardingPrompt } from '../onboarding/step';

/**
 * The generic adapter, for any bot that can make an HTTP call or a function call: a user's
 * message with its context in, the personalization out (`POST /v1/turns`, `attune.turn()`).
 */

const id = z.string().min(1).max(MAX_ID_LENGTH);
const short = z.string().max(64);

const DraftSchema = z.union([
  z.string().max(32_768),
  z.strictObject({
    text: z.string().max(32_768).optional(),
    /** Attach recommendations to the reply: `true`, or how many and in which style. */
    recommend: z
      .union([z.boolean(), z.strictObject({ k: z.number().int().min(1).max(20).optional(), style: z.enum(['suggestions', 'carousel']).optional(), filter: RecommendFilterSchema.optional() })])
      .optional(),
  }),
]);

/** A turn as any bot can describe it. */
export const TurnRequestSchema = z.strictObject({
  /** The user, in the bot's id space (the same as the REST API's and the adapters'). */
  userId: id,
  /** The conversation (default: one session per user). */
  sessionId: id.optional(),
  /** The bot's id for the message, used as the logged event's messageId (default: random). */
  messageId: id.optional(),
  /** Channel or platform, e.g. `web`, `whatsapp` (default `http`). */
  channel: short.optional(),
  /** What the user said. */
  text: z.string().max(32_768).optional(),
  /** `message` (default), `conversation` (a conversation starts), `event`, `reaction`, `other`. */
  kind: z.enum(['message', 'event', 'reaction', 'conversation', 'other']).optional(),
  locale: z.string().max(35).optional(),
  timezone: short.optional(),
  device: short.optional(),
  country: short.optional(),
  /** The intent, when the bot's NLU knows it. */
  intent: z.string().max(256).optional(),
  /** Entities the bot's NLU recognized. */
  entities: z.record(z.string().max(256), z.unknown()).superRefine(withinBounds({ depth: 8, size: 16_384 })).optional(),
  /** The user's display name on the channel: fills `{name}` in greetings for this turn, never stored. */
  userName: z.string().max(256).optional(),
  /** What the user narrowed recommendations to (price range, categories, tags): applies to every list of the turn. */
  filter: RecommendFilterSchema.optional(),
  /** The bot's draft reply: rewritten in the user's tone, recommendations attached if asked. */
  reply: DraftSchema.optional(),
  /** When it happened (default: now). */
  timestamp: z.iso.datetime({ offset: true }).optional(),
});

/** A turn as any bot can describe it (see {@link TurnRequestSchema}). */
export type TurnRequest = z.input<typeof TurnRequestSchema>;

/** What Attune decided for a turn, as plain JSON. */
export interface TurnResult {
  /** The recommendations for this user now, best first. */
  recommendations: Recommendation[];
  tone: ToneName;
  /** The draft reply rewritten in the tone, with recommendations attached when asked. */
  reply?: Reply;
  segments: string[];
  /** Segments entered and left on this turn. */
  entered: string[];
  exited: string[];
  /** The experiment variant, when an experiment runs (the first experiment's). */
  variant?: string;
  /** Every experiment the user is in, with its variant and what the variant overrides (`overrides.message` is for the bot). */
  experiments?: ExperimentVariant[];
  /** An onboarding question to ask after the reply (its choices as quick replies), when the onboarding stage runs. */
  onboarding?: OnboardingPrompt;
  /** Purchase propensity, when a propensity model is served (see `predict` in the engine's options). */
  predictions?: Predictions;
  /** True on the user's first turn ever. */
  firstVisit: boolean;
  /** True when Attune could not personalize (store down, user erased): the bot answers as it would without it. */
  degraded: boolean;
}

/** Validates a turn request (ValidationError naming what is wrong) and makes the neutral turn. */
export function parseTurnRequest(input: unknown, now: Date): { turn: Turn; draft?: Reply } {
  const r = parse(TurnRequestSchema, input, 'turn');
  const signals: Turn['signals'] = {};
  if (r.locale) signals.locale = r.locale;
  if (r.timezone) signals.timezone = r.timezone;
  if (r.device) signals.device = r.device;
  if (r.country) signals.country = r.country;
  const turn: Turn = {
    id: r.messageId ?? randomUUID(),
    userId: r.userId,
    sessionId: r.sessionId ?? `user:${r.userId}`,
    channel: r.channel ?? 'http',
    kind: r.kind ?? 'message',
    signals,
    timestamp: r.timestamp ? new Date(r.timestamp).toISOString() : now.toISOString(),
  };
  if (r.text !== undefined) turn.text = r.text;
  if (r.intent !== undefined) turn.intent = r.intent;
  if (r.entities !== undefined) turn.entities = r.entities;
  if (r.userName !== undefined) turn.userName = r.userName;
  if (r.filter !== undefined) turn.filter = r.filter;
  const draft: Reply | undefined = r.reply === undefined ? undefined : typeof r.reply === 'string' ? { text: r.reply } : { ...r.reply };
  return draft ? { turn, draft } : { turn };
}

/** The JSON answer for a turn once its pipeline ran. */
export function turnResult(p: Personalization & { onboarding?: OnboardingPrompt }, degraded: boolean, reply?: Reply): TurnResult {
  const out: TurnResult = {
    recommendations: p.recommendations,
    tone: p.tone,
    segments: p.segments,
    entered: p.entered,
    exited: p.exited,
    firstVisit: p.firstVisit,
    degraded,
  };
  if (reply) out.reply = reply;
  if (p.variant !== undefined) out.variant = p.variant;
  if (p.experiments?.length) out.experiments = p.experiments;
  if (p.onboarding && !degraded) out.onboarding = p.onboarding;
  if (p.predictions && !degraded) out.predictions = p.predictions;
  return out;
}
