// A packing list as the fulfilment analysis decides it, kept compact: the list holds its orders'
// analysed records and what each packs, and each order's stored form (packing-list.ts) is made only
// when it is written, a few hundred at a time. Built for all orders at once, those objects (order,
// metadata, items array) were ~220 bytes per fulfillable order, ~35 MB at 200,000 orders, alive from
// the analysis until the session was written.
import type { AnalysedOrder } from './fulfilment-analysis.js';
import type { PackingListItem, PackingListOrder } from './packing-list.js';

export interface PreparedList {
  name: string;
  /** The list's orders in packing order: the i-th has sequence i + 1. */
  orders: AnalysedOrder[];
  /**
   * What the orders pack on this list, one order after another: order i's items are
   * items[item_start[i]] up to (not including) items[item_start[i + 1]]. One flat array instead of
   * an array per order; item objects are shared by the orders that pack the same thing.
   */
  items: PackingListItem[];
  item_start: Uint32Array;
  orders_total: number;
  items_total: number;
}

/** The i-th order of the list as the packing list stores it. */
export function packingListOrder(list: PreparedList, i: number): PackingListOrder {
  const a = list.orders[i]!;
  const metadata: PackingListOrder['metadata'] = {
    sequence: i + 1,
    country: a.country,
    tags: a.tags,
    notes: a.notes,
    created_at: a.created_at,
    repeat: a.repeat,
    shipping_method: a.shipping_method,
    order_type: a.order_type,
    email: a.email,
    total: a.total,
  };
  for (const k in a.extra) if (k !== '__proto__' && Object.hasOwn(a.extra, k)) metadata[k] = a.extra[k]!;
  return {
    order_number: a.order_number,
    courier: a.courier,
    items: list.items.slice(list.item_start[i], list.item_start[i + 1]),
    metadata,
  };
}

/** Every order of the list as stored (a whole list at once: for comparing lists, not for writing them). */
export function packingListOrders(list: PreparedList): PackingListOrder[] {
  return list.orders.map((_, i) => packingListOrder(list, i));
}

/**
 * Makes the lists' items: one item object per distinct SKU, name and quantity, shared by the orders
 * (and lists) that pack it, since a list's items are only written out, never changed, and a day's
 * items are mostly the same few thousand.
 */
export class ListItems {
  private readonly bySku = new Map<string, PackingListItem[]>();

  item(sku: string, productName: string, quantity: number): PackingListItem {
    let variants = this.bySku.get(sku);
    if (variants === undefined) this.bySku.set(sku, (variants = []));
    for (const v of variants) if (v.quantity === quantity && v.product_name === productName) return v;
    const item: PackingListItem = { sku, product_name: productName, quantity };
    if (variants.length < 16) variants.push(item);
    return item;
  }
}
