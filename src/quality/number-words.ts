import { foldText } from './fold';

/**
 * Whole numbers written in words, in English, German, Spanish and French: `Twenty-five`,
 * `fünfundzwanzig`, `veinticinco`, `vingt-cinq`. Pure: a string in, a number or undefined out.
 * A phrase is read in each language asked for; when two languages read it as different
 * numbers, or none reads all of it, the answer is undefined, never a guess.
 */

/** The languages number words are read in. */
export const NUMBER_WORD_LANGUAGES = ['en', 'de', 'es', 'fr'] as const;
/** One of {@link NUMBER_WORD_LANGUAGES}. */
export type NumberWordLanguage = (typeof NUMBER_WORD_LANGUAGES)[number];

/** A word's part in a number: added below a hundred, a multiple of a hundred, a hundred itself, or a scale (thousand, million). */
type Kind = 'small' | 'hundreds' | 'hundred' | 'scale' | 'and';
interface Word {
  value: number;
  kind: Kind;
}

const words = (kind: Kind, entries: Record<string, number>): [string, Word][] => Object.entries(entries).map(([w, value]) => [w, { value, kind }]);

// Spelled without diacritics and with ß as ss: the input is folded the same way before lookup.
const LEXICON: Record<NumberWordLanguage, Map<string, Word>> = {
  en: new Map([
    ...words('small', { zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19 }),
    ...words('small', { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 }),
    ...words('hundred', { hundred: 100 }),
    ...words('scale', { thousand: 1e3, million: 1e6, billion: 1e9 }),
    ...words('and', { and: 0 }),
  ]),
  de: new Map([
    ...words('small', { null: 0, ein: 1, eins: 1, eine: 1, zwei: 2, drei: 3, vier: 4, funf: 5, sechs: 6, sieben: 7, acht: 8, neun: 9, zehn: 10, elf: 11, zwolf: 12, dreizehn: 13, vierzehn: 14, funfzehn: 15, sechzehn: 16, siebzehn: 17, achtzehn: 18, neunzehn: 19 }),
    ...words('small', { zwanzig: 20, dreissig: 30, vierzig: 40, funfzig: 50, sechzig: 60, siebzig: 70, achtzig: 80, neunzig: 90 }),
    ...words('hundred', { hundert: 100 }),
    ...words('scale', { tausend: 1e3, million: 1e6, millionen: 1e6, milliarde: 1e9, milliarden: 1e9 }),
    ...words('and', { und: 0 }),
  ]),
  es: new Map([
    ...words('small', { cero: 0, un: 1, uno: 1, una: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5, seis: 6, siete: 7, ocho: 8, nueve: 9, diez: 10, once: 11, doce: 12, trece: 13, catorce: 14, quince: 15, dieciseis: 16, diecisiete: 17, dieciocho: 18, diecinueve: 19 }),
    ...words('small', { veinte: 20, veintiun: 21, veintiuno: 21, veintiuna: 21, veintidos: 22, veintitres: 23, veinticuatro: 24, veinticinco: 25, veintiseis: 26, veintisiete: 27, veintiocho: 28, veintinueve: 29 }),
    ...words('small', { treinta: 30, cuarenta: 40, cincuenta: 50, sesenta: 60, setenta: 70, ochenta: 80, noventa: 90 }),
    ...words('hundreds', { cien: 100, ciento: 100, doscientos: 200, doscientas: 200, trescientos: 300, trescientas: 300, cuatrocientos: 400, cuatrocientas: 400, quinientos: 500, quinientas: 500, seiscientos: 600, seiscientas: 600, setecientos: 700, setecientas: 700, ochocientos: 800, ochocientas: 800, novecientos: 900, novecientas: 900 }),
    ...words('scale', { mil: 1e3, millon: 1e6, millones: 1e6 }),
    ...words('and', { y: 0 }),
  ]),
  fr: new Map([
    ...words('small', { zero: 0, un: 1, une: 1, deux: 2, trois: 3, quatre: 4, cinq: 5, six: 6, sept: 7, huit: 8, neuf: 9, dix: 10, onze: 11, douze: 12, treize: 13, quatorze: 14, quinze: 15, seize: 16 }),
    // `quatre-vingt` is folded into one word first: it is 4 × 20, not 4 + 20.
    ...words('small', { vingt: 20, trente: 30, quarante: 40, cinquante: 50, soixante: 60, quatrevingt: 80, quatrevingts: 80, septante: 70, huitante: 80, octante: 80, nonante: 90 }),
    ...words('hundred', { cent: 100, cents: 100 }),
    ...words('scale', { mille: 1e3, million: 1e6, millions: 1e6, milliard: 1e9, milliards: 1e9 }),
    ...words('and', { et: 0 }),
  ]),
};

const fold = foldText;

/**
 * Splits a run of letters into words of the lexicon, longest first with backtracking, for
 * languages that write numbers as one compound (`dreihundertvierundfunfzig`).
 */
function segment(run: string, lexicon: Map<string, Word>, from = 0): Word[] | undefined {
  if (from === run.length) return [];
  for (let end = run.length; end > from; end--) {
    const w = lexicon.get(run.slice(from, end));
    if (!w) continue;
    const rest = segment(run, lexicon, end);
    if (rest) return [w, ...rest];
  }
  return undefined;
}

const isTens = (n: number) => n >= 20 && n < 100 && n % 10 === 0;

/**
 * Adds a word below a hundred to what the group holds so far, as each language writes them:
 * tens then units (`twenty five`, `treinta y uno`), French's `soixante-dix` and `dix-sept`, and
 * German's units before tens joined by `und` (`fünfundzwanzig`). Anything else (`five twenty`) is refused.
 */
function addSmall(small: number, w: number, lang: NumberWordLanguage, afterAnd: boolean): number | undefined {
  if (small === 0) return w;
  if (lang === 'de') return afterAnd && small < 10 && isTens(w) ? small + w : undefined;
  if (isTens(small) && w > 0 && w < 10) return small + w;
  if (lang === 'fr' && (small === 60 || small === 80) && w >= 10 && w < 20) return small + w;
  if (lang === 'fr' && small === 10 && w >= 7 && w < 10) return small + w;
  return undefined;
}

/** Reads a phrase in one language; undefined unless every word is a number word in their order. */
export function numberFromWordsIn(text: string, lang: NumberWordLanguage): number | undefined {
  const lexicon = LEXICON[lang];
  let folded = fold(text).trim();
  if (lang === 'fr') folded = folded.replace(/quatre[\s-]+vingt/g, 'quatrevingt');
  if (!folded || !/^[a-z\s-]+$/.test(folded)) return undefined;
  const tokens: Word[] = [];
  for (const run of folded.split(/[\s-]+/).filter(Boolean)) {
    const found = lexicon.get(run) ?? segment(run, lexicon);
    if (!found) return undefined;
    tokens.push(...(Array.isArray(found) ? found : [found]));
  }
  let total = 0;
  let hundreds = 0;
  let small = 0;
  let lastScale = Infinity;
  let afterAnd = false;
  let numbers = 0;
  for (const t of tokens) {
    if (t.kind === 'and') {
      // A connector joins two number words; it never starts or ends the phrase.
      if (afterAnd || numbers === 0) return undefined;
      afterAnd = true;
      continue;
    }
    numbers++;
    if (t.kind === 'small') {
      if (t.value === 0 && tokens.length > 1) return undefined;
      const next = addSmall(small, t.value, lang, afterAnd);
      if (next === undefined) return undefined;
      small = next;
    } else if (t.kind === 'hundreds') {
      if (hundreds || small) return undefined;
      hundreds = t.value;
    } else if (t.kind === 'hundred') {
      if (hundreds || small >= 10) return undefined;
      hundreds = (small || 1) * 100;
      small = 0;
    } else {
      if (t.value >= lastScale) return undefined;
      total += (hundreds + small || 1) * t.value;
      lastScale = t.value;
      hundreds = 0;
      small = 0;
    }
    afterAnd = false;
  }
  if (afterAnd || numbers === 0) return undefined;
  return total + hundreds + small;
}

/**
 * A whole number written in words, in any of the given languages (default: all four).
 * Undefined when no language reads the whole phrase, or two read it differently.
 *
 * ```ts
 * numberFromWords('Twenty-five'); // 25
 * numberFromWords('fünfundzwanzig'); // 25
 * numberFromWords('quatre-vingt-dix-neuf'); // 99
 * numberFromWords('SKU-1299'); // undefined
 * ```
 */
export function numberFromWords(text: string, languages: readonly NumberWordLanguage[] = NUMBER_WORD_LANGUAGES): number | undefined {
  const readings = new Set<number>();
  for (const lang of languages) {
    const n = numberFromWordsIn(text, lang);
    if (n !== undefined) readings.add(n);
  }
  return readings.size === 1 ? [...readings][0] : undefined;
}
