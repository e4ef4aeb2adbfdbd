import { z } from 'zod';
import type { CatalogItem } from '../../core/catalog';
import { ConfigError, ValidationError } from '../../core/errors';
import { parse } from '../../core/validate';

/**
 * Which content is sensitive: item ids, categories and tags named in config. A recommendation
 * that would show a sensitive item waits for a person's approval (see {@link ReviewService}).
 */

const Names = z.array(z.string().trim().min(1).max(512)).max(10_000);

/** The config of a sensitivity policy: every list optional, at least one name in all. */
export const SensitivityPolicySchema = z.strictObject({
  /** Item ids that are sensitive whatever their category or tags. */
  items: Names.optional(),
  /** Every item of these categories. */
  categories: Names.optional(),
  /** Every item carrying one of these tags. */
  tags: Names.optional(),
});

/** What {@link sensitivityPolicy} is given. */
export type SensitivityPolicyInput = z.input<typeof SensitivityPolicySchema>;

/** Which rule marked an item sensitive: `item`, `category:<name>` or `tag:<name>`. */
export type SensitiveReason = `item` | `category:${string}` | `tag:${string}`;

/** A validated sensitivity policy. Pure: no I/O. */
export interface SensitivityPolicy {
  /** The first rule that marks the item sensitive (item id, then category, then tag), or undefined. */
  match(item: Pick<CatalogItem, 'id'> & Partial<Pick<CatalogItem, 'category' | 'tags'>>): SensitiveReason | undefined;
  /** The policy as configured (normalized), for reports. */
  readonly rules: Readonly<{ items: readonly string[]; categories: readonly string[]; tags: readonly string[] }>;
}

/**
 * Validates a sensitivity policy (ConfigError naming what is wrong) and returns its matcher.
 * Categories and tags match case-insensitively, as the catalog's are written by people; ids
 * match exactly.
 *
 * ```ts
 * const policy = sensitivityPolicy({ categories: ['pharmacy'], tags: ['adult'], items: ['sku-42'] });
 * policy.match({ id: 'p1', category: 'Pharmacy' }); // 'category:pharmacy'
 * ```
 */
export function sensitivityPolicy(input: unknown): SensitivityPolicy {
  let parsed: z.output<typeof SensitivityPolicySchema>;
  try {
    parsed = parse(SensitivityPolicySchema, input, 'sensitivity policy');
  } catch (err) {
    throw err instanceof ValidationError ? new ConfigError(err.message) : err;
  }
  const items = new Set(parsed.items ?? []);
  const categories = new Set((parsed.categories ?? []).map((c) => c.toLowerCase()));
  const tags = new Set((parsed.tags ?? []).map((t) => t.toLowerCase()));
  if (!items.size && !categories.size && !tags.size) throw new ConfigError('invalid sensitivity policy: name at least one item, category or tag');
  return {
    rules: { items: [...items], categories: [...categories], tags: [...tags] },
    match(item) {
      if (items.has(item.id)) return 'item';
      const category = item.category?.toLowerCase();
      if (category !== undefined && categories.has(category)) return `category:${category}`;
      for (const tag of item.tags ?? []) {
        const t = tag.toLowerCase();
        if (tags.has(t)) return `tag:${t}`;
      }
      return undefined;
    },
  };
}
