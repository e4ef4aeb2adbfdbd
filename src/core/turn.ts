import type { RecommendFilter } from './filter';
import type { Recommendation, ToneName } from './personalization';

/**
 * A neutral chat turn: what every adapter makes of its framework's request, and what every
 * stage reads. Nothing here names a bot framework.
 */

/** What kind of activity the turn is. Only `message` turns carry text. */
export type TurnKind = 'message' | 'event' | 'reaction' | 'conversation' | 'other';

/** Signals about where and how the user is talking. */
export interface TurnContextSignals {
  locale?: string;
  timezone?: string;
  device?: string;
  country?: string;
  city?: string;
}

/** One incoming turn. */
export interface Turn {
  /** The framework's id for the activity/request (used as the logged event's messageId). */
  id: string;
  /** The user's id in the bot's id space (from.id, session user, sender_id). */
  userId: string;
  /** Conversation or session id. */
  sessionId: string;
  /** Channel or platform, e.g. `msteams`, `webchat`, `dialogflow:slack`, `rasa:rest`. */
  channel: string;
  kind: TurnKind;
  text?: string;
  /** Intent name when the framework's NLU knows it. */
  intent?: string;
  /** Entities/parameters recognized by the framework's NLU. */
  entities?: Record<string, unknown>;
  /** Framework-specific value (button postback, reaction type, event payload). */
  value?: unknown;
  /** For reactions: what was reacted to and how (`like`, `dislike`…). */
  reaction?: { type: string; added: boolean; replyToId?: string };
  signals: TurnContextSignals;
  /**
   * The user's display name as the channel gives it (`from.name`). It fills `{name}` in tone
   * templates for this turn only, with the user's consent to personalization; no stage stores it.
   */
  userName?: string;
  /** What the user narrowed recommendations to on this turn (price, categories, tags). */
  filter?: RecommendFilter;
  /** When the turn happened (ISO 8601). */
  timestamp: string;
}

/** How recommendations are shown: quick-reply buttons or a card carousel. */
export type RecommendationStyle = 'suggestions' | 'carousel';

/** A reply the bot sends, in neutral form; adapters map it to and from their own formats. */
export interface Reply {
  text?: string;
  /** Set when the bot wants recommendations attached to this reply. */
  recommend?: boolean | { k?: number; style?: RecommendationStyle; filter?: RecommendFilter };
  /** Filled by the recommend stage: what to attach, and how. */
  recommendations?: Recommendation[];
  style?: RecommendationStyle;
  /** The tone the text was rewritten in. */
  tone?: ToneName;
  /**
   * Quick replies the user can answer with (an onboarding question's answers): adapters
   * render them as suggested actions, buttons or chips; pressing one sends its label back as text.
   */
  choices?: { value: string; label: string }[];
}
