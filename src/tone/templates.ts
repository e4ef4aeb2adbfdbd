import type { ToneName } from '../core/personalization';

/**
 * How a tone rewrites a reply. Templates are data, so a bot developer can override any of
 * them in configuration without code.
 */
export interface ToneTemplate {
  /** Put before the first reply of a session (e.g. a welcome for first-time visitors). */
  greeting?: string;
  /** Put before every reply. */
  prefix?: string;
  /** Put after every reply. */
  suffix?: string;
  /** Whole-word, case-insensitive replacements applied in order ([from, to]). */
  replace?: [string, string][];
  /** Keep at most this many sentences. */
  maxSentences?: number;
  /** Phrases removed wherever they occur (filler words, hedges). */
  drop?: string[];
}

const CONTRACTIONS: [string, string][] = [
  ["can't", 'cannot'],
  ["won't", 'will not'],
  ["don't", 'do not'],
  ["doesn't", 'does not'],
  ["isn't", 'is not'],
  ["aren't", 'are not'],
  ["I'm", 'I am'],
  ["you're", 'you are'],
  ["it's", 'it is'],
  ["we're", 'we are'],
  ["that's", 'that is'],
  ["there's", 'there is'],
  ["I'll", 'I will'],
  ["you'll", 'you will'],
  ["let's", 'let us'],
];

/** The built-in templates. `neutral` changes nothing. */
export const DEFAULT_TEMPLATES: Readonly<Record<ToneName, ToneTemplate>> = {
  neutral: {},
  formal: {
    replace: [...CONTRACTIONS, ['hi', 'Hello'], ['hey', 'Hello'], ['thanks', 'Thank you'], ['yeah', 'yes'], ['sure', 'certainly'], ['awesome', 'excellent'], ['cool', 'very good']],
    drop: ['!'],
  },
  friendly: {
    greeting: 'Welcome, {name}! 👋',
    replace: [['hello', 'Hi'], ['certainly', 'sure']],
  },
  concise: {
    drop: ['I think that', 'I think', 'basically', 'actually', 'just', 'really', 'please note that', 'as you may know,', 'in order to'],
    replace: [['in order to', 'to']],
    maxSentences: 2,
  },
  empathetic: {
    prefix: 'I understand, and I am here to help.',
    replace: [
      ['unfortunately,', 'I am sorry, but'],
      ['unfortunately', 'I am sorry, but'],
    ],
  },
};
