// analysis.json of a prepared session: every order with its status, reasons, courier and list; per-SKU
// stock before and after; the counts. Versioned, so the web app, later packdesk versions and other
// tools read it through this one schema, never by guessing (the Python tool's analysis JSON had no
// version and wrote "nan" for blanks).
//
// Version 2 stores each order compactly: a value a field has for most orders (no reasons, no tags,
// a line from the export with a SKU and no set) is left out, and `pack` is left out when it is the
// order's stock lines as they are (no set expanded). That halves a 50,000-order file (41 MB in
// version 1), and writing it was a large part of a preparation's time. AnalysisFileSchema reads
// both versions and gives every order whole, as version 1 wrote it.
import { z } from 'zod';
import type { AnalysedLine, AnalysedOrder, AnalysisResult } from './fulfilment-analysis.js';

export const ANALYSIS_FILE_VERSION = 2;

const LineSchema = z.object({
  sku: z.string(),
  product_name: z.string(),
  quantity: z.number().int(),
  stock_line: z.boolean(),
  source: z.enum(['export', 'rule']),
  set_sku: z.string().nullable(),
});

export const AnalysedOrderSchema = z.object({
  order_number: z.string(),
  /** The order number as a scanner compares it ("#1001" → "1001"). */
  key: z.string(),
  status: z.enum(['fulfillable', 'not_fulfillable', 'held', 'removed']),
  reasons: z.array(z.string()),
  short: z.array(z.object({ sku: z.string(), need: z.number().int(), have: z.number().int().nullable() })),
  courier: z.string(),
  shipping_method: z.string(),
  country: z.string(),
  created_at: z.string(),
  tags: z.array(z.string()),
  notes: z.string(),
  /** Absent in files written before packdesk kept the customer: read as ''. */
  email: z.string().default(''),
  customer_name: z.string().default(''),
  total: z.number().nullable(),
  subtotal: z.number().nullable(),
  extra: z.record(z.string(), z.string()),
  order_type: z.enum(['single', 'multi']),
  item_count: z.number().int(),
  repeat: z.boolean(),
  list: z.string().nullable(),
  sequence: z.number().int().nullable(),
  lines: z.array(LineSchema),
  pack: z.array(LineSchema),
});

export const SkuSummarySchema = z.object({
  sku: z.string(),
  product_name: z.string(),
  in_stock_file: z.boolean(),
  stock_before: z.number().int(),
  allocated: z.number().int(),
  missing: z.number().int(),
  stock_after: z.number().int(),
  low: z.boolean(),
});

export const AnalysisInputFileSchema = z.object({
  kind: z.enum(['orders', 'stock', 'sets']),
  /** As stored in the session's input/ folder. */
  stored_as: z.string(),
  file: z.string(),
  rows: z.number().int(),
  format: z.enum(['csv', 'xlsx']),
  encoding: z.string().optional(),
  delimiter: z.string().optional(),
});
export type AnalysisInputFile = z.infer<typeof AnalysisInputFileSchema>;

export const AnalysisFileV1Schema = z.object({
  schema_version: z.literal(1),
  client: z.string(),
  session: z.string(),
  generated_at: z.string(),
  /** How many ledger edits this analysis includes (0: as prepared). */
  edits_applied: z.number().int().nonnegative(),
  inputs: z.array(AnalysisInputFileSchema),
  counts: z.object({
    orders_total: z.number().int(),
    fulfillable: z.number().int(),
    not_fulfillable: z.number().int(),
    held: z.number().int(),
    removed: z.number().int(),
    lines_total: z.number().int(),
    items_to_ship: z.number().int(),
    repeats: z.number().int(),
    low_stock_skus: z.number().int(),
    unknown_courier_orders: z.number().int(),
    short_by_sku: z.record(z.string(), z.number().int()),
  }),
  couriers: z.array(
    z.object({
      courier: z.string(),
      orders: z.number().int(),
      fulfillable: z.number().int(),
      items: z.number().int(),
      repeats: z.number().int(),
    }),
  ),
  lists: z.array(
    z.object({ name: z.string(), orders_total: z.number().int(), items_total: z.number().int() }),
  ),
  exports: z.array(z.object({ name: z.string(), files: z.array(z.string()) })),
  warnings: z.array(z.string()),
  skus: z.array(SkuSummarySchema),
  orders: z.array(AnalysedOrderSchema),
});

/** A line as version 2 stores it: stock_line, source and set_sku only when not true / 'export' / null. */
const StoredLineSchema = z.object({
  sku: z.string(),
  product_name: z.string(),
  quantity: z.number().int(),
  stock_line: z.literal(false).optional(),
  source: z.literal('rule').optional(),
  set_sku: z.string().optional(),
});
type StoredLine = z.infer<typeof StoredLineSchema>;

const StoredOrderSchema = AnalysedOrderSchema.extend({
  reasons: z.array(z.string()).optional(),
  short: AnalysedOrderSchema.shape.short.optional(),
  tags: z.array(z.string()).optional(),
  notes: z.string().optional(),
  email: z.string().optional(),
  customer_name: z.string().optional(),
  extra: z.record(z.string(), z.string()).optional(),
  lines: z.array(StoredLineSchema),
  /** Left out when it is the order's stock lines, in their order. */
  pack: z.array(StoredLineSchema).optional(),
});
type StoredOrder = z.infer<typeof StoredOrderSchema>;

const AnalysisFileV2Schema = AnalysisFileV1Schema.extend({
  schema_version: z.literal(2),
  orders: z.array(StoredOrderSchema),
});

function wholeLine(l: StoredLine): AnalysedLine {
  return {
    sku: l.sku,
    product_name: l.product_name,
    quantity: l.quantity,
    stock_line: l.stock_line ?? true,
    source: l.source ?? 'export',
    set_sku: l.set_sku ?? null,
  };
}

function wholeOrder(o: StoredOrder): z.infer<typeof AnalysedOrderSchema> {
  const lines = o.lines.map(wholeLine);
  return {
    ...o,
    reasons: o.reasons ?? [],
    short: o.short ?? [],
    tags: o.tags ?? [],
    notes: o.notes ?? '',
    email: o.email ?? '',
    customer_name: o.customer_name ?? '',
    extra: o.extra ?? {},
    lines,
    pack: o.pack ? o.pack.map(wholeLine) : lines.filter((l) => l.stock_line),
  };
}

/** Reads analysis.json of either version; orders come whole, as version 1 stored them. */
export const AnalysisFileSchema = z.union([
  AnalysisFileV2Schema.transform((doc) => ({ ...doc, orders: doc.orders.map(wholeOrder) })),
  AnalysisFileV1Schema,
]);
export type AnalysisFile = z.output<typeof AnalysisFileSchema>;

function hasOwnKeys(o: object): boolean {
  for (const k in o) if (Object.hasOwn(o, k)) return true;
  return false;
}

function storedLine(l: AnalysedLine): StoredLine {
  const out: StoredLine = { sku: l.sku, product_name: l.product_name, quantity: l.quantity };
  if (!l.stock_line) out.stock_line = false;
  if (l.source !== 'export') out.source = l.source;
  if (l.set_sku !== null) out.set_sku = l.set_sku;
  return out;
}

function sameLine(a: AnalysedLine, b: AnalysedLine): boolean {
  return (
    a === b ||
    (a.sku === b.sku &&
      a.product_name === b.product_name &&
      a.quantity === b.quantity &&
      a.stock_line === b.stock_line &&
      a.source === b.source &&
      a.set_sku === b.set_sku)
  );
}

/** Whether pack is the order's stock lines as they are, so version 2 can leave it out. */
function packIsStockLines(o: AnalysedOrder): boolean {
  if (o.pack === o.lines) return true;
  let i = 0;
  for (const l of o.lines) {
    if (!l.stock_line) continue;
    const p = o.pack[i++];
    if (p === undefined || !sameLine(p, l)) return false;
  }
  return i === o.pack.length;
}

/** An order as version 2 stores it (see the file comment). */
export function storedAnalysisOrder(o: AnalysedOrder): StoredOrder {
  const out: StoredOrder = {
    order_number: o.order_number,
    key: o.key,
    status: o.status,
    courier: o.courier,
    shipping_method: o.shipping_method,
    country: o.country,
    created_at: o.created_at,
    total: o.total,
    subtotal: o.subtotal,
    order_type: o.order_type,
    item_count: o.item_count,
    repeat: o.repeat,
    list: o.list,
    sequence: o.sequence,
    lines: o.lines.map(storedLine),
  };
  if (o.reasons.length > 0) out.reasons = o.reasons;
  if (o.short.length > 0) out.short = o.short;
  if (o.tags.length > 0) out.tags = o.tags;
  if (o.notes !== '') out.notes = o.notes;
  if (o.email !== '') out.email = o.email;
  if (o.customer_name !== '') out.customer_name = o.customer_name;
  if (hasOwnKeys(o.extra)) out.extra = o.extra;
  if (!packIsStockLines(o)) out.pack = o.pack.map(storedLine);
  return out;
}

export function analysisFile(
  result: AnalysisResult,
  meta: {
    client: string;
    session: string;
    generatedAt: string;
    editsApplied: number;
    inputs: AnalysisInputFile[];
    exportFiles: Record<string, string[]>;
  },
): AnalysisFile {
  return {
    schema_version: ANALYSIS_FILE_VERSION,
    client: meta.client,
    session: meta.session,
    generated_at: meta.generatedAt,
    edits_applied: meta.editsApplied,
    inputs: meta.inputs,
    counts: result.counts,
    couriers: result.couriers,
    lists: result.lists.map((l) => ({
      name: l.name,
      orders_total: l.orders_total,
      items_total: l.items_total,
    })),
    exports: result.exports.map((e) => ({ name: e.name, files: meta.exportFiles[e.name] ?? [] })),
    warnings: result.warnings,
    skus: result.skus,
    orders: result.orders,
  };
}
