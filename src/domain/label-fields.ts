// What an order label shows, read from a packing-list order. Prepared lists carry typed metadata
// (`sequence`, `country`, `tags` as an array, `created_at`); imported CSV/XLSX lists carry whatever
// columns the file had, as strings and in their own spelling ("Tags" = "VIP, Priority"). Both go
// through this one reader, so a label never depends on where its list came from. A field that is
// missing or unreadable is simply not printed.
import { z } from 'zod';
import { orderBarcodeText } from './order-barcode.js';
import type { PackingListOrder } from './packing-list.js';

export interface OrderLabelFields {
  order_number: string;
  /** What the bars encode: the order number as the stations normalise scans. */
  barcode: string;
  /** 1…N within the list (before any numbering already printed is applied). */
  sequence: number;
  courier: string;
  /** DD/MM/YY, or null when neither the order nor the list has a date. */
  date: string | null;
  /** Σ quantities of the order's items (not the number of lines). */
  items: number;
  country: string | null;
  tags: string[];
  lines: Array<{ sku: string; quantity: number }>;
}

const Text = z
  .union([z.string(), z.number().transform(String)])
  .transform((s) => s.trim())
  .pipe(z.string().min(1));

const Sequence = z.union([
  z.number().int().positive(),
  z.string().trim().regex(/^\d+$/).transform(Number).pipe(z.number().int().positive()),
]);

// "VIP, Priority", "VIP|Priority" (the Shopify Tool's join), or ["VIP", "Priority"].
const Tags = z
  .union([z.array(Text), z.string().transform((s) => s.split(/[,;|]/))])
  .transform((tags) => tags.map((t) => t.trim()).filter((t) => t.length > 0));

const DAY = /^(\d{4})-(\d{2})-(\d{2})/;
const DateText = Text.pipe(z.string().regex(DAY)).transform((s) => {
  const [, y, m, d] = DAY.exec(s)!;
  return `${d}/${m}/${y!.slice(2)}`;
});

// Column spellings seen in exports, compared without case, spaces or punctuation.
const ALIASES = {
  sequence: ['sequence', 'seq', 'sequencenumber'],
  country: ['country', 'shippingcountry', 'destinationcountry', 'countrycode'],
  tags: ['tags', 'internaltags'],
  created_at: ['createdat', 'orderdate', 'date'],
} as const;

function metadataKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function pick<T>(metadata: Map<string, unknown>, aliases: readonly string[], schema: z.ZodType<T>): T | null {
  for (const alias of aliases) {
    if (!metadata.has(alias)) continue;
    const parsed = schema.safeParse(metadata.get(alias));
    if (parsed.success) return parsed.data;
  }
  return null;
}

/**
 * The label fields of the order at `position` in its list. `listDate` (the list's created_at) stands
 * in when the order has no date of its own, so a label always shows the same date on every reprint.
 */
export function orderLabelFields(
  order: PackingListOrder,
  position: number,
  listDate: string,
): OrderLabelFields {
  const metadata = new Map<string, unknown>();
  for (const [key, value] of Object.entries(order.metadata)) {
    const k = metadataKey(key);
    if (!metadata.has(k)) metadata.set(k, value);
  }
  const tags = pick(metadata, ALIASES.tags, Tags) ?? [];
  return {
    order_number: order.order_number,
    barcode: orderBarcodeText(order.order_number),
    sequence: pick(metadata, ALIASES.sequence, Sequence) ?? position + 1,
    courier: order.courier.trim(),
    date: pick(metadata, ALIASES.created_at, DateText) ?? DateText.safeParse(listDate).data ?? null,
    items: order.items.reduce((sum, item) => sum + item.quantity, 0),
    country: pick(metadata, ALIASES.country, Text),
    tags,
    lines: order.items.map((i) => ({ sku: i.sku, quantity: i.quantity })),
  };
}
