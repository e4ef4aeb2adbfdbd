import type { CatalogItem } from '../../src/core/catalog';
import { mulberry32 } from '../../src/core/random';

/** One user message of the scripted conversation, before the adapter fills in ids. */
export interface ScriptedMessage {
  userId: string;
  userName: string;
  conversationId: string;
  text: string;
  /** True when the text names a catalog category (what Attune's mention matcher keys on). */
  mentionsCategory: boolean;
}

/** Shape of the script: how many users, conversations each, and how often a category comes up. */
export interface ChatOptions {
  turns: number;
  users?: number;
  conversationsPerUser?: number;
  /** Share of messages that name a catalog category (default 0.35). */
  mentionShare?: number;
  seed?: number;
}

const NAMES = ['Ana', 'Ben', 'Chloe', 'Dev', 'Emeka', 'Fatima', 'Greta', 'Hiro'];

const SMALL_TALK = [
  'hi there',
  'hello! is anyone around to help me with an order?',
  'thanks, that helps a lot',
  'what is your return policy if the size does not fit?',
  'can you track my order? it was supposed to arrive on Tuesday and I still have nothing',
  'do you ship to Canada, and how long does it usually take?',
  'ok, I will think about it and come back later this week',
  'is there a discount code for first-time customers?',
  'my email is jane.doe@example.com if you need to send me the invoice',
  'the payment page keeps timing out when I try to check out with my card',
  'can I change the delivery address after the order has been placed?',
  'what are your opening hours on weekends?',
];

const ASKS = [
  (p: string) => `do you have any ${p}?`,
  (p: string) => `I'm looking for ${p} for a trip next month, something durable but not too heavy`,
  (p: string) => `show me your best ${p} under 100 dollars please`,
  (p: string) => `my sister is into it, which ${p} would you recommend as a birthday gift?`,
  (p: string) => `are the ${p} in stock in a medium size? the last ones I bought ran small`,
  (p: string) => `compare two ${p} for me, I can't decide between them`,
];

/** Mulberry32 (the project's seeded generator), so every configuration sees the same conversation. */
export const prng = mulberry32;

/**
 * A shop conversation of `turns` user messages spread over a few users and conversations:
 * small talk (order tracking, returns, one message with an email address) mixed with questions
 * naming a product ("do you have any running shoes?"), phrased from the catalog's own titles.
 */
export function scriptedChat(catalog: readonly CatalogItem[], options: ChatOptions): ScriptedMessage[] {
  const { turns, users = 6, conversationsPerUser = 2, mentionShare = 0.35, seed = 42 } = options;
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  // "Ember running shoes" → "running shoes": the product noun phrase without the brand.
  const phrases = [...new Set(catalog.map((i) => i.title.toLowerCase().split(' ').slice(1).join(' ')).filter((p) => p.length > 0))];
  const people = Array.from({ length: users }, (_, u) => ({ id: `user-${u + 1}`, name: NAMES[u % NAMES.length] }));
  const script: ScriptedMessage[] = [];
  for (let i = 0; i < turns; i++) {
    const person = pick(people);
    const mentionsCategory = rand() < mentionShare;
    script.push({
      userId: person.id,
      userName: person.name,
      conversationId: `conv-${person.id}-${Math.floor(rand() * conversationsPerUser) + 1}`,
      text: mentionsCategory ? pick(ASKS)(pick(phrases)) : pick(SMALL_TALK),
      mentionsCategory,
    });
  }
  return script;
}
