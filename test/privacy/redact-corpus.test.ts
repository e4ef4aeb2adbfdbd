import { createRedactor, type PiiType } from '../../src/privacy/redact';

/**
 * A corpus of what a shopper types to a bot: each positive case names the text that must go
 * and its type; each negative case must come out unchanged. Precision matters as much as
 * recall here, because a redacted order number or price breaks the conversation's analytics.
 */

const redactor = createRedactor();

const positives: [PiiType, string][] = [
  ['EMAIL', 'ann@example.com'],
  ['EMAIL', 'John.Doe+shop@mail.example.co.uk'],
  ['EMAIL', 'a_b-c@sub-domain.example.io'],
  ['EMAIL', 'zoë@exämple.de'],
  ['PHONE', '+44 20 7946 0958'],
  ['PHONE', '(415) 555-2671'],
  ['PHONE', '415-555-2671'],
  ['PHONE', '415.555.2671'],
  ['PHONE', '+33 1 23 45 67 89'],
  ['PHONE', '0049 30 1234567'],
  ['PHONE', '+1 (415) 555-2671'],
  ['PHONE', '+14155552671'],
  ['PHONE', '1-800-555-0199'],
  ['PHONE', '+49 (0)30 1234567'],
  ['PHONE', '+49 151 12345678'],
  ['PHONE', '020 7946 0958'],
  ['PHONE', '01 23 45 67 89'],
  ['PHONE', '030-1234567'],
  ['PHONE', '+91 98765 43210'],
  ['PHONE', '+61 2 9374 4000'],
  ['CREDIT_CARD', '4111 1111 1111 1111'],
  ['CREDIT_CARD', '4111-1111-1111-1111'],
  ['CREDIT_CARD', '4111111111111111'],
  ['CREDIT_CARD', '5500 0000 0000 0004'],
  ['CREDIT_CARD', '3782 822463 10005'],
  ['CREDIT_CARD', '6011000990139424'],
  ['CREDIT_CARD', '2221 0000 0000 0009'],
  ['IBAN', 'DE89 3704 0044 0532 0130 00'],
  ['IBAN', 'DE89370400440532013000'],
  ['IBAN', 'GB82WEST12345698765432'],
  ['IBAN', 'GB82 WEST 1234 5698 7654 32'],
  ['IBAN', 'FR14 2004 1010 0505 0001 3M02 606'],
  ['IBAN', 'NL91ABNA0417164300'],
  ['IP_ADDRESS', '192.168.1.1'],
  ['IP_ADDRESS', '8.8.8.8'],
  ['IP_ADDRESS', '2001:db8::8a2e:370:7334'],
  ['IP_ADDRESS', '2001:0db8:85a3:0000:0000:8a2e:0370:7334'],
  ['IP_ADDRESS', 'fe80::1ff:fe23:4567:890a'],
  ['MAC_ADDRESS', '00:1A:2B:3C:4D:5E'],
  ['MAC_ADDRESS', '00-1a-2b-3c-4d-5e'],
  ['US_SSN', '123-45-6788'],
  ['US_SSN', '234 56 7891'],
  ['URL_CREDENTIALS', 'bob:hunter2'],
];

/** Sentence frames the positives are embedded in: start, middle, end, before punctuation. */
const frames = ['{}', 'my details: {}.', 'Please use {} for it', '({})', 'it is {}, thanks!', 'pii:\n{}\nend'];

describe('redaction corpus: personal data is found', () => {
  it.each(positives)('%s %s is replaced by its placeholder in every frame', (type, pii) => {
    for (const frame of frames) {
      const text = type === 'URL_CREDENTIALS' ? frame.replace('{}', `https://${pii}@db.example.com/x`) : frame.replace('{}', pii);
      const out = redactor.redactText(text);
      expect(out).toContain(`<${type}>`);
      expect(out).not.toContain(pii);
    }
  });

  it.each([
    ['my ssn is 234567891', '<US_SSN>'],
    ['SSN: 234567891', '<US_SSN>'],
    ['call me at 4155552671', '<PHONE>'],
    ['my mobile: 07700900123', '<PHONE>'],
  ])('a bare digit run counts near a context word: %s', (text, placeholder) => {
    expect(redactor.redactText(text)).toContain(placeholder);
  });
});

const negatives = [
  'Where is my order ORD-2024-000123?',
  'Order #123456 has shipped',
  'order number 4155552671 is late',
  'It costs $1,299.99 or 12,50 € or £1,049.00',
  'Total: 1.299,95 EUR',
  'Delivered on 2024-03-15 at 14:30',
  'Delivered on 15/03/2024, 03/15/2024, 15.03.2024 or 01-02-2024',
  'Opening hours 09:00-17:30, 10:30:45',
  'SKU-88231-BLK in size 42',
  'ASIN B07XJ8C8F5',
  'Part 978-3-16-148410-0 (ISBN)',
  'I want 3 of them, 12 pairs, 250 g, 1000 units',
  'Back in 2023 and 2024',
  'Ship to zip 90210 or 94105-1234',
  'code 1234, pin 0000, 42',
  'version 2.4.1 of the app',
  'Tracking 1Z999AA10123456784',
  'invoice INV-2024-03-000045',
  'Call center hours are 9 to 5',
  'email me later please, my phone is broken',
  'a 16 digit order id 1234567812345678',
  'I paid 4111 dollars',
  'room 123-45-678',
  'ratio 16:9 and 4:3',
  'it weighs 3.5 kg, costs 19.99',
  'card ending in 1111',
  'the product id is 0123456789',
  'std::vector and a::b',
  'IBAN-like XX89370400440532013000 and DE88370400440532013000 (bad check digits)',
  'invalid ssn 000-12-3456 and 666-12-3456 and 923-45-6789 and 123-00-4567',
  'https://shop.example.com/products/123?ref=abc',
  'user@ without domain and @handle',
  'Page 2 of 10, item 5/12',
  '2024-03-15T14:30:00Z',
  'phone case for iPhone 15 Pro Max',
];

describe('redaction corpus: what is not personal data survives', () => {
  it.each(negatives)('%s', (text) => {
    const result = redactor.redact(text);
    expect(result.findings).toEqual([]);
    expect(result.text).toBe(text);
  });
});
