import { LOCALE_TEMPLATES, mergeTemplates } from '../../src/tone/locales';
import { firstNameOf } from '../../src/tone/name';
import { speak } from '../../src/tone/speak';
import { TONE_LANGUAGES } from '../../src/tone/language';

const T = LOCALE_TEMPLATES;

describe('tone templates keyed by language', () => {
  test('every language has every tone', () => {
    for (const lang of TONE_LANGUAGES) expect(Object.keys(T[lang]).sort()).toEqual(['concise', 'empathetic', 'formal', 'friendly', 'neutral']);
  });

  test('a reply is greeted in its own language', () => {
    expect(speak('Here are some picks for you.', T, 'friendly', { firstReply: true, vars: { name: 'Ann' } })).toBe('Welcome, Ann! 👋 Here are some picks for you.');
    expect(speak('Hier sind einige Vorschläge für Sie.', T, 'friendly', { firstReply: true, vars: { name: 'Jörg' } })).toBe('Willkommen, Jörg! 👋 Hier sind einige Vorschläge für Sie.');
    expect(speak('Aquí tienes algunos productos para ti.', T, 'friendly', { firstReply: true })).toBe('¡Hola! 👋 Aquí tienes algunos productos para ti.');
    expect(speak('Voici quelques articles pour vous.', T, 'friendly', { firstReply: true })).toBe('Bienvenue! 👋 Voici quelques articles pour vous.');
  });

  test("one language's templates never touch another language's text", () => {
    // An English template that would wreck German ("die", "also", "hell" are German words too).
    const templates = mergeTemplates(T, { en: { formal: { replace: [['die', 'pass away'], ['also', 'as well'], ['hell', 'heck']], prefix: 'Dear customer,' } } });
    const german = 'Die Jacke ist hell und also genau richtig für Sie.';
    expect(speak(german, templates, 'formal')).toBe(german);
    expect(speak('I hope you also like this model.', templates, 'formal')).toBe('Dear customer, I hope you as well like this model.');
    // Each language gets its own.
    expect(speak('Hallo! Leider ist das nicht mehr da, aber hier sind andere für Sie.', T, 'formal')).toBe('Guten Tag. Leider ist das nicht mehr da, aber hier sind andere für Sie.');
    expect(speak('Hola, aquí tienes algunos productos que te pueden gustar.', T, 'empathetic')).toBe('Lo entiendo, y estoy aquí para ayudarte. Hola, aquí tienes algunos productos que te pueden gustar.');
    expect(speak('Salut, voici quelques articles pour vous.', T, 'formal')).toBe('Bonjour, voici quelques articles pour vous.');
  });

  test('text in a language it cannot tell is left alone, whatever the tone', () => {
    const dutch = 'Hoi! Helaas is dit niet meer beschikbaar, maar hier zijn andere.';
    for (const tone of ['formal', 'friendly', 'concise', 'empathetic'] as const) expect(speak(dutch, T, tone, { firstReply: true, vars: { name: 'Ann' } })).toBe(dutch);
    expect(speak('ok', T, 'empathetic', { firstReply: true })).toBe('ok');
  });

  test('a reply that greets already is not greeted again', () => {
    // (The friendly tone still says "Hi" for "Hello"; it does not put "Welcome!" before it.)
    expect(speak('Hello! I am the shop assistant. Ask me about running.', T, 'friendly', { firstReply: true })).toBe('Hi! I am the shop assistant. Ask me about running.');
    expect(speak('Hallo! Ich bin der Assistent und helfe Ihnen gerne.', T, 'friendly', { firstReply: true })).toBe('Hallo! Ich bin der Assistent und helfe Ihnen gerne.');
  });

  test('the empathetic prefix only on the first reply of a turn', () => {
    expect(speak('Let me check that order for you.', T, 'empathetic', { firstOfTurn: true })).toBe('I understand, and I am here to help. Let me check that order for you.');
    expect(speak('Here is what I found for you.', T, 'empathetic', { firstOfTurn: false })).toBe('Here is what I found for you.');
  });
});

describe('firstNameOf', () => {
  test('the first word of a real name; nothing for placeholders, ids and addresses', () => {
    expect(firstNameOf('Ann Smith')).toBe('Ann');
    expect(firstNameOf('José')).toBe('José');
    expect(firstNameOf('User')).toBeUndefined();
    expect(firstNameOf('29:1a2b3c')).toBeUndefined();
    expect(firstNameOf('ann@example.com')).toBeUndefined();
    expect(firstNameOf('  ')).toBeUndefined();
  });
});
