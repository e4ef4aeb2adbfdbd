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
