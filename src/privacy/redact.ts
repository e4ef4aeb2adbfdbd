import { ConfigError, ValidationError } from '../core/errors';
import { compileOperator, type Operator, type OperatorFn } from './operators';
import {
  BUILTIN_RECOGNIZERS,
  PII_TYPES,
  type Finding,
  type PiiType,
  type Recognizer,
} from './recognizers';

/**
 * PII redaction of message text and of event properties and traits, in two steps as in
 * Presidio: recognizers find candidates (recognizers.ts), overlaps are resolved in favour of
 * the most confident, then each finding is replaced by its type's operator (operators.ts).
 */

/**
 * Field names whose whole value is personal data, whatever it looks like (a first name
 * matches no pattern). Keys are compared lower-cased with `_` and `-` removed, so `first_name`,
 * `firstName` and `First-Name` are one key. Safe for track properties: `name` is left out
 * because in the e-commerce spec it names a product.
 */
export const DEFAULT_FIELD_TYPES: Readonly<Record<string, PiiType>> = {
  email: 'EMAIL',
  phone: 'PHONE',
  phonenumber: 'PHONE',
  mobile: 'PHONE',
  firstname: 'PERSON',
  lastname: 'PERSON',
  fullname: 'PERSON',
  address: 'ADDRESS',
  street: 'ADDRESS',
  birthday: 'DATE_OF_BIRTH',
  dateofbirth: 'DATE_OF_BIRTH',
  dob: 'DATE_OF_BIRTH',
  ssn: 'US_SSN',
  ip: 'IP_ADDRESS',
  password: 'SECRET',
};

/** Field types for `identify` traits, where Segment's reserved `name` is the person's name. */
export const TRAIT_FIELD_TYPES: Readonly<Record<string, PiiType>> = { ...DEFAULT_FIELD_TYPES, name: 'PERSON', username: 'PERSON' };

/** How a redactor is set up; every option has a privacy-first default. */
export interface RedactorOptions {
  /** Entity types to look for; all of {@link PII_TYPES} by default. */
  entities?: readonly PiiType[];
  /** Operator per type; types not named use `defaultOperator`. */
  operators?: Partial<Record<PiiType, Operator>>;
  /** Operator for types not in `operators`; `{ type: 'replace' }` (`<EMAIL>`) by default. */
  defaultOperator?: Operator;
  /** Key of the `hash` operator; required when any operator is `hash`. */
  hashKey?: Buffer | string;
  /** Field name → type whose whole value is redacted by {@link Redactor.redactValue}. */
  fields?: Readonly<Record<string, PiiType>>;
  /** Extra recognizers, run with the built-in ones (for a domain's own identifiers). */
  recognizers?: readonly Recognizer[];
}

/** The outcome of redacting one text. */
export interface RedactionResult {
  /** The text with every finding replaced. */
  text: string;
  /** What was replaced, by position in the original text, in order. */
  findings: Finding[];
}

/** Finds and replaces personal data; pure and safe to share between turns. */
export interface Redactor {
  /** Returns the redacted text and what was found. */
  redact(text: string): RedactionResult;
  /** Returns the redacted text alone. */
  redactText(text: string): string;
  /**
   * Redacts every string inside plain objects and arrays (event properties, traits) and
   * returns a copy; the input is never mutated. The whole value of a field named in `fields`
   * is replaced, and a number or boolean there becomes the operator's string. Other values
   * (numbers elsewhere, Dates, class instances) are returned as they are.
   */
  redactValue<T>(value: T): T;
}

/**
 * Builds a redactor.
 *
 * ```ts
 * const redactor = createRedactor({ operators: { CREDIT_CARD: { type: 'mask', chars: 12 } } });
 * redactor.redactText('mail ann@example.com, card 4111 1111 1111 1111');
 * // 'mail <EMAIL>, card **** **** **** 1111'
 * ```
 */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  const entities = new Set(options.entities ?? PII_TYPES);
  for (const type of entities) {
    if (!PII_TYPES.includes(type)) throw new ConfigError(`unknown PII entity type ${JSON.stringify(type)}`);
  }
  const recognizers = [...BUILTIN_RECOGNIZERS, ...(options.recognizers ?? [])].filter((r) => entities.has(r.type));
  const operators = compileOperators(entities, options);
  const fields = normalizeFields(options.fields ?? DEFAULT_FIELD_TYPES, entities);

  const redact = (text: string): RedactionResult => {
    let candidates: Finding[] | undefined;
    for (const r of recognizers) {
      const found = r.find(text);
      if (found.length) (candidates ??= []).push(...found);
    }
    if (!candidates) return { text, findings: [] };
    const findings = resolveOverlaps(candidates);
    let out = '';
    let at = 0;
    for (const f of findings) {
      out += text.slice(at, f.start) + operators[f.type](text.slice(f.start, f.end), f.type);
      at = f.end;
    }
    return { text: out + text.slice(at), findings };
  };
  const redactText = (text: string): string => redact(text).text;

  const deep = (value: unknown, fieldType: PiiType | undefined, ancestors: Set<object>): unknown => {
    if (fieldType !== undefined && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) {
      return operators[fieldType](String(value), fieldType);
    }
    if (typeof value === 'string') return redactText(value);
    if (value === null || typeof value !== 'object') return value;
    if (!Array.isArray(value) && !isPlainObject(value)) return value;
    if (ancestors.has(value)) throw new ValidationError('cannot redact a value that contains itself');
    ancestors.add(value);
    const copy = Array.isArray(value)
      ? value.map((item) => deep(item, fieldType, ancestors))
      : Object.fromEntries(
          Object.entries(value).map(([k, v]) => [k, deep(v, fieldType ?? fields.get(normalizeKey(k)), ancestors)]),
        );
    ancestors.delete(value);
    return copy;
  };

  return {
    redact,
    redactText,
    // The copy has the input's shape; only the string leaves (and sensitive fields) differ.
    redactValue: <T>(value: T): T => deep(value, undefined, new Set()) as T,
  };
}

function compileOperators(entities: ReadonlySet<PiiType>, options: RedactorOptions): Record<PiiType, OperatorFn> {
  const fallback = compileOperator(options.defaultOperator ?? { type: 'replace' }, options.hashKey);
  const compiled = {} as Record<PiiType, OperatorFn>;
  for (const type of PII_TYPES) {
    const op = options.operators?.[type];
    compiled[type] = op && entities.has(type) ? compileOperator(op, options.hashKey) : fallback;
  }
  return compiled;
}

const normalizeKey = (key: string): string => key.toLowerCase().replace(/[_-]/g, '');

function normalizeFields(fields: Readonly<Record<string, PiiType>>, entities: ReadonlySet<PiiType>): Map<string, PiiType> {
  return new Map(
    Object.entries(fields)
      .filter(([, type]) => entities.has(type))
      .map(([key, type]) => [normalizeKey(key), type]),
  );
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Keeps the most confident of overlapping candidates (then the longest, then the first), as
 * Presidio's analyzer does, and returns the survivors in text order.
 */
export function resolveOverlaps(candidates: readonly Finding[]): Finding[] {
  const ranked = [...candidates].sort(
    (a, b) => b.score - a.score || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const kept: Finding[] = [];
  for (const c of ranked) {
    if (c.end > c.start && kept.every((k) => c.end <= k.start || c.start >= k.end)) kept.push(c);
  }
  return kept.sort((a, b) => a.start - b.start);
}

export type { Finding, PiiType, Recognizer } from './recognizers';
export type { Operator } from './operators';
