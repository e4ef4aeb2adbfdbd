import { isIPv6 } from 'node:net';
import { cardNumberValid, ibanLength, ibanValid, ssnValid } from './checksums';

/**
 * Recognizers find personal data in free text, in the manner of Presidio's pattern
 * recognizers: a regular expression proposes candidates, a validator (checksum or issuance
 * rule) throws out the look-alikes, and weak patterns only count near a context word. Each
 * candidate carries a score so that overlapping candidates can be resolved (see redact.ts).
 */

/** Kinds of personal data found in text. */
export type TextPiiType =
  | 'EMAIL'
  | 'PHONE'
  | 'CREDIT_CARD'
  | 'IBAN'
  | 'IP_ADDRESS'
  | 'MAC_ADDRESS'
  | 'US_SSN'
  | 'URL_CREDENTIALS';

/** Kinds of personal data recognized only by the name of the field that holds them. */
export type FieldPiiType = 'PERSON' | 'ADDRESS' | 'DATE_OF_BIRTH' | 'SECRET';

/** Every kind of personal data the redactor knows. */
export type PiiType = TextPiiType | FieldPiiType;

/** Every text entity type, in a stable order. */
export const TEXT_PII_TYPES: readonly TextPiiType[] = [
  'EMAIL', 'PHONE', 'CREDIT_CARD', 'IBAN', 'IP_ADDRESS', 'MAC_ADDRESS', 'US_SSN', 'URL_CREDENTIALS',
];

/** Every entity type, text and field. */
export const PII_TYPES: readonly PiiType[] = [...TEXT_PII_TYPES, 'PERSON', 'ADDRESS', 'DATE_OF_BIRTH', 'SECRET'];

/**
 * One piece of personal data found in a text. It holds positions, never the matched text, so
 * that findings can be logged or counted without leaking what they point at.
 */
export interface Finding {
  /** What was found. */
  type: TextPiiType;
  /** Index of the first character in the original text. */
  start: number;
  /** Index after the last character in the original text. */
  end: number;
  /** Confidence in [0, 1]; higher wins when candidates overlap. */
  score: number;
}

/** Proposes candidate findings in a text; candidates may overlap each other. */
export interface Recognizer {
  readonly type: TextPiiType;
  find(text: string): Finding[];
}

interface Pattern {
  /** Must carry the `g` and `d` flags; the group named `pii`, when present, is the span to redact. */
  regex: RegExp;
  /**
   * A character every match contains (`@`, a digit): texts without one skip the pattern. Most
   * chat messages hold no digit, `@` or `:`, and so cost one cheap test per pattern.
   */
  needs?: RegExp;
  score: number;
  validate?: (match: string) => boolean;
  /** A weak pattern only counts when this matches shortly before the candidate. */
  context?: RegExp;
  /**
   * Also propose the match cut back at each separator: the regex is greedy, and
   * `4000 0000 0000 0002 0` must still yield the card before the stray `0`. Overlap
   * resolution then prefers the longest valid cut that no stronger finding overlaps.
   */
  trim?: boolean;
}

/** How far before a candidate a context word may stand. */
const CONTEXT_WINDOW = 40;

function patternRecognizer(type: TextPiiType, patterns: readonly Pattern[]): Recognizer {
  return {
    type,
    find: (text) => {
      // A loop rather than flatMap: every message passes here, and most find nothing.
      let found: Finding[] | undefined;
      for (const { regex, needs, score, validate, context, trim } of patterns) {
        if (needs && !needs.test(text)) continue;
        const some = scan(regex, text, (m) => {
          const [start, matchEnd] = m.indices?.groups?.pii ?? m.indices?.[0] ?? [m.index, m.index + m[0].length];
          if (context && !context.test(text.slice(Math.max(0, start - CONTEXT_WINDOW), start))) return [];
          const out: Finding[] = [];
          for (let end = matchEnd; end > start; end = trim ? start + text.slice(start, end).search(/[ .-][^ .-]*$/) : start) {
            if (!validate || validate(text.slice(start, end))) out.push({ type, start, end, score });
          }
          return out;
        });
        if (some.length) (found ??= []).push(...some);
      }
      return found ?? [];
    },
  };
}

/**
 * Runs a global regex over `text`, resuming one character after each match's start rather
 * than after its end: a look-alike (`0509 020 0000` inside `… 0005 0509 020 0000 0000`) must not
 * hide a real entity it overlaps (`020 0000 0000`). The look-behinds keep this from proposing
 * matches in the middle of a token; overlap resolution picks among the rest.
 */
function scan(regex: RegExp, text: string, accept: (m: RegExpExecArray) => Finding[]): Finding[] {
  const found: Finding[] = [];
  regex.lastIndex = 0;
  for (let m = regex.exec(text); m; m = regex.exec(text)) {
    found.push(...accept(m));
    regex.lastIndex = m.index + 1;
  }
  return found;
}

const digitsOf = (s: string): string => s.replace(/\D/g, '');

// Digit-shaped entities must not start or end inside a longer token: this keeps order numbers
// (ORD-2024-000123), SKUs, versions, amounts ($1,299.99) and dates out.
const NUM_BEFORE = String.raw`(?<![\p{L}\p{N}_+\-\/.#$€£,])`;
const NUM_AFTER = String.raw`(?![\p{L}\p{N}_]|[\-\/.,:]\p{N})`;
const numeric = (body: string): RegExp => new RegExp(NUM_BEFORE + body + NUM_AFTER, 'gdu');
const DIGIT = /\d/;

const email = patternRecognizer('EMAIL', [
  {
    needs: /@/,
    regex: /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}](?:[\p{L}\p{N}._%+-]{0,62}[\p{L}\p{N}_%+-])?@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,24}(?![\p{L}\p{N}_-])/gdu,
    // Just below URL credentials, whose `user:pass@host` also reads as an email.
    score: 0.98,
  },
]);

// Only the user-info part (`user:password`) is personal or secret; the host stays readable.
const urlCredentials = patternRecognizer('URL_CREDENTIALS', [
  { needs: /:\/\//, regex: /\b[a-z][a-z0-9+.-]{1,20}:\/\/(?<pii>[^\s/?#@:]+:[^\s/?#@]+)@/gdiu, score: 1 },
]);

const cards = patternRecognizer('CREDIT_CARD', [
  {
    needs: DIGIT,
    regex: numeric(String.raw`(?:\d{13,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{1,4}(?:\1\d{1,3})?|\d{4}([ -])\d{6}\2\d{4,5})`),
    score: 0.95,
    validate: (s) => cardNumberValid(digitsOf(s)),
    trim: true,
  },
]);

const OCTET = String.raw`(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)`;
const ip = patternRecognizer('IP_ADDRESS', [
  { needs: DIGIT, regex: new RegExp(String.raw`(?<![\p{L}\p{N}_.])(?:${OCTET}\.){3}${OCTET}(?![\p{L}\p{N}_]|\.\p{N})`, 'gdu'), score: 0.9 },
  {
    needs: /:/,
    regex: /(?<![\p{L}\p{N}_:.])(?:[0-9a-f]{0,4}:){2,7}(?:[0-9a-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\p{L}\p{N}_:])/gdiu,
    score: 0.9,
    // Four hex digits at least: `::1`, `a::b` and the like are not worth a false positive.
    validate: (s) => isIPv6(s) && s.replace(/[^0-9a-f]/gi, '').length >= 4,
  },
]);

const mac = patternRecognizer('MAC_ADDRESS', [
  { needs: /[:-]/, regex: /(?<![\p{L}\p{N}_:-])[0-9a-f]{2}([:-])(?:[0-9a-f]{2}\1){4}[0-9a-f]{2}(?![\p{L}\p{N}_:-])/gdiu, score: 0.9 },
]);

const ssn = patternRecognizer('US_SSN', [
  { needs: DIGIT, regex: numeric(String.raw`\d{3}([- ])\d{2}\1\d{4}`), score: 0.85, validate: (s) => ssnValid(digitsOf(s)) },
  {
    needs: DIGIT,
    regex: numeric(String.raw`\d{9}`),
    score: 0.6,
    validate: ssnValid,
    context: /\b(?:ssn|ss#|social security|social sec)\b/i,
  },
]);

/** Words that make a bare digit run likely to be a phone number. */
const PHONE_CONTEXT = /\b(?:phone|tel|telephone|mobile|cell|call|text|sms|whatsapp|fax|reach me|contact)\b/i;

/** North American numbers: area code and exchange never start with 0 or 1. */
function nanpValid(s: string): boolean {
  const d = digitsOf(s).replace(/^1(?=\d{10}$)/, '');
  return d.length === 10 && d[0] >= '2' && d[3] >= '2';
}

function digitCount(min: number, max: number): (s: string) => boolean {
  return (s) => {
    const n = digitsOf(s).replace(/^00/, '').length;
    return n >= min && n <= max;
  };
}


const phone = patternRecognizer('PHONE', [
  // International: +44 20 7946 0958, +33 1 23 45 67 89, +1 (415) 555-2671, 0049 30 1234567.
  // E.164 allows at most 15 digits; fewer than 8 is a quantity, not a phone.
  {
    needs: DIGIT,
    regex: numeric(String.raw`(?:\+|00)[1-9]\d{0,3}(?:[ .-]?\(\d{1,4}\))?(?:[ .-]?\d{1,4})?(?:[ .-]?\d{2,8}){1,5}`),
    score: 0.9,
    validate: digitCount(8, 15),
    trim: true,
  },
  // North American: (415) 555-2671, 415-555-2671, 415.555.2671, 1-800-555-0199.
  {
    needs: DIGIT,
    regex: numeric(String.raw`(?:1[ .-]?)?(?:\(\d{3}\)[ .-]?|\d{3}[ .-])\d{3}[ .-]\d{4}`),
    score: 0.8,
    validate: nanpValid,
  },
  // National with a trunk 0 and separators: 020 7946 0958, 01 23 45 67 89, 030-1234567. Ten
  // digits at least keeps dates (01.02.2024) and short codes out.
  {
    needs: DIGIT,
    regex: numeric(String.raw`(?:\(0[1-9]\d{0,3}\)|0[1-9]\d{0,3})(?:[ .-]\d{2,8}){1,4}`),
    score: 0.7,
    validate: digitCount(10, 12),
    trim: true,
  },
  // A bare digit run is only a phone when the text says so (call me at 4155552671).
  {
    needs: DIGIT,
    regex: numeric(String.raw`\d{10,12}`),
    score: 0.5,
    validate: (s) => nanpValid(s) || /^0[1-9]\d{8,10}$/.test(s),
    context: PHONE_CONTEXT,
  },
]);

const iban: Recognizer = {
  type: 'IBAN',
  find: (text) =>
    !DIGIT.test(text) ? [] : scan(/(?<![\p{L}\p{N}_])[a-z]{2}\d{2}(?:[ -]?[a-z0-9]){11,32}/giu, text, (m) => {
      const end = ibanEnd(text, m.index, m[0]);
      return end === undefined ? [] : [{ type: 'IBAN', start: m.index, end, score: 1 }];
    }),
};

/**
 * Where the IBAN starting at `start` ends: exactly as many letters and digits as its country
 * prescribes, ending at a word boundary, with a valid mod-97 check. Undefined otherwise.
 */
function ibanEnd(text: string, start: number, candidate: string): number | undefined {
  const length = ibanLength(candidate.slice(0, 2).toUpperCase());
  if (length === undefined) return undefined;
  let compact = '';
  let i = 0;
  for (; i < candidate.length && compact.length < length; i++) {
    if (/[a-z0-9]/i.test(candidate[i])) compact += candidate[i];
  }
  const end = start + i;
  if (compact.length < length || /[\p{L}\p{N}_]/u.test(text.charAt(end))) return undefined;
  return ibanValid(compact) ? end : undefined;
}

/**
 * The built-in recognizers, one per text entity type.
 *
 * ```ts
 * const found = BUILTIN_RECOGNIZERS.flatMap((r) => r.find('mail me: ann@example.com'));
 * ```
 */
export const BUILTIN_RECOGNIZERS: readonly Recognizer[] = [email, urlCredentials, cards, iban, ip, mac, ssn, phone];
