import fc from 'fast-check';
import type { ToneName } from '../../src/core/personalization';
import { rewrite } from '../../src/tone/rewrite';
import { DEFAULT_TEMPLATES } from '../../src/tone/templates';

const T = DEFAULT_TEMPLATES;
const TONES = Object.keys(T) as ToneName[];

describe('built-in tones', () => {
  test('neutral leaves the text exactly as the bot wrote it', () => {
    for (const text of ['hi.  see e.g. the faq\n\n- one\n- two', "can't stop!!", 'lower case start']) expect(rewrite(text, T.neutral, { firstReply: true })).toBe(text);
  });

  test('formal expands contractions, formalizes greetings and drops exclamations', () => {
    expect(rewrite("Hi, I can't find that.", T.formal)).toBe('Hello, I cannot find that.');
    expect(rewrite("hey! I'm sure it's cool!!", T.formal)).toBe('Hello. I am certainly it is very good.');
    expect(rewrite("Thanks, we're done. Yeah.", T.formal)).toBe('Thank you, we are done. Yes.');
  });

  test('formal replaces whole words only', () => {
    expect(rewrite('This is history and coolant.', T.formal)).toBe('This is history and coolant.');
  });

  test('friendly greets on the first reply only and softens the register', () => {
    expect(rewrite('Hello, we certainly have it.', T.friendly, { firstReply: true })).toBe('Welcome! 👋 Hi, we sure have it.');
    expect(rewrite('Hello, we certainly have it.', T.friendly)).toBe('Hi, we sure have it.');
  });

  test('concise drops fillers without leaving stray punctuation, and keeps two sentences', () => {
    expect(rewrite('Basically, the shoes are great.', T.concise)).toBe('The shoes are great.');
    expect(rewrite('I think that we have it. It is really just right. Call us.', T.concise)).toBe('We have it. It is right.');
    expect(rewrite('Actually, we have it. Really. Yes.', T.concise)).toBe('We have it. Yes.');
    expect(rewrite('As you may know, we ship daily.', T.concise)).toBe('We ship daily.');
    expect(rewrite('Click here in order to pay.', T.concise)).toBe('Click here to pay.');
  });

  test("concise does not cut a word off a contraction (I think that's it)", () => {
    expect(rewrite("I think that's it.", T.concise)).toBe("That's it.");
  });

  test('empathetic acknowledges first and says sorry instead of unfortunately', () => {
    expect(rewrite('Unfortunately, it is sold out.', T.empathetic)).toBe('I understand, and I am here to help. I am sorry, but it is sold out.');
    expect(rewrite('We looked, but unfortunately it is gone.', T.empathetic)).toBe('I understand, and I am here to help. We looked, but I am sorry, but it is gone.');
  });

  test('every tone keeps line breaks', () => {
    for (const tone of TONES) expect(rewrite('Options:\n- one\n- two', T[tone])).toContain('\n- two');
  });

  test('empty and blank text is returned untouched', () => {
    for (const tone of TONES) {
      expect(rewrite('', T[tone], { firstReply: true })).toBe('');
      expect(rewrite('  ', T[tone], { firstReply: true })).toBe('  ');
    }
  });
});

describe('templates', () => {
  test('placeholders are filled from vars, missing ones vanish with their space', () => {
    const template = { greeting: 'Welcome back, {name}!', suffix: 'Anything else, {name}?' };
    expect(rewrite('Here it is.', template, { firstReply: true, vars: { name: 'Ann' } })).toBe('Welcome back, Ann! Here it is. Anything else, Ann?');
    expect(rewrite('Here it is.', template, { firstReply: true })).toBe('Welcome back! Here it is. Anything else?');
  });

  test('greeting comes before prefix', () => {
    expect(rewrite('Sure.', { greeting: 'Hi!', prefix: 'Note:' }, { firstReply: true })).toBe('Hi! Note: Sure.');
  });
});

describe('idempotence', () => {
  test('rewriting twice gives the same text as once (examples)', () => {
    for (const tone of TONES) {
      for (const text of ['I I think think so.', "Hi! I can't. Really.", 'Unfortunately, no.', 'Just just do it.']) {
        const once = rewrite(text, T[tone], { firstReply: true });
        expect(rewrite(once, T[tone], { firstReply: true })).toBe(once);
        expect(rewrite(once, T[tone])).toBe(once);
      }
    }
  });

  test('rewriting twice gives the same text as once (random sentences)', () => {
    const words = ['hi', 'Hey', 'hello', 'thanks', "can't", "I'm", "it's", 'sure', 'certainly', 'cool', 'yeah', 'I', 'think', 'that', 'I think', 'basically', 'actually', 'just', 'really', 'please note that', 'as you may know,', 'in order to', 'unfortunately', 'the', 'shoes', 'are', 'great', 'we', 'have', 'it', 'e.g.', '42', 'x'];
    const punct = ['', '', '', ',', '.', '!', '?', '!!', '...', '\n'];
    const sentence = fc.array(fc.tuple(fc.constantFrom(...words), fc.constantFrom(...punct)), { minLength: 1, maxLength: 14 }).map((parts) => parts.map(([w, p]) => w + p).join(' '));
    fc.assert(
      fc.property(sentence, fc.constantFrom(...TONES), fc.boolean(), (text, tone, firstReply) => {
        const once = rewrite(text, T[tone], { firstReply });
        expect(rewrite(once, T[tone], { firstReply })).toBe(once);
      }),
      { numRuns: 2000, seed: 7 },
    );
  });
});
