import type { CatalogItem } from '../../src/core/catalog';

/** A small catalog with planted categories: 6 running items, 6 yoga items, 6 camping items. */
export function smallCatalog(): CatalogItem[] {
  const items: CatalogItem[] = [];
  const cats: [string, string[]][] = [
    ['running', ['shoes', 'marathon', 'trail']],
    ['yoga', ['mat', 'meditation', 'stretch']],
    ['camping', ['tent', 'sleeping bag', 'outdoor']],
  ];
  for (const [category, tags] of cats) {
    for (let i = 1; i <= 6; i++) {
      items.push({ id: `${category}-${i}`, title: `${category} item ${i}`, category, price: 10 * i, description: `A ${category} product`, tags });
    }
  }
  return items;
}
