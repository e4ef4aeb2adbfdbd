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
