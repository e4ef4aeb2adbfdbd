import type { ToneName } from '../core/personalization';
import { detectLanguage, type ToneLanguage } from './language';
import type { ToneTemplatesByLanguage } from './locales';
import { rewrite } from './rewrite';

/** How each language opens a greeting: a reply that starts so is not greeted a second time. */
const GREETINGS: Readonly<Record<ToneLanguage, RegExp>> = {
  en: /^\W*(hello|hi|hey|welcome|good (morning|afternoon|evening)|greetings)\b/i,
  de: /^\W*(hallo|hi|hey|willkommen|guten (tag|morgen|abend)|servus|moin)\b/i,
  es: /^\W*(hola|buenos días|buenas (tardes|noches)|bienvenid[oa]s?)\b/i,
  fr: /^\W*(bonjour|salut|bonsoir|bienvenue|coucou)\b/i,
};

/** Options of {@link speak}. */
export interface SpeakOptions {
  /** The first reply of a session: greeted, unless the bot greets already. */
  firstReply?: boolean;
  /** The first reply of the turn: only it gets the tone's prefix. */
  firstOfTurn?: boolean;
  /** Values for `{name}` and other placeholders. */
  vars?: Record<string, string | undefined>;
}

/**
 * Rewrites a reply in a tone with the templates of the reply's own language. Text whose
 * language cannot be told is returned as it is: one language's templates never touch
 * another's text.
 *
 * ```ts
 * speak('Hier sind einige Vorschläge für Sie.', LOCALE_TEMPLATES, 'friendly', { firstReply: true, vars: { name: 'Ann' } });
 * // "Willkommen, Ann! 👋 Hier sind einige Vorschläge für Sie."
 * ```
 */
export function speak(text: string, templates: ToneTemplatesByLanguage, tone: ToneName, options: SpeakOptions = {}): string {
  const language = detectLanguage(text);
  if (!language) return text;
  const greeted = GREETINGS[language].test(text);
  return rewrite(text, templates[language][tone], { firstReply: Boolean(options.firstReply) && !greeted, prefix: options.firstOfTurn !== false, vars: options.vars });
}
