/**
 * Check digits and validity rules of the structured identifiers the redactor looks for. A
 * pattern alone matches far too much (every 16-digit order number looks like a card); these
 * rules are what lets the redactor keep order numbers, SKUs and prices intact.
 */

/**
 * Luhn (mod 10) check used by payment cards.
 *
 * ```ts
 * luhnValid('4111111111111111') // true
 * ```
 */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * Whether a digit string is a plausible payment card number: 13 to 19 digits, an issuer
 * prefix that is really in use (Visa, Mastercard incl. the 2-series, Amex, Diners, Discover,
 * JCB, UnionPay, Maestro) and a valid Luhn check digit.
 */
export function cardNumberValid(digits: string): boolean {
  if (!/^\d{13,19}$/.test(digits) || /^(\d)\1+$/.test(digits)) return false;
  const first = digits[0];
  const issued =
    first === '3' || first === '4' || first === '5' || first === '6' ||
    (first === '2' && Number(digits.slice(0, 4)) >= 2221 && Number(digits.slice(0, 4)) <= 2720);
  return issued && luhnValid(digits);
}

/** IBAN length per ISO 3166 country code (SWIFT IBAN registry); an unknown country is no IBAN. */
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, BY: 28,
  CH: 21, CR: 22, CY: 28, CZ: 24, DE: 22, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18,
  FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22,
  IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20,
  LU: 20, LV: 21, MC: 27, MD: 24, ME: 22, MK: 19, MR: 27, MT: 31, MU: 30, NL: 18, NO: 15,
  PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, SA: 24, SC: 31, SE: 24, SI: 19,
  SK: 24, SM: 27, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20,
};

/** Expected IBAN length for a country code, or undefined when the country has no IBAN. */
export function ibanLength(countryCode: string): number | undefined {
  return Object.hasOwn(IBAN_LENGTHS, countryCode) ? IBAN_LENGTHS[countryCode] : undefined;
}

/**
 * ISO 13616 check: the country's length and the mod-97 remainder of the rearranged number.
 * Takes the compact form (no spaces); case-insensitive.
 *
 * ```ts
 * ibanValid('GB82WEST12345698765432') // true
 * ```
 */
export function ibanValid(compact: string): boolean {
  const iban = compact.toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban) || ibanLength(iban.slice(0, 2)) !== iban.length) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  // Digit by digit so that the 30+ digit number never leaves safe integer range.
  let remainder = 0;
  for (const ch of rearranged) {
    const value = ch <= '9' ? ch.charCodeAt(0) - 48 : ch.charCodeAt(0) - 55;
    remainder = (remainder * (value > 9 ? 100 : 10) + value) % 97;
  }
  return remainder === 1;
}

/** Numbers published in advertising and on sample cards; never issued to a person. */
const SAMPLE_SSNS = new Set(['078051120', '219099999', '123456789']);

/**
 * US Social Security Number issuance rules: the area is never 000, 666 or 900–999, the group
 * never 00, the serial never 0000, and well-known sample numbers are excluded.
 */
export function ssnValid(digits: string): boolean {
  if (!/^\d{9}$/.test(digits) || /^(\d)\1+$/.test(digits) || SAMPLE_SSNS.has(digits)) return false;
  const area = digits.slice(0, 3);
  return area !== '000' && area !== '666' && area[0] !== '9' && digits.slice(3, 5) !== '00' && digits.slice(5) !== '0000';
}
