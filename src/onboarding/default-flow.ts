import { type OnboardingFlow, onboardingFlow } from './flow';

/** Options of {@link defaultOnboardingFlow}. */
export interface DefaultFlowOptions {
  /** Catalog categories to offer as interests, in order (at most 6 are offered). */
  categories: readonly string[];
  /** Upper bounds of the budget bands, ascending (default 50 and 150: "under 50", "50 to 150", "over 150"). */
  budgets?: readonly [number, number];
  /** Affinity an interest answer seeds (default 4: more than a few product views, so the first list follows it). */
  weight?: number;
}

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * The built-in flow, in English, German, Spanish and French: interests (the catalog's
 * categories), budget (three price bands and "no limit"), and whom the user shops for.
 *
 * ```ts
 * const flow = defaultOnboardingFlow({ categories: attune.catalog.categoryNames() });
 * ```
 */
export function defaultOnboardingFlow(options: DefaultFlowOptions): OnboardingFlow {
  const [low, high] = options.budgets ?? [50, 150];
  const weight = options.weight ?? 4;
  const categories = options.categories.slice(0, 6);
  return onboardingFlow({
    id: 'default',
    questions: [
      // One category is no choice: a catalog without two has no interests question.
      ...(categories.length < 2 ? [] : [{
        id: 'interests',
        prompt: {
          en: 'To get you started: what are you most into?',
          de: 'Für den Anfang: Wofür interessieren Sie sich am meisten?',
          es: 'Para empezar: ¿qué es lo que más te interesa?',
          fr: 'Pour commencer : qu’est-ce qui vous intéresse le plus ?',
        },
        answers: categories.map((c) => ({ value: c.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64), label: capitalized(c), seeds: { affinities: { [c]: weight } } })),
      }]),
      {
        id: 'budget',
        prompt: {
          en: 'And your budget per item?',
          de: 'Und Ihr Budget pro Artikel?',
          es: '¿Y tu presupuesto por artículo?',
          fr: 'Et votre budget par article ?',
        },
        answers: [
          { value: `under-${low}`, label: { en: `Under ${low}`, de: `Unter ${low}`, es: `Menos de ${low}`, fr: `Moins de ${low}` }, seeds: { budget: { maxPrice: low } } },
          { value: `${low}-${high}`, label: { en: `${low} to ${high}`, de: `${low} bis ${high}`, es: `De ${low} a ${high}`, fr: `De ${low} à ${high}` }, seeds: { budget: { minPrice: low, maxPrice: high } } },
          { value: `over-${high}`, label: { en: `Over ${high}`, de: `Über ${high}`, es: `Más de ${high}`, fr: `Plus de ${high}` }, seeds: { budget: { minPrice: high } } },
          { value: 'any-budget', label: { en: 'No limit', de: 'Egal', es: 'Sin límite', fr: 'Peu importe' } },
        ],
      },
      {
        id: 'audience',
        prompt: {
          en: 'Who are you shopping for?',
          de: 'Für wen kaufen Sie ein?',
          es: '¿Para quién compras?',
          fr: 'Pour qui faites-vous vos achats ?',
        },
        answers: [
          { value: 'self', label: { en: 'Myself', de: 'Für mich', es: 'Para mí', fr: 'Pour moi' }, seeds: { audience: 'self' } },
          { value: 'gift', label: { en: 'A gift', de: 'Ein Geschenk', es: 'Un regalo', fr: 'Un cadeau' }, seeds: { audience: 'gift' } },
          { value: 'family', label: { en: 'My family', de: 'Meine Familie', es: 'Mi familia', fr: 'Ma famille' }, seeds: { audience: 'family' } },
        ],
      },
    ],
  });
}
