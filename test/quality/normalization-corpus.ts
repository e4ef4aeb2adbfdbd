import type { z } from 'zod';
import type { FieldRuleSchema } from '../../src/quality/config';

type FieldRule = z.input<typeof FieldRuleSchema>;

/**
 * The normalization corpus: each case a rule, what a source sent, and what it must become, or
 * `UNREADABLE` when it must be flagged and kept as sent. The negative cases are the point:
 * product codes and order numbers, ambiguous numbers and dates, and words of no number.
 */
export const UNREADABLE = Symbol('unreadable');

/** One case: the rule, the value sent, and the value expected (or {@link UNREADABLE}). */
export type Case = [rule: FieldRule, input: unknown, expected: unknown];

const num: FieldRule = { type: 'number' };
const int: FieldRule = { type: 'integer' };
const bool: FieldRule = { type: 'boolean' };
const date: FieldRule = { type: 'date' };
const money: FieldRule = { type: 'currency' };
const country: FieldRule = { type: 'country' };
const locale: FieldRule = { type: 'locale' };

export const CORPUS: Case[] = [
  // Numbers in words, four languages.
  [num, 'Twenty-five', 25],
  [num, 'twenty five', 25],
  [num, 'one hundred and five', 105],
  [num, 'two thousand three hundred forty-two', 2342],
  [num, 'fünfundzwanzig', 25],
  [num, 'Fünfundzwanzig', 25],
  [num, 'dreihundertvierundfünfzig', 354],
  [num, 'zweitausendvierundzwanzig', 2024],
  [num, 'veinticinco', 25],
  [num, 'treinta y uno', 31],
  [num, 'mil novecientos noventa y nueve', 1999],
  [num, 'vingt-cinq', 25],
  [num, 'soixante et onze', 71],
  [num, 'quatre-vingt-dix-neuf', 99],
  [num, 'deux mille vingt-quatre', 2024],
  [num, 'five twenty', UNREADABLE],
  [num, 'twelve hundred', UNREADABLE],
  [num, 'and five', UNREADABLE],
  [num, 'lots', UNREADABLE],
  // Numeric strings.
  [num, '25', 25],
  [num, ' 25 ', 25],
  [num, '-3.5', -3.5],
  [num, '12,5', 12.5],
  [num, '1,299.50', 1299.5],
  [num, '1.299,50', 1299.5],
  [num, '1 299,50', 1299.5],
  [num, "1'299.50", 1299.5],
  [num, '1.234.567', 1234567],
  [num, '1,299', UNREADABLE],
  [num, '1.299', UNREADABLE],
  [{ type: 'number', decimal: '.' }, '1,299', 1299],
  [{ type: 'number', decimal: ',' }, '1,299', 1.299],
  [{ type: 'number', decimal: ',' }, '1,299.50', UNREADABLE],
  [num, '1,2,3', UNREADABLE],
  [num, '12,34,567', UNREADABLE],
  [num, 42, 42],
  [int, '42', 42],
  [int, '4.5', UNREADABLE],
  // Product codes and order numbers: unreadable as numbers (so kept as sent) when configured numeric.
  [num, 'SKU-1299', UNREADABLE],
  [num, 'A-25', UNREADABLE],
  [num, '00123', 123],
  [num, '#1001', UNREADABLE],
  [num, 'ORD-2024-0001', UNREADABLE],
  [{ type: 'string' }, '00123', '00123'],
  [{ type: 'string' }, ' SKU-1299 ', 'SKU-1299'],
  [{ type: 'string', case: 'upper', trim: true }, ' a-25', 'A-25'],
  [{ type: 'string', case: 'lower', trim: false }, ' Mixed ', ' mixed '],
  [{ type: 'string' }, 1299, '1299'],
  [{ type: 'string' }, { a: 1 }, UNREADABLE],
  // Booleans.
  [bool, 'yes', true],
  [bool, 'Ja', true],
  [bool, 'nein', false],
  [bool, 'sí', true],
  [bool, 'oui', true],
  [bool, 'non', false],
  [bool, '1', true],
  [bool, 0, false],
  [bool, 'TRUE', true],
  [bool, false, false],
  [bool, 'maybe', UNREADABLE],
  [bool, 2, UNREADABLE],
  // Dates into ISO 8601.
  [date, '2024-03-05', '2024-03-05'],
  [date, '2024/03/05', '2024-03-05'],
  [date, '2024-03-05T14:30:00+01:00', '2024-03-05T13:30:00.000Z'],
  [date, '05.03.2024', '2024-03-05'],
  [date, '5.3.2024 14:30', '2024-03-05T14:30:00.000Z'],
  [date, '25/12/2024', '2024-12-25'],
  [date, '12/25/2024', '2024-12-25'],
  [date, '03/05/2024', UNREADABLE],
  [{ type: 'date', order: 'mdy' }, '03/05/2024', '2024-03-05'],
  [{ type: 'date', order: 'dmy' }, '03/05/2024', '2024-05-03'],
  [date, '07/07/2024', '2024-07-07'],
  [date, 'March 5, 2024', '2024-03-05'],
  [date, '5 March 2024', '2024-03-05'],
  [date, '5. März 2024', '2024-03-05'],
  [date, '5 de marzo de 2024', '2024-03-05'],
  [date, '1er mars 2024', '2024-03-01'],
  [date, '31.02.2024', UNREADABLE],
  [date, '05.03.24', UNREADABLE],
  [date, 'next tuesday', UNREADABLE],
  [date, 1709596800, UNREADABLE],
  [{ type: 'date', epoch: 's' }, 1709596800, '2024-03-05T00:00:00.000Z'],
  [{ type: 'date', output: 'datetime' }, '2024-03-05', '2024-03-05T00:00:00.000Z'],
  // Currency amounts.
  [money, '1.299,00 €', 1299],
  [money, '€1,299.00', 1299],
  [money, 'EUR 12.50', 12.5],
  [money, '12,50€', 12.5],
  [money, '-£3.99', -3.99],
  [money, '$5', 5],
  [money, 'CHF 1\'299.50', 1299.5],
  [money, 19.99, 19.99],
  [money, '1.299 €', UNREADABLE],
  [money, '€5 $', UNREADABLE],
  [money, 'free', UNREADABLE],
  [money, 'SKU-1299', UNREADABLE],
  // Country and locale codes.
  [country, 'de', 'DE'],
  [country, ' FR ', 'FR'],
  [country, 'Germany', 'DE'],
  [country, 'Deutschland', 'DE'],
  [country, 'Alemania', 'DE'],
  [country, 'Allemagne', 'DE'],
  [country, 'España', 'ES'],
  [country, 'UK', 'GB'],
  [country, 'Atlantis', UNREADABLE],
  [country, 'QQ', UNREADABLE],
  [locale, 'en_us', 'en-US'],
  [locale, 'EN-us', 'en-US'],
  [locale, 'de_DE.UTF-8', 'de-DE'],
  [locale, 'fr', 'fr'],
  [locale, 'not a locale', UNREADABLE],
];
