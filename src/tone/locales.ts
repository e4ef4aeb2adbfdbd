import type { ToneName } from '../core/personalization';
import type { ToneLanguage } from './language';
import { DEFAULT_TEMPLATES, type ToneTemplate } from './templates';

/** Tone templates for every language Attune speaks, keyed by language then tone. */
export type ToneTemplatesByLanguage = Readonly<Record<ToneLanguage, Readonly<Record<ToneName, ToneTemplate>>>>;

/**
 * The built-in templates per language. Each language's templates only ever touch text in that
 * language (see `rewriteInLanguage`); replacements are kept to what holds whatever the word
 * order, since German verbs move and Spanish opens with `¡`.
 */
export const LOCALE_TEMPLATES: ToneTemplatesByLanguage = {
  en: DEFAULT_TEMPLATES,
  de: {
    neutral: {},
    formal: { replace: [['hallo', 'Guten Tag'], ['hi', 'Guten Tag'], ['hey', 'Guten Tag'], ['danke', 'vielen Dank'], ['super', 'sehr gut'], ['cool', 'sehr gut']], drop: ['!'] },
    friendly: { greeting: 'Willkommen, {name}! 👋', replace: [['guten Tag', 'Hallo']] },
    concise: { drop: ['eigentlich', 'grundsätzlich', 'wirklich', 'im Grunde', 'bitte beachten Sie, dass'], maxSentences: 2 },
    empathetic: { prefix: 'Ich verstehe, und ich bin für Sie da.' },
  },
  es: {
    neutral: {},
    formal: { replace: [['hola', 'Buenos días'], ['gracias', 'muchas gracias'], ['genial', 'excelente'], ['vale', 'de acuerdo']] },
    friendly: { greeting: '¡Hola, {name}! 👋', replace: [['buenos días', 'hola']] },
    concise: { drop: ['básicamente', 'realmente', 'en realidad', 'simplemente'], maxSentences: 2 },
    empathetic: { prefix: 'Lo entiendo, y estoy aquí para ayudarte.', replace: [['lamentablemente,', 'lo siento, pero'], ['lamentablemente', 'lo siento, pero']] },
  },
  fr: {
    neutral: {},
    formal: { replace: [['salut', 'Bonjour'], ['coucou', 'Bonjour'], ['merci', 'merci beaucoup'], ['super', 'excellent']] },
    friendly: { greeting: 'Bienvenue, {name}! 👋', replace: [['bonjour', 'salut']] },
    concise: { drop: ['en fait', 'vraiment', 'simplement', 'fondamentalement'], maxSentences: 2 },
    empathetic: { prefix: 'Je comprends, et je suis là pour vous aider.', replace: [['malheureusement,', 'je suis désolé, mais'], ['malheureusement', 'je suis désolé, mais']] },
  },
};

/** Overrides of some tones in some languages, merged over a base set by {@link mergeTemplates}. */
export type ToneOverrides = Partial<Record<ToneLanguage, Partial<Record<ToneName, Partial<ToneTemplate>>>>>;

/** `base` with each overridden template merged field by field. */
export function mergeTemplates(base: ToneTemplatesByLanguage, overrides: ToneOverrides | undefined): ToneTemplatesByLanguage {
  if (!overrides) return base;
  const out = { ...base } as Record<ToneLanguage, Record<ToneName, ToneTemplate>>;
  for (const [lang, tones] of Object.entries(overrides) as [ToneLanguage, Partial<Record<ToneName, Partial<ToneTemplate>>>][]) {
    if (!Object.hasOwn(base, lang)) continue;
    const merged = { ...out[lang] };
    for (const [name, t] of Object.entries(tones ?? {}) as [ToneName, Partial<ToneTemplate>][]) merged[name] = { ...merged[name], ...t };
    out[lang] = merged;
  }
  return out;
}
