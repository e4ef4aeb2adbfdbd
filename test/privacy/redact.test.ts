import { createHmac } from 'node:crypto';
import { ConfigError, ValidationError } from '../../src/core/errors';
import { createRedactor, resolveOverlaps, TRAIT_FIELD_TYPES, type Recognizer } from '../../src/privacy/redact';

describe('createRedactor', () => {
  it('replaces each finding with a typed placeholder by default and reports positions, not values', () => {
    const text = 'Hi, ann@example.com here, call (415) 555-2671';
    const { text: out, findings } = createRedactor().redact(text);
    expect(out).toBe('Hi, <EMAIL> here, call <PHONE>');
    expect(findings).toEqual([
      { type: 'EMAIL', start: 4, end: 19, score: expect.any(Number) },
      { type: 'PHONE', start: 31, end: 45, score: expect.any(Number) },
    ]);
    expect(JSON.stringify(findings)).not.toContain('ann');
  });

  it('looks only for the entity types asked for', () => {
    const r = createRedactor({ entities: ['EMAIL'] });
    expect(r.redactText('ann@example.com 415-555-2671')).toBe('<EMAIL> 415-555-2671');
  });

  it('rejects an unknown entity type', () => {
    expect(() => createRedactor({ entities: ['NAME' as never] })).toThrow(ConfigError);
  });

  it('keeps only user and password of a URL with credentials', () => {
    expect(createRedactor().redactText('db at postgres://admin:s3cret@db.internal:5432/app')).toBe(
      'db at postgres://<URL_CREDENTIALS>@db.internal:5432/app',
    );
  });

  it('runs extra recognizers alongside the built-in ones', () => {
    const member: Recognizer = {
      type: 'US_SSN',
      find: (text) => [...text.matchAll(/MEM-\d{6}/g)].map((m) => ({ type: 'US_SSN', start: m.index, end: m.index + m[0].length, score: 1 })),
    };
    expect(createRedactor({ recognizers: [member] }).redactText('card MEM-123456')).toBe('card <US_SSN>');
  });
});

describe('operators', () => {
  const card = '4111-1111-1111-1111';

  it('replace uses a custom value when given', () => {
    const r = createRedactor({ operators: { EMAIL: { type: 'replace', value: '[email]' } } });
    expect(r.redactText('to ann@example.com')).toBe('to [email]');
  });

  it('mask keeps separators and masks from the start or the end', () => {
    expect(createRedactor({ operators: { CREDIT_CARD: { type: 'mask', chars: 12 } } }).redactText(card)).toBe('****-****-****-1111');
    expect(createRedactor({ operators: { CREDIT_CARD: { type: 'mask', char: '#', chars: 4, fromEnd: true } } }).redactText(card)).toBe(
      '4111-1111-1111-####',
    );
    expect(createRedactor({ operators: { CREDIT_CARD: { type: 'mask' } } }).redactText(card)).toBe('****-****-****-****');
  });

  it('hash is a keyed, truncated HMAC-SHA256 of the canonical value', () => {
    const r = createRedactor({ defaultOperator: { type: 'hash', length: 20 }, hashKey: 'k1' });
    const expected = createHmac('sha256', 'k1').update('4155552671').digest('hex').slice(0, 20);
    expect(r.redactText('call (415) 555-2671')).toBe(`call ${expected}`);
    expect(r.redactText('call 415.555.2671')).toBe(`call ${expected}`);
    expect(r.redactText('Ann@Example.com')).toBe(r.redactText('ann@example.com'));
    const other = createRedactor({ defaultOperator: { type: 'hash', length: 20 }, hashKey: 'k2' });
    expect(other.redactText('call (415) 555-2671')).not.toBe(`call ${expected}`);
  });

  it('redact removes the text', () => {
    expect(createRedactor({ defaultOperator: { type: 'redact' } }).redactText('mail ann@example.com now')).toBe('mail  now');
  });

  it.each([
    [{ operators: { EMAIL: { type: 'hash' } } }],
    [{ operators: { EMAIL: { type: 'hash', length: 4 } }, hashKey: 'k' }],
    [{ operators: { EMAIL: { type: 'mask', char: '**' } } }],
    [{ operators: { EMAIL: { type: 'mask', chars: -1 } } }],
    [{ operators: { EMAIL: { type: 'mask', chars: 1.5 } } }],
  ] as const)('rejects invalid operator options with a ConfigError: %j', (options) => {
    expect(() => createRedactor(options)).toThrow(ConfigError);
  });
});

describe('redactValue', () => {
  const r = createRedactor();

  it('redacts strings deep inside objects and arrays and leaves other values alone', () => {
    const when = new Date(0);
    const input = { text: 'mail ann@example.com', items: [{ note: 'call 415-555-2671', qty: 2 }], ok: true, when, none: null };
    expect(r.redactValue(input)).toEqual({
      text: 'mail <EMAIL>',
      items: [{ note: 'call <PHONE>', qty: 2 }],
      ok: true,
      when,
      none: null,
    });
  });

  it('never mutates its input', () => {
    const input = { a: ['x@y.org'], b: { c: 'x@y.org' } };
    const snapshot = structuredClone(input);
    r.redactValue(input);
    expect(input).toEqual(snapshot);
  });

  it('replaces the whole value of a sensitive field, whatever its spelling', () => {
    expect(r.redactValue({ first_name: 'Ann', lastName: 'Lee', Phone: 4155552671, address: { city: 'Paris' }, name: 'Blue shoes' })).toEqual({
      first_name: '<PERSON>',
      lastName: '<PERSON>',
      Phone: '<PHONE>',
      address: { city: '<ADDRESS>' },
      name: 'Blue shoes',
    });
  });

  it('treats name as a person in identify traits', () => {
    expect(createRedactor({ fields: TRAIT_FIELD_TYPES }).redactValue({ name: 'Ann Lee', plan: 'pro' })).toEqual({ name: '<PERSON>', plan: 'pro' });
  });

  it('does not redact a sensitive field whose type is not asked for', () => {
    expect(createRedactor({ entities: ['PHONE'] }).redactValue({ email: 'ann@example.com' })).toEqual({ email: 'ann@example.com' });
  });

  it('refuses a value that contains itself', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => r.redactValue(loop)).toThrow(ValidationError);
  });
});

describe('resolveOverlaps', () => {
  it('keeps the most confident, then the longest, candidate of an overlap', () => {
    expect(
      resolveOverlaps([
        { type: 'PHONE', start: 0, end: 10, score: 0.5 },
        { type: 'CREDIT_CARD', start: 2, end: 8, score: 0.9 },
        { type: 'EMAIL', start: 12, end: 20, score: 0.5 },
        { type: 'PHONE', start: 12, end: 18, score: 0.5 },
      ]),
    ).toEqual([
      { type: 'CREDIT_CARD', start: 2, end: 8, score: 0.9 },
      { type: 'EMAIL', start: 12, end: 20, score: 0.5 },
    ]);
  });
});
