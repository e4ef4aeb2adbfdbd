import { productsOf } from '../../src/core/ecommerce';

const of = (properties: Record<string, unknown>) => productsOf({ properties });

describe('productsOf', () => {
  test('a single product is read from the properties themselves', () => {
    expect(of({ product_id: 'p1', category: 'running', price: 20, quantity: 2 })).toEqual([{ productId: 'p1', category: 'running', price: 20, quantity: 2 }]);
  });

  test('the id falls back from product_id to sku to id, and numbers become strings', () => {
    expect(of({ sku: 'S-1' })[0].productId).toBe('S-1');
    expect(of({ id: 42 })[0].productId).toBe('42');
    expect(of({ product_id: 'p1', sku: 'S-1', id: 'x' })[0].productId).toBe('p1');
    expect(of({ product_id: '', sku: 'S-1' })[0].productId).toBe('S-1');
  });

  test('numeric strings count as numbers, anything else is dropped', () => {
    expect(of({ product_id: 'p1', price: '19.90', quantity: ' ' })[0]).toEqual({ productId: 'p1', category: undefined, price: 19.9, quantity: undefined });
    expect(of({ product_id: 'p1', price: 'cheap' })[0].price).toBeUndefined();
    expect(of({ product_id: 'p1', price: Infinity })[0].price).toBeUndefined();
  });

  test('order and cart events list products[], skipping entries without id or category', () => {
    const products = of({ order_id: 'o1', product_id: 'ignored', products: [{ product_id: 'p1', price: 5 }, null, 'p2', { name: 'nameless' }, { category: 'yoga' }] });
    expect(products).toEqual([
      { productId: 'p1', category: undefined, price: 5, quantity: undefined },
      { productId: undefined, category: 'yoga', price: undefined, quantity: undefined },
    ]);
  });

  test('an event about no product yields nothing', () => {
    expect(of({})).toEqual([]);
    expect(of({ query: 'shoes' })).toEqual([]);
    expect(of({ products: [] })).toEqual([]);
  });
});
