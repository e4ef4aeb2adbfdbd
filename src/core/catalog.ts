import { z } from 'zod';
import { parse } from './validate';

/** One product (or any recommendable item) as the bot developer describes it. */
export const CatalogItemSchema = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  category: z.string().min(1),
  price: z.number().nonnegative().optional(),
  description: z.string().default(''),
  tags: z.array(z.string()).optional(),
  image: z.string().optional(),
  url: z.string().optional(),
});
/** One catalog item. */
export type CatalogItem = z.infer<typeof CatalogItemSchema>;

/**
 * The items Attune may recommend, indexed by id and by category. Immutable once built.
 *
 * ```ts
 * const catalog = Catalog.from(require('./catalog.json'));
 * catalog.byCategory('running');
 * ```
 */
export class Catalog {
  private readonly items: Map<string, CatalogItem>;
  private readonly categories: Map<string, CatalogItem[]>;
  /** Each tagged item's tags as a set, built once: diversity compares them pair by pair on every list. */
  private readonly tagSets = new Map<string, ReadonlySet<string>>();

  private constructor(items: readonly CatalogItem[]) {
    this.items = new Map(items.map((i) => [i.id, i]));
    this.categories = new Map();
    for (const item of this.items.values()) {
      const list = this.categories.get(item.category) ?? [];
      list.push(item);
      this.categories.set(item.category, list);
      if (item.tags?.length) this.tagSets.set(item.id, new Set(item.tags));
    }
  }

  /** Validates raw JSON (an array of items) and builds a catalog; throws ValidationError. */
  static from(input: unknown): Catalog {
    return new Catalog(parse(z.array(CatalogItemSchema), input, 'catalog'));
  }

  /** An empty catalog: Attune then recommends only what it has seen in events. */
  static empty(): Catalog {
    return new Catalog([]);
  }

  /** Number of items. */
  get size(): number {
    return this.items.size;
  }

  /** The item with this id, if any. */
  get(id: string): CatalogItem | undefined {
    return this.items.get(id);
  }

  /** Every item, in catalog order. */
  all(): CatalogItem[] {
    return [...this.items.values()];
  }

  /**
   * The item's tags as a set (undefined for an unknown or untagged item), the same set on every
   * call. Built when the catalog is, so it holds the tags the item had then.
   */
  tagSet(id: string): ReadonlySet<string> | undefined {
    return this.tagSets.get(id);
  }

  /** Items of one category (empty for an unknown category). */
  byCategory(category: string): readonly CatalogItem[] {
    return this.categories.get(category) ?? [];
  }

  /** Every category name. */
  categoryNames(): string[] {
    return [...this.categories.keys()];
  }
}
