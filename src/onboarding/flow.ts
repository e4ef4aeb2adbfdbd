import { z } from 'zod';
import { ConfigError } from '../core/errors';
import { RecommendFilterSchema } from '../core/filter';

/**
 * An onboarding flow as configuration: two or three questions with quick-reply answers, each
 * answer saying what it seeds in the profile. Validated with zod where it enters (the
 * stage's options), trusted inside.
 */

/** Languages a flow's texts are keyed by; `en` is required, the others fall back to it. */
export const ONBOARDING_LANGUAGES = ['en', 'de', 'es', 'fr'] as const;
/** One of {@link ONBOARDING_LANGUAGES}. */
export type OnboardingLanguage = (typeof ONBOARDING_LANGUAGES)[number];

/** A text per language: a plain string (every language), or `{ en, de?, es?, fr? }`. */
export const LocalizedTextSchema = z.union([
  z.string().min(1).max(300),
  z.strictObject({ en: z.string().min(1).max(300), de: z.string().min(1).max(300).optional(), es: z.string().min(1).max(300).optional(), fr: z.string().min(1).max(300).optional() }),
]);

/** A text in every language, or per language (see {@link LocalizedTextSchema}). */
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

/** What choosing an answer seeds in the profile. */
export const OnboardingSeedsSchema = z.strictObject({
  /** Added to the profile's category affinities (a product view counts 1, a mention 1.5). */
  affinities: z.record(z.string().min(1).max(128), z.number().finite().min(-20).max(20)).optional(),
  /** A price band: it becomes the default price filter of the user's recommendations. */
  budget: RecommendFilterSchema.pick({ maxPrice: true, minPrice: true }).optional(),
  /** Who the user shops for (`self`, `gift`, `kids`…), kept with the answers. */
  audience: z.string().min(1).max(64).optional(),
});

/** One quick-reply answer. */
export const OnboardingAnswerSchema = z.strictObject({
  /** The answer's id, what a structured quick reply sends back (`running`, `under-50`). */
  value: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, . _ - only, at most 64'),
  /** What the button says; free text equal to it (in any language) answers too. */
  label: LocalizedTextSchema,
  seeds: OnboardingSeedsSchema.default({}),
});

/** One question. */
export const OnboardingQuestionSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, . _ - only, at most 64'),
  prompt: LocalizedTextSchema,
  answers: z.array(OnboardingAnswerSchema).min(2).max(10),
});

/** A whole flow. */
export const OnboardingFlowSchema = z
  .strictObject({
    /** Kept with each user's state, so a changed flow can be told from the one they answered. */
    id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, . _ - only, at most 64'),
    questions: z.array(OnboardingQuestionSchema).min(1).max(5),
    /** Words that skip the flow for good, beside the built-in ones ("skip", "no thanks", …). */
    skipWords: z.array(z.string().min(1).max(64)).max(20).default([]),
    /** The skip button's label (default "Skip" in the user's language). */
    skipLabel: LocalizedTextSchema.optional(),
  })
  .superRefine((flow, ctx) => {
    const ids = new Set<string>();
    flow.questions.forEach((q, i) => {
      if (ids.has(q.id)) ctx.addIssue({ code: 'custom', path: ['questions', i, 'id'], message: `duplicate question id "${q.id}"` });
      ids.add(q.id);
      const values = new Set<string>();
      q.answers.forEach((a, j) => {
        if (values.has(a.value)) ctx.addIssue({ code: 'custom', path: ['questions', i, 'answers', j, 'value'], message: `duplicate answer value "${a.value}"` });
        values.add(a.value);
      });
    });
  });

/** A validated flow (see {@link OnboardingFlowSchema}). */
export type OnboardingFlow = z.infer<typeof OnboardingFlowSchema>;
/** One question of a flow. */
export type OnboardingQuestion = OnboardingFlow['questions'][number];
/** One answer of a question. */
export type OnboardingAnswer = OnboardingQuestion['answers'][number];
/** What an answer seeds. */
export type OnboardingSeeds = z.infer<typeof OnboardingSeedsSchema>;
/** A flow as written in configuration, before defaults. */
export type OnboardingFlowInput = z.input<typeof OnboardingFlowSchema>;

/**
 * Validates a flow; a ConfigError names every offending path.
 *
 * ```ts
 * const flow = onboardingFlow({ id: 'shop', questions: [{ id: 'interests', prompt: 'What are you into?', answers: [
 *   { value: 'running', label: 'Running', seeds: { affinities: { running: 4 } } },
 *   { value: 'yoga', label: 'Yoga', seeds: { affinities: { yoga: 4 } } },
 * ] }] });
 * ```
 */
export function onboardingFlow(input: unknown): OnboardingFlow {
  const r = OnboardingFlowSchema.safeParse(input);
  if (r.success) return r.data;
  throw new ConfigError(`invalid onboarding flow: ${r.error.issues.map((i) => `${i.path.join('.') || '(flow)'}: ${i.message}`).join('; ')}`);
}

/** A text in a language, falling back to English. */
export function textIn(text: LocalizedText, language: OnboardingLanguage): string {
  return typeof text === 'string' ? text : (text[language] ?? text.en);
}

/** Every language's version of a text (for matching free-text answers in any of them). */
export function allTexts(text: LocalizedText): string[] {
  return typeof text === 'string' ? [text] : Object.values(text).filter((t): t is string => typeof t === 'string');
}

/** The flow language of a locale tag (`de-DE` → `de`), English when unsupported. */
export function onboardingLanguage(locale: string | undefined): OnboardingLanguage {
  const lang = locale?.slice(0, 2).toLowerCase();
  return (ONBOARDING_LANGUAGES as readonly string[]).includes(lang ?? '') ? (lang as OnboardingLanguage) : 'en';
}
