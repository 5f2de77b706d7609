// packdesk's own packing-list JSON: the one normalised form every import (CSV, XLSX, packdesk JSON,
// the Shopify Tool's JSON) produces, plus the index a station builds once when it opens a list.
// Building the index is one pass over the orders, so a 50,000-order list opens in linear time.
import { FIELD_LIMITS } from './field-limits.js';
import { z } from 'zod';
import { ValidationError } from './errors.js';
import { normalizeCode, normalizeOrderNumber } from './normalize.js';

export const PACKING_LIST_FORMAT_VERSION = 1;

export const PackingListItemSchema = z.object({
  sku: z.string().trim().min(1).max(FIELD_LIMITS.skuChars),
  product_name: z.string().max(FIELD_LIMITS.productNameChars),
  quantity: z.number().int().positive(),
});

export const PackingListOrderSchema = z.object({
  /** As printed on the order (e.g. "#1001"); compared through normalizeOrderNumber. */
  order_number: z.string().trim().min(1).max(FIELD_LIMITS.orderNumberChars),
  courier: z.string().max(FIELD_LIMITS.courierChars),
  items: z.array(PackingListItemSchema).min(1),
  /** Every other column / field of the source, order-level, kept for reports and labels. */
  metadata: z
    .record(z.string().max(FIELD_LIMITS.courierChars), z.json())
    .refine((m) => JSON.stringify(m).length <= 10 * FIELD_LIMITS.metadataChars, 'order metadata is too long')
    .default({}),
});

export const PackingListSourceSchema = z.object({
  format: z.enum(['csv', 'xlsx', 'packdesk-json', 'shopify-json', 'shopify-export']),
  /** The file's base name (never a full path: a share can move). */
  file: z.string(),
  imported_at: z.string(),
  encoding: z.string().optional(),
  delimiter: z.string().optional(),
  sheet: z.string().optional(),
});

export const PackingListSchema = z.object({
  format_version: z.literal(PACKING_LIST_FORMAT_VERSION),
  list_name: z.string().min(1),
  created_at: z.string(),
  source: PackingListSourceSchema,
  orders: z.array(PackingListOrderSchema),
});

export type PackingListItem = z.infer<typeof PackingListItemSchema>;
export type PackingListOrder = z.infer<typeof PackingListOrderSchema>;
export type PackingList = z.infer<typeof PackingListSchema>;

/** One SKU of an order: all the order's lines with that SKU key, summed. */
export interface IndexedSku {
  key: string;
  /** The SKU as the list spells it (first line). */
  sku: string;
  product_name: string;
  required: number;
  /** Positions in order.items, in list order (an order may split one SKU over several lines). */
  lines: number[];
}

export interface IndexedOrder {
  /** Position in list.orders. */
  position: number;
  key: string;
  order: PackingListOrder;
  skus: Map<string, IndexedSku>;
  requiredItems: number;
}

export interface PackingListIndex {
  list: PackingList;
  orders: IndexedOrder[];
  byKey: Map<string, IndexedOrder>;
  /** Every SKU key in the list, to tell a wrong item (known product) from an unknown barcode. */
  skuKeys: Set<string>;
  totalOrders: number;
  totalItems: number;
}

/**
 * Indexes a validated list: order key → order, and per order SKU key → lines. Refuses what would
 * make scanning ambiguous: two orders with the same key, or an order number / SKU with no letters
 * or digits at all.
 */
export function buildPackingListIndex(list: PackingList): PackingListIndex {
  const orders: IndexedOrder[] = [];
  const byKey = new Map<string, IndexedOrder>();
  const skuKeys = new Set<string>();
  let totalItems = 0;
  list.orders.forEach((order, position) => {
    const key = normalizeOrderNumber(order.order_number);
    if (key === '') {
      throw new ValidationError(
        `Order number "${order.order_number}" has no letters or digits, so it cannot be scanned.`,
        {
          order: order.order_number,
        },
      );
    }
    const clash = byKey.get(key);
    if (clash) {
      throw new ValidationError(
        `Orders "${clash.order.order_number}" and "${order.order_number}" scan as the same order number. Each order must appear once.`,
        { order: order.order_number },
      );
    }
    const skus = new Map<string, IndexedSku>();
    let requiredItems = 0;
    order.items.forEach((item, line) => {
      const skuKey = normalizeCode(item.sku);
      if (skuKey === '') {
        throw new ValidationError(
          `Order ${order.order_number}: SKU "${item.sku}" has no letters or digits, so it cannot be scanned.`,
          {
            order: order.order_number,
            sku: item.sku,
          },
        );
      }
      const existing = skus.get(skuKey);
      if (existing) {
        existing.required += item.quantity;
        existing.lines.push(line);
      } else {
        skus.set(skuKey, {
          key: skuKey,
          sku: item.sku,
          product_name: item.product_name,
          required: item.quantity,
          lines: [line],
        });
      }
      skuKeys.add(skuKey);
      requiredItems += item.quantity;
    });
    const indexed: IndexedOrder = { position, key, order, skus, requiredItems };
    orders.push(indexed);
    byKey.set(key, indexed);
    totalItems += requiredItems;
  });
  return { list, orders, byKey, skuKeys, totalOrders: orders.length, totalItems };
}
