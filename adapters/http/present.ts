import type { Recommendation } from '../../src/core/personalization';

/**
 * How a recommendation reads on a card, the same on every platform: its title, what it is
 * (description and price), and why it was picked. Each adapter lays these out in its own
 * format; the words are decided here once.
 */

/** The item's title, or its id when the catalog has no entry for it. */
export const itemTitle = (r: Recommendation): string => r.item?.title ?? r.itemId;

/** "Light trail shoe · 59.00": the description and price, whichever are known. */
export function itemDetails(r: Recommendation): string {
  const price = r.item?.price !== undefined ? r.item.price.toFixed(2) : undefined;
  return [r.item?.description, price].filter(Boolean).join(' · ');
}

/**
 * A card's subtitle: the reason in words first ("because you viewed …"), then the details,
 * on separate lines. Cut to `max` characters where a platform limits it, keeping the reason
 * whole when it fits, since it is what makes the list visibly personal.
 */
export function cardSubtitle(r: Recommendation, max = Infinity): string {
  const text = [r.explanation, itemDetails(r)].filter(Boolean).join('\n');
  return text.length <= max ? text : text.slice(0, Math.max(0, max - 1)).trimEnd() + '…';
}
