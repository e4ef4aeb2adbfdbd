import fc from 'fast-check';
import { createRedactor } from '../../src/privacy/redact';

/** Property tests: generated personal data never survives, and harmless text is untouched. */

const redactor = createRedactor();

const digits = (n: number) => fc.stringMatching(new RegExp(`^\\d{${n}}$`));

function luhnDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

const emails = fc
  .tuple(
    fc.stringMatching(/^[a-z0-9]([a-z0-9._+-]{0,12}[a-z0-9])?$/),
    fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/),
    fc.stringMatching(/^[a-z]{2,6}$/),
  )
  .map(([local, domain, tld]) => `${local}@${domain}.${tld}`);

const cards = fc
  .tuple(fc.constantFrom('4', '51', '55', '6011', '2221', '35'), digits(15), fc.constantFrom('', ' ', '-'))
  .map(([prefix, rest, sep]) => {
    const body = (prefix + rest).slice(0, 15);
    const number = body + luhnDigit(body);
    return number.match(/.{4}/g)?.join(sep) ?? number;
  })
  .filter((card) => !/^(\d)\1+$/.test(card.replace(/\D/g, '')));

const nanpPart = fc.tuple(fc.integer({ min: 2, max: 9 }), digits(2)).map(([a, b]) => `${a}${b}`);
const phones = fc.oneof(
  fc.tuple(nanpPart, nanpPart, digits(4)).map(([a, e, s]) => `(${a}) ${e}-${s}`),
  fc.tuple(nanpPart, nanpPart, digits(4)).map(([a, e, s]) => `${a}-${e}-${s}`),
  fc.tuple(nanpPart, nanpPart, digits(4)).map(([a, e, s]) => `+1 ${a} ${e} ${s}`),
  fc.tuple(digits(4), digits(4)).map(([a, b]) => `+44 20 ${a} ${b}`),
  fc.tuple(fc.integer({ min: 1, max: 9 }), digits(2), digits(2), digits(2), digits(2)).map((p) => `+33 ${p.join(' ')}`),
  digits(7).map((d) => `0049 30 ${d}`),
  fc.tuple(digits(4), digits(4)).map(([a, b]) => `020 ${a} ${b}`),
);

const words = fc.array(fc.constantFrom('hello', 'my', 'order', 'is', 'late', 'please', 'help', 'thanks', 'the', 'shoes', 'ok'), { maxLength: 6 });
const safeTokens = fc.constantFrom(
  'ORD-2024-000123', '#123456', '$1,299.99', '12,50 €', '2024-03-15', '15/03/2024', '14:30', 'SKU-88231-BLK',
  'B07XJ8C8F5', '3', '42', '250 g', '2024', '90210', '1234', 'v2.4.1', 'size 10', '99.95', '1/2', 'INV-77', 'x2',
);
const safeText = fc.array(fc.oneof(safeTokens, fc.constantFrom('hello', 'order', 'price', 'on', 'at', 'for', 'and')), { maxLength: 12 }).map((t) => t.join(' '));

const embedded = (pii: fc.Arbitrary<string>) =>
  fc.tuple(words, pii, fc.constantFrom('', '.', ',', '!', '?'), words).map(([before, value, punct, after]) => ({
    value,
    text: [...before, value + punct, ...after].join(' '),
  }));

describe('redaction properties', () => {
  it.each([
    ['emails', emails, '<EMAIL>'],
    ['cards', cards, '<CREDIT_CARD>'],
    ['phones', phones, '<PHONE>'],
  ] as const)('generated %s embedded in text never survive', (_name, pii, placeholder) => {
    fc.assert(
      fc.property(embedded(pii), ({ value, text }) => {
        const out = redactor.redactText(text);
        expect(out).not.toContain(value);
        expect(out).toContain(placeholder);
      }),
      { numRuns: 300 },
    );
  });

  it('text without personal data is unchanged', () => {
    fc.assert(
      fc.property(safeText, (text) => {
        expect(redactor.redactText(text)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('redaction is idempotent', () => {
    const mixed = fc.array(fc.oneof(emails, cards, phones, safeTokens, fc.constantFrom('hi', 'and', 'call', 'ssn')), { maxLength: 10 }).map((t) => t.join(' '));
    fc.assert(
      fc.property(mixed, (text) => {
        const once = redactor.redactText(text);
        expect(redactor.redactText(once)).toBe(once);
      }),
      { numRuns: 500 },
    );
  });

  it('redactValue agrees with redactText on every string leaf', () => {
    fc.assert(
      fc.property(fc.array(embedded(emails)), (cases) => {
        const texts = cases.map((c) => c.text);
        expect(redactor.redactValue({ notes: texts })).toEqual({ notes: texts.map((t) => redactor.redactText(t)) });
      }),
      { numRuns: 100 },
    );
  });
});
