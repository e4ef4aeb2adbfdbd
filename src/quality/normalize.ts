import { countryCode, localeTag } from './codes';
import { foldText } from './fold';
import type { FieldKind, FieldRule } from './config';
import { NUMBER_WORD_LANGUAGES } from './number-words';
import { parseMoney } from './parse-currency';
import { parseDate } from './parse-date';
import { parseNumber } from './parse-number';

/**
 * One configured field normalized: the value it becomes (and whether that differs), or why it
 * could not be read. A value that cannot be read is kept as it came and flagged by the caller:
 * a guess would be worse than the raw value, because nobody would know it was a guess.
 */
export type FieldOutcome = { ok: true; value: unknown; changed: boolean; extra?: { field: string; value: string } } | { ok: false; reason: string };

const BOOLEAN_WORDS: Readonly<Record<string, boolean>> = {
  true: true, false: false, yes: true, no: false, y: true, n: false, on: true, off: false, '1': true, '0': false,
  ja: true, nein: false, wahr: true, falsch: false,
  si: true, verdadero: true, falso: false,
  oui: true, non: false, vrai: true, faux: false,
};

const fold = (s: string) => foldText(s).trim();
const same = (a: unknown, b: unknown) => a === b || (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b));
const done = (before: unknown, value: unknown): FieldOutcome => ({ ok: true, value, changed: !same(before, value) });
const refuse = (kind: FieldKind, value: unknown): FieldOutcome => ({ ok: false, reason: `not a readable ${kind}: ${typeof value === 'string' ? 'text' : typeof value}` });

/**
 * Normalizes one value by its rule. Values already of the wanted type pass unchanged.
 *
 * ```ts
 * normalizeField('Twenty-five', { type: 'number' }); // { ok: true, value: 25, changed: true }
 * normalizeField('SKU-1299', { type: 'number' }); // { ok: false, reason: 'not a readable number: text' }
 * ```
 */
export function normalizeField(value: unknown, rule: FieldRule): FieldOutcome {
  switch (rule.type) {
    case 'number':
    case 'integer': {
      const n = typeof value === 'number' ? value : typeof value === 'string' ? parseNumber(value, { decimal: rule.decimal, words: rule.words ?? NUMBER_WORD_LANGUAGES }) : undefined;
      if (n === undefined || !Number.isFinite(n) || (rule.type === 'integer' && !Number.isInteger(n))) return refuse(rule.type, value);
      return done(value, n);
    }
    case 'boolean': {
      if (typeof value === 'boolean') return done(value, value);
      const key = typeof value === 'number' ? String(value) : typeof value === 'string' ? fold(value) : undefined;
      const b = key === undefined ? undefined : BOOLEAN_WORDS[key];
      return b === undefined ? refuse('boolean', value) : done(value, b);
    }
    case 'date': {
      const d = typeof value === 'string' || typeof value === 'number' ? parseDate(value, rule) : undefined;
      return d === undefined ? refuse('date', value) : done(value, d);
    }
    case 'currency': {
      if (typeof value === 'number') return Number.isFinite(value) ? done(value, value) : refuse('currency', value);
      const money = typeof value === 'string' ? parseMoney(value, rule) : undefined;
      if (!money) return refuse('currency', value);
      const extra = money.currency && rule.currencyField ? { field: rule.currencyField, value: money.currency } : undefined;
      return { ok: true, value: money.amount, changed: true, ...(extra && { extra }) };
    }
    case 'country': {
      const c = typeof value === 'string' ? countryCode(value) : undefined;
      return c === undefined ? refuse('country', value) : done(value, c);
    }
    case 'locale': {
      const l = typeof value === 'string' ? localeTag(value) : undefined;
      return l === undefined ? refuse('locale', value) : done(value, l);
    }
    case 'string': {
      // Numbers and booleans become their text losslessly; objects have no one text form.
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return refuse('string', value);
      let s = String(value);
      if (rule.trim) s = s.trim();
      if (rule.case === 'lower') s = s.toLowerCase();
      else if (rule.case === 'upper') s = s.toUpperCase();
      return done(value, s);
    }
  }
}

/** What normalizing one event's fields did, by kind. */
export interface FieldsReport {
  /** Fields converted, by kind. */
  fixed: Partial<Record<FieldKind, number>>;
  /** Fields that could not be read (kept as they were), by kind, and their names. */
  unparseable: Partial<Record<FieldKind, number>>;
  unparseableFields: string[];
}

/**
 * Normalizes the configured fields of one object (an event's properties or traits). Returns
 * a new object only when something changed; fields without a rule are never touched, so a
 * product code such as `SKU-1299` or `00123` stays text unless its field is configured numeric.
 */
export function normalizeFields(fields: Record<string, unknown>, rules: Readonly<Record<string, FieldRule>>, report: FieldsReport): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const [field, rule] of Object.entries(rules)) {
    if (!Object.prototype.hasOwnProperty.call(fields, field)) continue;
    const value = fields[field];
    // A field that was sent empty is missing, not unreadable.
    if (value === null || value === undefined) continue;
    const r = normalizeField(value, rule);
    if (!r.ok) {
      report.unparseable[rule.type] = (report.unparseable[rule.type] ?? 0) + 1;
      report.unparseableFields.push(field);
      continue;
    }
    const said = r.extra ? fields[r.extra.field] : undefined;
    if (r.extra && typeof said === 'string' && said.trim().toUpperCase() !== r.extra.value) {
      // `12 €` in an event whose `currency` says USD: one of them is wrong, and which is not ours to pick.
      report.unparseable[rule.type] = (report.unparseable[rule.type] ?? 0) + 1;
      report.unparseableFields.push(field);
      continue;
    }
    if (r.changed) {
      out ??= { ...fields };
      out[field] = r.value;
      report.fixed[rule.type] = (report.fixed[rule.type] ?? 0) + 1;
    }
    if (r.extra && (said === undefined || said === null)) {
      out ??= { ...fields };
      out[r.extra.field] = r.extra.value;
    }
  }
  return out ?? fields;
}
