import type { AttuneEvent } from './event';

/**
 * Segment's e-commerce spec (v2) event names that Attune understands, plus the names Attune
 * itself emits for chat turns, impressions and feedback.
 */
export const EcommerceEvents = {
  ProductsSearched: 'Products Searched',
  ProductListViewed: 'Product List Viewed',
  ProductViewed: 'Product Viewed',
  ProductClicked: 'Product Clicked',
  ProductAdded: 'Product Added',
  ProductRemoved: 'Product Removed',
  CheckoutStarted: 'Checkout Started',
  OrderCompleted: 'Order Completed',
  ProductAddedToWishlist: 'Product Added to Wishlist',
  ProductShared: 'Product Shared',
  ProductReviewed: 'Product Reviewed',
} as const;

/** Event names Attune writes itself. */
export const AttuneEvents = {
  MessageReceived: 'Message Received',
  MessageSent: 'Message Sent',
  RecommendationShown: 'Recommendation Shown',
  FeedbackGiven: 'Feedback Given',
  SegmentEntered: 'Segment Entered',
  SegmentExited: 'Segment Exited',
  /** A user's audit-only attributes (see privacy/audit-attributes): logged with explicit `fairness` consent, never applied to the profile. */
  AuditAttributesSet: 'Audit Attributes Set',
} as const;

/**
 * How much an event says about a user's interest in a product. Buying says more than
 * viewing; removing from the cart says a little against.
 */
export const INTEREST_WEIGHTS: Readonly<Record<string, number>> = {
  [EcommerceEvents.ProductViewed]: 1,
  [EcommerceEvents.ProductClicked]: 1.5,
  [EcommerceEvents.ProductAddedToWishlist]: 2,
  [EcommerceEvents.ProductShared]: 2,
  [EcommerceEvents.ProductReviewed]: 2,
  [EcommerceEvents.ProductAdded]: 3,
  [EcommerceEvents.CheckoutStarted]: 3,
  [EcommerceEvents.OrderCompleted]: 5,
  [EcommerceEvents.ProductRemoved]: -1,
};

/** One product mentioned by an event. */
export interface ProductRef {
  productId?: string;
  category?: string;
  price?: number;
  quantity?: number;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);

function productOf(p: Record<string, unknown>): ProductRef {
  return { productId: str(p.product_id) ?? str(p.sku) ?? str(p.id), category: str(p.category), price: num(p.price), quantity: num(p.quantity) };
}

/**
 * The products an event refers to: `properties.products[]` for order/cart events, else the
 * single product described by `properties` itself (`product_id`, `category`, `price`).
 */
export function productsOf(event: Pick<AttuneEvent, 'properties'>): ProductRef[] {
  const props = event.properties;
  if (Array.isArray(props.products)) {
    return props.products
      .filter((p): p is Record<string, unknown> => typeof p === 'object' && p !== null)
      .map(productOf)
      .filter((p) => p.productId || p.category);
  }
  const single = productOf(props);
  return single.productId || single.category ? [single] : [];
}
