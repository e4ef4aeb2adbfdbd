import { z } from 'zod';

/**
 * What a shopper narrowed the list to: a price range, categories, tags. Every field is
 * optional and they combine with AND; inside `categories` and `tags` any one matches.
 */
export const RecommendFilterSchema = z.strictObject({
  /** Highest price, inclusive. Items without a price do not pass a price bound. */
  maxPrice: z.number().nonnegative().optional(),
  /** Lowest price, inclusive. */
  minPrice: z.number().nonnegative().optional(),
  /** Keep items of any of these categories. */
  categories: z.array(z.string().min(1).max(128)).max(32).optional(),
  /** Keep items carrying any of these tags. */
  tags: z.array(z.string().min(1).max(128)).max(32).optional(),
});

/**
 * A filter on recommendations (see {@link RecommendFilterSchema}).
 *
 * ```ts
 * const cheaperRunning: RecommendFilter = { maxPrice: 30, categories: ['running'] };
 * ```
 */
export type RecommendFilter = z.infer<typeof RecommendFilterSchema>;

/** Parameter and slot names read by {@link filterFromParameters}, snake_case or camelCase. */
export const FILTER_PARAMETERS = {
  maxPrice: ['max_price', 'maxPrice'],
  minPrice: ['min_price', 'minPrice'],
  categories: ['category', 'categories'],
  tags: ['tag', 'tags'],
} as const;

/**
 * A filter from an NLU's parameters or a form's slots (Dialogflow parameters, Rasa slots):
 * `max_price`, `min_price`, `category`, `tags`. Prices may be numbers, numeric strings or
 * Dialogflow's `sys.unit-currency` objects (`{ amount, currency }`); categories and tags a
 * string or a list of strings. Values that say nothing (empty, null, not a number, a list of
 * other things) are left out, and
 * no filter at all comes back when none is set.
 *
 * ```ts
 * filterFromParameters({ max_price: { amount: 30, currency: 'USD' }, category: 'running' });
 * // { maxPrice: 30, categories: ['running'] }
 * ```
 */
export function filterFromParameters(params: Readonly<Record<string, unknown>> | undefined): RecommendFilter | undefined {
  if (!params) return undefined;
  const pick = (names: readonly string[]) => names.map((n) => (Object.hasOwn(params, n) ? params[n] : undefined)).find((v) => v !== undefined && v !== null && v !== '');
  const raw: Record<string, unknown> = {};
  const max = price(pick(FILTER_PARAMETERS.maxPrice));
  const min = price(pick(FILTER_PARAMETERS.minPrice));
  const categories = names(pick(FILTER_PARAMETERS.categories));
  const tags = names(pick(FILTER_PARAMETERS.tags));
  if (max !== undefined) raw.maxPrice = max;
  if (min !== undefined) raw.minPrice = min;
  if (categories) raw.categories = categories;
  if (tags) raw.tags = tags;
  if (!Object.keys(raw).length) return undefined;
  const parsed = RecommendFilterSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

function price(v: unknown): number | undefined {
  const amount = typeof v === 'object' && v !== null && 'amount' in v ? (v as { amount: unknown }).amount : v;
  const n = typeof amount === 'number' ? amount : typeof amount === 'string' && amount.trim() ? Number(amount) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** A name or a list of names; a list holding anything else is not one, and gives nothing. */
function names(v: unknown): string[] | undefined {
  const list = Array.isArray(v) ? v : [v];
  if (!list.length || !list.every((s): s is string => typeof s === 'string' && s.trim() !== '')) return undefined;
  return list.map((s) => s.trim());
}
