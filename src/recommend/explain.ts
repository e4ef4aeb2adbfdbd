/**
 * Human-readable explanations of recommendation reasons, in the user's language, for
 * adapters to show under an item ("because you viewed Ember running shoes").
 *
 * Popularity counters are all-time totals (no time window), so the popularity phrases claim
 * no recency: "popular in de-DE", "popular with other customers", never "this week" or
 * "right now".
 */

/** Languages explanations are written in; anything else falls back to English. */
export const EXPLANATION_LANGUAGES = ['en', 'de', 'es', 'fr'] as const;
/** One of {@link EXPLANATION_LANGUAGES}. */
export type ExplanationLanguage = (typeof EXPLANATION_LANGUAGES)[number];

interface Phrases {
  viewed: (title: string) => string;
  forYou: string;
  interest: (category: string) => string;
  popularIn: (where: string) => string;
  popularAt: Readonly<Record<string, string>>;
  popular: string;
  catalog: (category: string) => string;
  range: string;
}

const PHRASES: Readonly<Record<ExplanationLanguage, Phrases>> = {
  en: {
    viewed: (t) => `because you viewed ${t}`,
    forYou: 'picked for you from what you looked at',
    interest: (c) => `because you showed interest in ${c}`,
    popularIn: (w) => `popular in ${w}`,
    popularAt: { morning: 'popular this morning', afternoon: 'popular this afternoon', evening: 'popular this evening', night: 'popular tonight' },
    popular: 'popular with other customers',
    catalog: (c) => `from our ${c} range`,
    range: 'from our range',
  },
  de: {
    viewed: (t) => `weil Sie sich ${t} angesehen haben`,
    forYou: 'für Sie ausgewählt nach dem, was Sie angesehen haben',
    interest: (c) => `weil Sie sich für ${c} interessieren`,
    popularIn: (w) => `beliebt in ${w}`,
    popularAt: { morning: 'heute Morgen beliebt', afternoon: 'heute Nachmittag beliebt', evening: 'heute Abend beliebt', night: 'heute Nacht beliebt' },
    popular: 'beliebt bei anderen Kunden',
    catalog: (c) => `aus unserem Sortiment ${c}`,
    range: 'aus unserem Sortiment',
  },
  es: {
    viewed: (t) => `porque viste ${t}`,
    forYou: 'elegido para ti según lo que has mirado',
    interest: (c) => `porque te interesa ${c}`,
    popularIn: (w) => `popular en ${w}`,
    popularAt: { morning: 'popular esta mañana', afternoon: 'popular esta tarde', evening: 'popular esta noche', night: 'popular esta noche' },
    popular: 'popular entre otros clientes',
    catalog: (c) => `de nuestra gama de ${c}`,
    range: 'de nuestra gama',
  },
  fr: {
    viewed: (t) => `parce que vous avez consulté ${t}`,
    forYou: 'choisi pour vous d’après ce que vous avez consulté',
    interest: (c) => `parce que vous vous intéressez à ${c}`,
    popularIn: (w) => `populaire en ${w}`,
    popularAt: { morning: 'populaire ce matin', afternoon: 'populaire cet après-midi', evening: 'populaire ce soir', night: 'populaire cette nuit' },
    popular: 'populaire auprès des autres clients',
    catalog: (c) => `de notre gamme ${c}`,
    range: 'de notre gamme',
  },
};

/** The explanation language for a locale tag (`de-DE` → `de`), English when unsupported. */
export function explanationLanguage(locale: string | undefined): ExplanationLanguage {
  const lang = locale?.slice(0, 2).toLowerCase();
  return (EXPLANATION_LANGUAGES as readonly string[]).includes(lang ?? '') ? (lang as ExplanationLanguage) : 'en';
}

/** What an explanation may mention besides the reason itself. */
export interface ExplainDetails {
  /** Title of the viewed item a model-based pick relates to. */
  viewedTitle?: string;
  /** Category of the recommended item (for catalog picks). */
  category?: string;
  language?: ExplanationLanguage;
}

/**
 * The explanation of one machine reason (`model:itemknn`, `affinity:running`,
 * `popular:locale=de-DE`, `popular:daypart=evening`, `popular`, `catalog`).
 *
 * ```ts
 * explain('popular:locale=de-DE'); // "popular in de-DE"
 * explain('popular:daypart=evening'); // "popular this evening"
 * explain('model:als', { viewedTitle: 'Ember running shoes' }); // "because you viewed Ember running shoes"
 * ```
 */
export function explain(reason: string, details: ExplainDetails = {}): string {
  const say = PHRASES[details.language ?? 'en'];
  const [kind, rest = ''] = splitOnce(reason, ':');
  switch (kind) {
    case 'model':
      return details.viewedTitle ? say.viewed(details.viewedTitle) : say.forYou;
    case 'affinity':
      return rest ? say.interest(rest) : say.forYou;
    case 'popular': {
      const [key, where] = splitOnce(rest, '=');
      if (key === 'daypart' && where) return Object.hasOwn(say.popularAt, where) ? say.popularAt[where] : say.popular;
      return where ? say.popularIn(where) : say.popular;
    }
    default:
      return details.category ? say.catalog(details.category) : say.range;
  }
}

function splitOnce(s: string, sep: string): [string, string?] {
  const at = s.indexOf(sep);
  return at < 0 ? [s] : [s.slice(0, at), s.slice(at + 1)];
}
