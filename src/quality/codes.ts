import { foldText } from './fold';

/**
 * Country codes (ISO 3166-1 alpha-2) and locale tags (BCP 47), from what sources send: `de`,
 * `Germany`, `Deutschland`, `Alemania`, `Allemagne` → `DE`; `en_us`, `EN-us`, `en_US.UTF-8` →
 * `en-US`. Names are read in the runtime's own ICU data, in English, German, Spanish and French.
 */

/** Region codes ICU knows that are not countries (groupings, private use). */
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'QO', 'XA', 'XB', 'ZZ']);
/** Codes in common use that ISO reserves for another code. */
const ALIASES: Readonly<Record<string, string>> = { UK: 'GB' };
const NAME_LANGUAGES = ['en', 'de', 'es', 'fr'] as const;

const fold = (s: string) => foldText(s).replace(/[^a-z]/g, '');

let byName: Map<string, string> | undefined;
let codes: Set<string> | undefined;

/** Built once, on first use: every two-letter code ICU names, and each name in four languages. */
function tables(): { codes: Set<string>; byName: Map<string, string> } {
  if (codes && byName) return { codes, byName };
  codes = new Set();
  byName = new Map();
  const names = NAME_LANGUAGES.map((l) => new Intl.DisplayNames([l], { type: 'region', fallback: 'none' }));
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      if (NOT_COUNTRIES.has(code) || ALIASES[code]) continue;
      const found = names.map((n) => n.of(code)).filter((n): n is string => n !== undefined);
      if (!found.length) continue;
      codes.add(code);
      for (const n of found) byName.set(fold(n), code);
    }
  }
  return { codes, byName };
}

/**
 * The ISO 3166-1 alpha-2 code of a country given by code or name; undefined when unknown.
 *
 * ```ts
 * countryCode('deutschland'); // 'DE'
 * countryCode(' fr '); // 'FR'
 * countryCode('Atlantis'); // undefined
 * ```
 */
export function countryCode(text: string): string | undefined {
  const t = text.trim();
  const { codes: known, byName: names } = tables();
  if (/^[A-Za-z]{2}$/.test(t)) {
    const upper = t.toUpperCase();
    const code = ALIASES[upper] ?? upper;
    return known.has(code) ? code : undefined;
  }
  return t.length <= 64 ? names.get(fold(t)) : undefined;
}

/**
 * The canonical BCP 47 tag of a locale, from dashes or underscores in any case, with a POSIX
 * encoding suffix dropped; undefined when it is not a well-formed tag.
 *
 * ```ts
 * localeTag('en_us'); // 'en-US'
 * localeTag('de_DE.UTF-8'); // 'de-DE'
 * ```
 */
export function localeTag(text: string): string | undefined {
  const t = text.trim().replace(/\.[A-Za-z0-9-]+$/, '').replace(/_/g, '-');
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(t)) return undefined;
  try {
    return Intl.getCanonicalLocales(t)[0];
  } catch {
    return undefined;
  }
}
