import { parseNumber } from './parse-number';

/**
 * Money as people type it: `1.299,00 €`, `€1,299.00`, `EUR 12.50`, `12,50€`, `-£3.99`. The
 * amount is read as {@link parseNumber} reads numbers (the same ambiguity rule for `1.299 €`);
 * the currency from a symbol or an ISO 4217 code before or after it.
 */

/** Default symbols. `$` and `¥` serve several currencies: configure them where they mean another. */
export const CURRENCY_SYMBOLS: Readonly<Record<string, string>> = { '€': 'EUR', '£': 'GBP', $: 'USD', US$: 'USD', '¥': 'JPY', '₹': 'INR', '₩': 'KRW', '₽': 'RUB', '₺': 'TRY', '₪': 'ILS', 'zł': 'PLN', 'kr': 'SEK', 'Fr.': 'CHF' };

/** An amount and, when the text named one, its currency. */
export interface Money {
  amount: number;
  currency?: string;
}

const ISO_CODES = new Set(Intl.supportedValuesOf('currency'));

/**
 * Reads an amount of money; undefined when it is not one, is ambiguous, or names two currencies.
 *
 * ```ts
 * parseMoney('1.299,00 €'); // { amount: 1299, currency: 'EUR' }
 * parseMoney('$5'); // { amount: 5, currency: 'USD' }
 * ```
 */
export function parseMoney(text: string, options: { decimal?: '.' | ','; symbols?: Readonly<Record<string, string>> } = {}): Money | undefined {
  const symbols = { ...CURRENCY_SYMBOLS, ...options.symbols };
  let s = text.trim();
  let sign = '';
  if (s.startsWith('-') || s.startsWith('+')) {
    sign = s[0] === '-' ? '-' : '';
    s = s.slice(1).trim();
  }
  const found: string[] = [];
  // Longest symbols first: `US$` before `$`.
  const marks = Object.keys(symbols).sort((a, b) => b.length - a.length);
  const take = (at: 'start' | 'end'): void => {
    const code = at === 'start' ? /^([A-Z]{3})(?![A-Za-z])/.exec(s) : /(?<![A-Za-z])([A-Z]{3})$/.exec(s);
    if (code && ISO_CODES.has(code[1])) {
      found.push(code[1]);
      s = (at === 'start' ? s.slice(3) : s.slice(0, -3)).trim();
      return;
    }
    const mark = marks.find((m) => (at === 'start' ? s.startsWith(m) : s.endsWith(m)));
    if (!mark) return;
    found.push(symbols[mark]);
    s = (at === 'start' ? s.slice(mark.length) : s.slice(0, -mark.length)).trim();
  };
  take('start');
  take('end');
  if (!sign && s.startsWith('-')) {
    sign = '-';
    s = s.slice(1).trim();
  }
  if (new Set(found).size > 1 || !/^\d/.test(s)) return undefined;
  const amount = parseNumber(s, { decimal: options.decimal });
  if (amount === undefined) return undefined;
  const money: Money = { amount: sign === '-' ? -amount : amount };
  if (found.length) money.currency = found[0];
  return money;
}
