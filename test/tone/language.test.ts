import fc from 'fast-check';
import { detectLanguage, languageOfLocale } from '../../src/tone/language';

describe('detectLanguage', () => {
  test.each([
    ['Here are some running picks for you.', 'en'],
    ['Thanks for your order! You might also like these.', 'en'],
    ['Hier sind einige Vorschläge für Sie, die Ihnen gefallen könnten.', 'de'],
    ['Leider ist das nicht mehr verfügbar, aber wir haben noch andere.', 'de'],
    ['Aquí tienes algunos productos que te pueden gustar.', 'es'],
    ['Gracias por tu pedido, también te puede interesar esto.', 'es'],
    ['Voici quelques articles pour vous, avec nos meilleurs prix.', 'fr'],
    ['Merci pour votre commande, vous aimerez aussi ces produits.', 'fr'],
  ])('%s → %s', (text, lang) => {
    expect(detectLanguage(text)).toBe(lang);
  });

  test.each([
    ['ok'],
    ['👍'],
    ['Ember running shoes'],
    ['Dit zijn enkele suggesties voor jou.'], // Dutch
    ['Ecco alcuni prodotti per te.'], // Italian
    ['Det här är några förslag.'], // Swedish
    ['12.99 EUR'],
  ])('%s → unknown', (text) => {
    expect(detectLanguage(text)).toBeUndefined();
  });

  test('locale tags name their language, others none', () => {
    expect(languageOfLocale('de-DE')).toBe('de');
    expect(languageOfLocale('es_MX')).toBe('es');
    expect(languageOfLocale('nl-NL')).toBeUndefined();
    expect(languageOfLocale(undefined)).toBeUndefined();
  });
});

/** The first, plain implementation (a map of scores, sorted): the single-pass one must agree with it on every text. */
function detectLanguageReference(text: string): string | undefined {
  const stop: Record<string, ReadonlySet<string>> = {
    en: new Set('the and you your are is it this that for with have what here some of to can will would like not be we our my me i am there these those from hello hi hey thanks please yes sorry'.split(' ')),
    de: new Set('der die das und ist nicht ich sie wir ein eine einen für mit auf ihr ihre ihnen sind haben hier gerne bitte auch noch oder wie was kann können möchten zu von dem den hallo danke ja entschuldigung'.split(' ')),
    es: new Set('el los las y es no yo tú usted nosotros una unos para con por que qué aquí algunos está están tiene puedo puede quiero gracias también muy del al su sus hola sí lo siento'.split(' ')),
    fr: new Set('le les et est pas je vous nous une des pour avec que qui voici quelques êtes avez peux pouvez merci aussi très du au sur ce cette ces votre vos bonjour salut oui désolé'.split(' ')),
  };
  const langs = ['en', 'de', 'es', 'fr'];
  const letters: [string, RegExp][] = [
    ['de', /[äöüß]/gi],
    ['es', /[ñ¿¡]/gi],
    ['fr', /[çœèêàù]/gi],
  ];
  const words = text.toLowerCase().match(/[\p{L}']+/gu) ?? [];
  const score = new Map<string, number>(langs.map((l) => [l, 0]));
  for (const w of words) for (const l of langs) if (stop[l].has(w)) score.set(l, (score.get(l) ?? 0) + 1);
  for (const [l, re] of letters) if (score.get(l)) score.set(l, (score.get(l) ?? 0) + Math.min(2, text.match(re)?.length ?? 0));
  const [best, second] = [...score].sort((a, b) => b[1] - a[1]);
  if (best[1] < 2 || best[1] < 2 * second[1]) return undefined;
  return best[0];
}

describe('detectLanguage agrees with the reference implementation', () => {
  // Stop words of every language (shared ones included), the letters that back them up, and noise.
  const vocabulary = ['the', 'you', 'for', 'and', 'is', 'die', 'und', 'für', 'nicht', 'que', 'es', 'no', 'para', 'gracias', 'le', 'et', 'pour', 'vous', 'merci', 'très', 'größe', 'niño', '¿qué', 'ça', 'où', "don't", 'Ember', 'shoes', 'SALE', '42', '!!', 'Äpfel', 'ÇA', 'zebra', "l'été"];
  const text = fc.array(fc.oneof(fc.constantFrom(...vocabulary), fc.string({ maxLength: 6 })), { maxLength: 14 }).chain((ws) => fc.constantFrom(' ', ', ', '. ', '\n').map((sep) => ws.join(sep)));

  test('on texts built of stop words of all four languages, their letters and noise', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(detectLanguage(t)).toBe(detectLanguageReference(t));
      }),
      { numRuns: 3000, seed: 14 },
    );
  });

  test('the generator reaches every answer, so the agreement is not only on undefined', () => {
    const seen = new Set(fc.sample(text, { numRuns: 3000, seed: 14 }).map((t) => detectLanguageReference(t) ?? 'none'));
    expect([...seen].sort()).toEqual(['de', 'en', 'es', 'fr', 'none']);
  });
});
