import type { z } from 'zod';
import { FieldRuleSchema } from '../../src/quality/config';
import { normalizeField, normalizeFields, type FieldsReport } from '../../src/quality/normalize';
import { numberFromWords } from '../../src/quality/number-words';
import { CORPUS, UNREADABLE } from './normalization-corpus';

const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : String(JSON.stringify(v)));

describe('normalization corpus', () => {
  it.each(CORPUS.map((c) => [c[0].type, show(c[1]), c] as const))('%s %s', (_kind, _label, [rule, input, expected]) => {
    const r = normalizeField(input, FieldRuleSchema.parse(rule));
    if (expected === UNREADABLE) expect(r.ok).toBe(false);
    else expect(r).toMatchObject({ ok: true, value: expected });
  });

  it('has positive and negative cases of every kind', () => {
    const kinds = new Set(CORPUS.map((c) => c[0].type));
    for (const k of kinds) {
      expect(CORPUS.some((c) => c[0].type === k && c[2] !== UNREADABLE)).toBe(true);
      expect(CORPUS.some((c) => c[0].type === k && c[2] === UNREADABLE)).toBe(true);
    }
  });
});

describe('numberFromWords', () => {
  it('refuses a phrase two languages read differently, and reads one they agree on', () => {
    expect(numberFromWords('six')).toBe(6); // en and fr agree
    expect(numberFromWords('un')).toBe(1); // es and fr agree
    expect(numberFromWords('twenty', ['de'])).toBeUndefined();
  });

  it('reads every number from 0 to 999 written out in English, as the reference spelling has it', () => {
    const ones = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
    const tens = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
    const below100 = (n: number) => (n < 20 ? ones[n] : `${tens[Math.floor(n / 10)]}${n % 10 ? `-${ones[n % 10]}` : ''}`);
    const spell = (n: number) => (n < 100 ? below100(n) : `${ones[Math.floor(n / 100)]} hundred${n % 100 ? ` and ${below100(n % 100)}` : ''}`);
    for (let n = 0; n < 1000; n++) expect([n, numberFromWords(spell(n), ['en'])]).toEqual([n, n]);
  });
});

describe('normalizeFields', () => {
  const rules = (r: Record<string, z.input<typeof FieldRuleSchema>>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, FieldRuleSchema.parse(v)]));
  const report = (): FieldsReport => ({ fixed: {}, unparseable: {}, unparseableFields: [] });

  it('touches only configured fields: product codes stay as sent unless their field is numeric', () => {
    const r = report();
    const sent = { sku: 'SKU-1299', order_id: '00123', code: 'A-25', quantity: 'three', price: '1.299,00 €' };
    const out = normalizeFields(sent, rules({ quantity: { type: 'integer' }, price: { type: 'currency', currencyField: 'currency' } }), r);
    expect(out).toEqual({ sku: 'SKU-1299', order_id: '00123', code: 'A-25', quantity: 3, price: 1299, currency: 'EUR' });
    expect(sent.quantity).toBe('three');
    expect(r.fixed).toEqual({ integer: 1, currency: 1 });
  });

  it('flags what it cannot read, keeps it as sent, and returns the same object when nothing changed', () => {
    const r = report();
    const sent = { age: 'old', sku: 'SKU-1299' };
    const out = normalizeFields(sent, rules({ age: { type: 'number' }, sku: { type: 'number' }, missing: { type: 'number' } }), r);
    expect(out).toBe(sent);
    expect(r.unparseable).toEqual({ number: 2 });
    expect(r.unparseableFields).toEqual(['age', 'sku']);
  });

  it('refuses an amount whose currency contradicts the currency field', () => {
    const r = report();
    const out = normalizeFields({ price: '12 €', currency: 'USD' }, rules({ price: { type: 'currency', currencyField: 'currency' } }), r);
    expect(out).toEqual({ price: '12 €', currency: 'USD' });
    expect(r.unparseable).toEqual({ currency: 1 });
  });
});
