/**
 * A conservative language guess from stop words: enough to know which tone templates may
 * touch a text, never a reason to rewrite text in a language it cannot tell. When the text is
 * short, mixed or in any other language, the answer is `undefined` and the text is left alone.
 */

/** Languages Attune has tone templates for. */
export const TONE_LANGUAGES = ['en', 'de', 'es', 'fr'] as const;
/** One of {@link TONE_LANGUAGES}. */
export type ToneLanguage = (typeof TONE_LANGUAGES)[number];

// Function words only: they are frequent in any text of the language and rare in the others.
// Words two languages share ("a", "de", "en", "la", "die" in English names…) are left out.
const STOP_WORDS: Readonly<Record<ToneLanguage, ReadonlySet<string>>> = {
  en: new Set('the and you your are is it this that for with have what here some of to can will would like not be we our my me i am there these those from hello hi hey thanks please yes sorry'.split(' ')),
  de: new Set('der die das und ist nicht ich sie wir ein eine einen für mit auf ihr ihre ihnen sind haben hier gerne bitte auch noch oder wie was kann können möchten zu von dem den hallo danke ja entschuldigung'.split(' ')),
  es: new Set('el los las y es no yo tú usted nosotros una unos para con por que qué aquí algunos está están tiene puedo puede quiero gracias también muy del al su sus hola sí lo siento'.split(' ')),
  fr: new Set('le les et est pas je vous nous une des pour avec que qui voici quelques êtes avez peux pouvez merci aussi très du au sur ce cette ces votre vos bonjour salut oui désolé'.split(' ')),
};

const STOP_WORD_LISTS: readonly ReadonlySet<string>[] = TONE_LANGUAGES.map((l) => STOP_WORDS[l]);

// Letters that, in these four languages, only one of them uses, by index in TONE_LANGUAGES.
const LETTERS: readonly [number, RegExp][] = [
  [TONE_LANGUAGES.indexOf('de'), /[äöüß]/gi],
  [TONE_LANGUAGES.indexOf('es'), /[ñ¿¡]/gi],
  [TONE_LANGUAGES.indexOf('fr'), /[çœèêàù]/gi],
];

/**
 * The language of `text` among {@link TONE_LANGUAGES}, or `undefined` when it cannot be told
 * with confidence: at least two clues, and at least twice as many as any other language has.
 *
 * ```ts
 * detectLanguage('Here are some picks for you'); // 'en'
 * detectLanguage('Hier sind einige Vorschläge für Sie'); // 'de'
 * detectLanguage('Ok'); // undefined
 * ```
 */
export function detectLanguage(text: string): ToneLanguage | undefined {
  // Runs on every reply: one pass over the words into four counters, no map, no sort.
  const score = [0, 0, 0, 0];
  const words = /[\p{L}']+/gu;
  const lower = text.toLowerCase();
  for (let m = words.exec(lower); m !== null; m = words.exec(lower)) {
    const w = m[0];
    for (let l = 0; l < TONE_LANGUAGES.length; l++) if (STOP_WORD_LISTS[l].has(w)) score[l] += 1;
  }
  // Letters only back up words: Swedish has ä and ö too.
  for (const [l, re] of LETTERS) if (score[l]) score[l] += Math.min(2, text.match(re)?.length ?? 0);
  // The first language with the highest score wins ties, as a stable sort in TONE_LANGUAGES order would.
  let best = 0;
  for (let l = 1; l < score.length; l++) if (score[l] > score[best]) best = l;
  let second = 0;
  for (let l = 0; l < score.length; l++) if (l !== best && score[l] > second) second = score[l];
  if (score[best] < 2 || score[best] < 2 * second) return undefined;
  return TONE_LANGUAGES[best];
}

/** The tone language of a locale tag (`de-DE` → `de`), or `undefined` for any other. */
export function languageOfLocale(locale: string | undefined): ToneLanguage | undefined {
  const lang = locale?.split(/[-_]/)[0]?.toLowerCase();
  return (TONE_LANGUAGES as readonly string[]).includes(lang ?? '') ? (lang as ToneLanguage) : undefined;
}
