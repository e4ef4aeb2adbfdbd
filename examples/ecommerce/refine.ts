import type { RecommendFilter } from '../../src/core/filter';

/**
 * What a shopper's message says about narrowing the list: a price bound or range, "cheaper",
 * a category (from the catalog's names) and tags. The shop bot turns it into a
 * recommendation `filter`; anything it does not recognize is simply not a refinement.
 */
export interface Refinement {
  maxPrice?: number;
  minPrice?: number;
  /** "cheaper ones", "something less expensive": below what was shown last. */
  cheaper?: boolean;
  category?: string;
  tags?: string[];
}

const NUMBER = String.raw`(\d+(?:[.,]\d{1,2})?)`;
const MONEY = String.raw`(?:\$|€|£|usd|eur|euros?|dollars?|bucks|pounds?)`;
const amount = (s: string) => Number(s.replace(',', '.'));

/**
 * Reads a refinement out of `text`, or `undefined` when there is none.
 *
 * ```ts
 * parseRefinement('under 30 dollars', vocabulary); // { maxPrice: 30 }
 * parseRefinement('between 20 and 50', vocabulary); // { minPrice: 20, maxPrice: 50 }
 * parseRefinement('show me cheaper ones', vocabulary); // { cheaper: true }
 * ```
 */
export function parseRefinement(text: string, vocabulary: { categories: readonly string[]; tags: readonly string[] }): Refinement | undefined {
  const t = text.toLowerCase();
  const out: Refinement = {};
  const range = new RegExp(String.raw`(?:between|from)\s*${MONEY}?\s*${NUMBER}\s*${MONEY}?\s*(?:and|to|-)\s*${MONEY}?\s*${NUMBER}`).exec(t) ?? new RegExp(String.raw`${MONEY}?\s*${NUMBER}\s*${MONEY}?\s*(?:-|to)\s*${MONEY}?\s*${NUMBER}\s*${MONEY}`).exec(t);
  if (range) {
    const [a, b] = [amount(range[1]), amount(range[2])].sort((x, y) => x - y);
    out.minPrice = a;
    out.maxPrice = b;
  } else {
    const under = new RegExp(String.raw`(?:under|below|less than|cheaper than|up to|at most|no more than|max(?:imum)?|within)\s*${MONEY}?\s*${NUMBER}`).exec(t) ?? new RegExp(String.raw`${MONEY}?\s*${NUMBER}\s*${MONEY}?\s*(?:or less|or under|max)`).exec(t);
    if (under) out.maxPrice = amount(under[1]);
    const over = new RegExp(String.raw`(?:over|above|more than|at least|min(?:imum)?)\s*${MONEY}?\s*${NUMBER}`).exec(t);
    if (over) out.minPrice = amount(over[1]);
  }
  if (out.maxPrice === undefined && /\b(cheaper|less expensive|lower price|too expensive|too pricey|on a budget|budget)\b/.test(t)) out.cheaper = true;
  const words = new Set(t.match(/[a-z]+/g) ?? []);
  const category = vocabulary.categories.find((c) => words.has(c.toLowerCase()));
  if (category) out.category = category;
  const tags = vocabulary.tags.filter((tag) => words.has(tag.toLowerCase()) && tag.toLowerCase() !== category?.toLowerCase());
  if (tags.length) out.tags = tags;
  return Object.keys(out).length ? out : undefined;
}

/**
 * The next filter: a new category replaces the old one and its tags (the budget stays),
 * bounds replace earlier ones, and "cheaper" means below the cheapest item shown last.
 */
export function nextFilter(previous: RecommendFilter | undefined, r: Refinement, shownPrices: readonly number[]): RecommendFilter {
  const sameCategory = !r.category || previous?.categories?.includes(r.category);
  const { tags: _tags, categories: _categories, ...budget } = previous ?? {};
  const out: RecommendFilter = sameCategory ? { ...previous } : budget;
  if (r.category) out.categories = [r.category];
  if (r.tags) out.tags = r.tags;
  if (r.maxPrice !== undefined) out.maxPrice = r.maxPrice;
  if (r.minPrice !== undefined) out.minPrice = r.minPrice;
  if (r.cheaper && shownPrices.length) out.maxPrice = Math.max(0, Math.round((Math.min(...shownPrices) - 0.01) * 100) / 100);
  if (out.minPrice !== undefined && out.maxPrice !== undefined && out.minPrice > out.maxPrice) delete out.minPrice;
  return out;
}

/** The filter in words, for the bot's reply: "running shoes under 30.00". */
export function describeFilter(filter: RecommendFilter): string {
  const what = [filter.categories?.join(' or '), filter.tags?.join(' or ')].filter(Boolean).join(' ') || 'picks';
  const price =
    filter.minPrice !== undefined && filter.maxPrice !== undefined
      ? ` from ${filter.minPrice.toFixed(2)} to ${filter.maxPrice.toFixed(2)}`
      : filter.maxPrice !== undefined
        ? ` under ${filter.maxPrice.toFixed(2)}`
        : filter.minPrice !== undefined
          ? ` from ${filter.minPrice.toFixed(2)}`
          : '';
  return `${what}${price}`;
}
