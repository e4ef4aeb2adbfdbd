import { allTexts, type OnboardingAnswer, type OnboardingFlow, type OnboardingQuestion } from './flow';

/**
 * How a message answers a question: a quick reply's value or label as it was sent back, or
 * free text naming exactly one answer ("I'm into running"). Pure.
 */

/** What a structured quick reply sends back as the turn's value (a postBack, a Rasa payload's entity). */
export interface OnboardingValue {
  attune: 'onboarding';
  question: string;
  answer: string;
}

/** Narrows a turn's value to an {@link OnboardingValue}. */
export function isOnboardingValue(v: unknown): v is OnboardingValue {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return o.attune === 'onboarding' && typeof o.question === 'string' && o.question.length <= 64 && typeof o.answer === 'string' && o.answer.length <= 64;
}

/** Lower case, letters and digits only: "Under $50" and "under 50" are the same answer. */
export function normalized(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const BUILT_IN_SKIP = ['skip', 'no thanks', 'no thank you', 'not now', 'later', 'maybe later', 'uberspringen', 'spater', 'nein danke', 'saltar', 'omitir', 'ahora no', 'mas tarde', 'no gracias', 'passer', 'plus tard', 'non merci', 'pas maintenant'];

/** Whether a message asks to skip the flow ("skip", "no thanks", "später", "plus tard", or the flow's own words). */
export function isSkip(text: string | undefined, flow: OnboardingFlow): boolean {
  if (!text) return false;
  const t = normalized(text);
  if (!t) return false;
  return [...BUILT_IN_SKIP, ...flow.skipWords.map(normalized), ...(flow.skipLabel ? allTexts(flow.skipLabel).map(normalized) : [])].some((w) => t === w || t.startsWith(`${w} `));
}

/** The answer a message gives to `question`, if it gives exactly one. */
export function matchAnswer(question: OnboardingQuestion, text: string | undefined, value?: unknown): OnboardingAnswer | undefined {
  if (isOnboardingValue(value) && value.question === question.id) return question.answers.find((a) => a.value === value.answer);
  if (!text) return undefined;
  const t = normalized(text);
  if (!t) return undefined;
  const names = (a: OnboardingAnswer) => [normalized(a.value), ...allTexts(a.label).map(normalized)].filter(Boolean);
  const exact = question.answers.find((a) => names(a).includes(t));
  if (exact) return exact;
  // Inside a sentence, a name counts as whole words only, and only when one answer is named.
  const padded = ` ${t} `;
  const named = question.answers.filter((a) => names(a).some((n) => n.length >= 3 && padded.includes(` ${n} `)));
  return named.length === 1 ? named[0] : undefined;
}
