import { createHmac } from 'node:crypto';
import { ConfigError } from '../core/errors';
import type { PiiType } from './recognizers';

/**
 * Anonymization operators, after Presidio's: what replaces a piece of personal data once it
 * has been found.
 *
 * - `replace`: a placeholder, `<EMAIL>` unless `value` is given (the default operator).
 * - `mask`: overwrite letters and digits with `char`, keeping separators so the shape stays
 *   readable (`****-****-****-1111`); `chars` of them (all by default), from the start or,
 *   with `fromEnd`, from the end.
 * - `hash`: keyed HMAC-SHA256 in hex, truncated to `length` (16 by default); the same value
 *   gives the same hash under one key, so counts and joins still work without the value.
 * - `redact`: remove the text entirely.
 */
export type Operator =
  | { readonly type: 'replace'; readonly value?: string }
  | { readonly type: 'mask'; readonly char?: string; readonly chars?: number; readonly fromEnd?: boolean }
  | { readonly type: 'hash'; readonly length?: number }
  | { readonly type: 'redact' };

/** An operator made ready to run: checked options, bound key. */
export type OperatorFn = (text: string, type: PiiType) => string;

const MASKABLE = /[\p{L}\p{N}]/u;

/**
 * Checks an operator's options and binds the hash key; invalid options are a ConfigError
 * here, at construction, rather than a surprise on the first message.
 *
 * ```ts
 * const last4 = compileOperator({ type: 'mask', chars: 12 });
 * last4('4111-1111-1111-1111', 'CREDIT_CARD') // '****-****-****-1111'
 * ```
 */
export function compileOperator(op: Operator, hashKey?: Buffer | string): OperatorFn {
  switch (op.type) {
    case 'replace': {
      const value = op.value;
      return (_text, type) => value ?? `<${type}>`;
    }
    case 'redact':
      return () => '';
    case 'mask': {
      const char = op.char ?? '*';
      const chars = op.chars ?? Number.POSITIVE_INFINITY;
      if ([...char].length !== 1) throw new ConfigError(`mask char must be one character, got ${JSON.stringify(char)}`);
      if (!(chars >= 0) || (Number.isFinite(chars) && !Number.isInteger(chars))) {
        throw new ConfigError(`mask chars must be a non-negative integer, got ${chars}`);
      }
      return (text) => mask(text, char, chars, op.fromEnd ?? false);
    }
    case 'hash': {
      const length = op.length ?? 16;
      if (!Number.isInteger(length) || length < 8 || length > 64) {
        throw new ConfigError(`hash length must be an integer from 8 to 64, got ${length}`);
      }
      if (hashKey === undefined || hashKey.length === 0) throw new ConfigError('the hash operator needs a hashKey');
      const key = hashKey;
      return (text, type) => createHmac('sha256', key).update(canonical(text, type)).digest('hex').slice(0, length);
    }
  }
}

function mask(text: string, char: string, chars: number, fromEnd: boolean): string {
  const out = [...text];
  let left = chars;
  for (let k = 0; k < out.length && left > 0; k++) {
    const i = fromEnd ? out.length - 1 - k : k;
    if (MASKABLE.test(out[i])) {
      out[i] = char;
      left--;
    }
  }
  return out.join('');
}

/**
 * The form hashed: one value written two ways (`(415) 555-2671`, `415.555.2671`;
 * `Ann@Example.com`, `ann@example.com`) must hash alike, or hashed data cannot be joined.
 */
function canonical(text: string, type: PiiType): string {
  switch (type) {
    case 'EMAIL':
      return text.toLowerCase();
    case 'PHONE':
    case 'CREDIT_CARD':
    case 'US_SSN':
      return text.replace(/\D/g, '');
    case 'IBAN':
    case 'MAC_ADDRESS':
      return text.replace(/[^0-9a-z]/gi, '').toUpperCase();
    case 'IP_ADDRESS':
      return text.toLowerCase();
    default:
      return text;
  }
}
