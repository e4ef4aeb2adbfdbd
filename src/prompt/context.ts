import type { Catalog } from '../core/catalog';
import type { Recommendation, ToneName } from '../core/personalization';
import type { Profile } from '../core/profile';
import { detectLanguage, languageOfLocale, type ToneLanguage } from '../tone/language';
import { TONE_INSTRUCTIONS } from './instructions';

/**
 * The personalization of one user as data for a language model's system prompt: what the
 * block says, before it is rendered as text.
 */

/** One recommended item as the block shows it. */
export interface PromptItem {
  itemId: string;
  title: string;
  category?: string;
  price?: number;
  /** The machine-readable reason (`affinity:running`, `popular`). */
  reason: string;
  /** The reason in words, in the user's language; dropped first when the block is over budget. */
  explanation?: string;
}

/** What the block says about the user, structured. */
export interface PromptContextData {
  /** Short clauses about the user (visits, orders, interests, recent items), most telling first. */
  summary: string[];
  /** The segments the user is in, with their display names. */
  segments: { id: string; name: string }[];
  tone: ToneName;
  /** The language the user writes in (or their locale's), which the tone instruction is written in. */
  language: ToneLanguage;
  toneInstruction: string;
  /** Recommended items, best first. */
  recommendations: PromptItem[];
  /** A question the model should ask (onboarding), with the answers to offer; never cut. */
  ask?: string;
}

/** What a user's personalization is read from: a turn's, or the store's outside a turn. */
export interface PromptSource {
  profile: Profile;
  segments: readonly string[];
  recommendations: readonly Recommendation[];
  tone: ToneName;
  language: ToneLanguage;
  /** Whether the user allows personalization: without it the block says nothing about them. */
  personal: boolean;
}

/** What naming segments and items needs. */
export interface PromptDeps {
  /** The segment definitions, for their display names. */
  segments: { readonly definitions: readonly { id: string; name?: string }[] };
  catalog: Pick<Catalog, 'get'>;
}

/** How many items the block lists at most (default). */
export const PROMPT_ITEMS = 5;

/**
 * The block's data for one user: a summary of the profile, the segments by name, the tone as
 * an instruction in the user's language and up to `k` recommendations with ids and reasons.
 */
export function promptData(source: PromptSource, deps: PromptDeps, k = PROMPT_ITEMS): PromptContextData {
  const names = new Map(deps.segments.definitions.map((d) => [d.id, d.name ?? d.id]));
  return {
    summary: source.personal ? summaryOf(source.profile, deps.catalog) : [],
    segments: source.personal ? source.segments.map((id) => ({ id, name: names.get(id) ?? id })) : [],
    tone: source.tone,
    language: source.language,
    toneInstruction: TONE_INSTRUCTIONS[source.language][source.tone],
    recommendations: source.recommendations.slice(0, k).map(promptItem),
  };
}

/** A recommendation as the block lists it. */
export function promptItem(r: Recommendation): PromptItem {
  const item: PromptItem = { itemId: r.itemId, title: r.item?.title ?? r.itemId, reason: r.reason };
  if (r.item?.category) item.category = r.item.category;
  if (r.item?.price !== undefined) item.price = r.item.price;
  if (r.explanation) item.explanation = r.explanation;
  return item;
}

/** Clauses about the user, most telling first: the budget cuts from the end. */
function summaryOf(profile: Profile, catalog: PromptDeps['catalog']): string[] {
  const out: string[] = [];
  const interests = Object.entries(profile.affinities)
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 3)
    .map(([category]) => category);
  if (interests.length) out.push(`interested in ${interests.join(', ')}`);
  if (profile.orders > 0) out.push(`${profile.orders} order${profile.orders === 1 ? '' : 's'} so far (${profile.revenue.toFixed(2)} spent)`);
  const messages = profile.counts.messages ?? 0;
  out.push(messages <= 1 && profile.orders === 0 ? 'a new visitor' : `a returning visitor (${messages} messages)`);
  const recent = profile.recentItems.slice(0, 3).flatMap((r) => catalog.get(r.id)?.title ?? []);
  if (recent.length) out.push(`recently looked at ${recent.join(', ')}`);
  return out;
}

/**
 * The language to instruct the model in: the one the user writes in, else their locale's,
 * else English (the languages Attune has templates for).
 */
export function answerLanguage(text: string | undefined, locale: string | undefined): ToneLanguage {
  return (text ? detectLanguage(text) : undefined) ?? languageOfLocale(locale) ?? 'en';
}
