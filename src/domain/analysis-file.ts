// analysis.json of a prepared session: every order with its status, reasons, courier and list; per-SKU
// stock before and after; the counts. Versioned, so the web app, later packdesk versions and other
// tools read it through this one schema, never by guessing (the Python tool's analysis JSON had no
// version and wrote "nan" for blanks).
//
// Version 3 stores each order as a row (an array in the order `order_columns` names) and each line as
// [product, quantity], product being its place in the file's `products` table ([sku, product name]):
// field names and product names were most of a version 2 file, whose every order was an object
// with its names spelled out. What most orders do not have (reasons, short SKUs, tags, notes, extra
// columns, a pack other than their stock lines) goes in the row's last item, an object, only when
// present. A 50,000-order file: 41 MB in version 1, 26.6 MB in version 2, ~8 MB in version 3, and
// writing it was a large part of a preparation's time. AnalysisFileSchema reads all three versions
// and gives every order whole, as version 1 wrote it.
import { z } from 'zod';
import type { AnalysedLine, AnalysedOrder, AnalysisResult } from './fulfilment-analysis.js';

export const ANALYSIS_FILE_VERSION = 3;

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

/** The columns of an order's row in version 3, in order; the file names them too. */
export const ORDER_COLUMNS = [
  'order_number',
  'key',
  'status',
  'courier',
  'shipping_method',
  'country',
  'created_at',
  'total',
  'subtotal',
  'order_type',
  'item_count',
  'repeat',
  'list',
  'sequence',
  'email',
  'customer_name',
  'lines',
  'more',
] as const;

/** What sets a line apart from one read from the export with a SKU (the defaults left out). */
const LineMarksSchema = z.strictObject({
  stock_line: z.literal(false).optional(),
  source: z.literal('rule').optional(),
  set_sku: z.string().optional(),
});
type LineMarks = z.infer<typeof LineMarksSchema>;

/** A line in version 3: [product (its place in `products`), quantity, marks when not the defaults]. */
const RowLineSchema = z.tuple([z.number().int().nonnegative(), z.number().int(), LineMarksSchema.optional()]);
type RowLine = z.infer<typeof RowLineSchema>;

const OrderMoreSchema = z.strictObject({
  reasons: z.array(z.string()).optional(),
  short: AnalysedOrderSchema.shape.short.optional(),
  tags: z.array(z.string()).optional(),
  notes: z.string().optional(),
  extra: z.record(z.string(), z.string()).optional(),
  /** Left out when it is the order's stock lines, in their order. */
  pack: z.array(RowLineSchema).optional(),
});
type OrderMore = z.infer<typeof OrderMoreSchema>;

const o = AnalysedOrderSchema.shape;
const OrderRowSchema = z.tuple([
  o.order_number,
  o.key,
  o.status,
  o.courier,
  o.shipping_method,
  o.country,
  o.created_at,
  o.total,
  o.subtotal,
  o.order_type,
  o.item_count,
  o.repeat,
  o.list,
  o.sequence,
  z.string(),
  z.string(),
  z.array(RowLineSchema),
  OrderMoreSchema,
]);
type OrderRow = z.infer<typeof OrderRowSchema>;

const AnalysisFileV3Schema = AnalysisFileV1Schema.extend({
  schema_version: z.literal(3),
  order_columns: z
    .array(z.string())
    .refine(
      (cols) => cols.length === ORDER_COLUMNS.length && cols.every((c, i) => c === ORDER_COLUMNS[i]),
      `order_columns must be ${ORDER_COLUMNS.join(', ')}`,
    ),
  /** [sku, product name] of every line, each pair once. */
  products: z.array(z.tuple([z.string(), z.string()])),
  orders: z.array(OrderRowSchema),
});
type WholeOrder = z.infer<typeof AnalysedOrderSchema>;
type Product = readonly [string, string];

function wholeRowLine(l: RowLine, products: readonly Product[]): AnalysedLine | null {
  const product = products[l[0]];
  if (product === undefined) return null;
  const marks = l[2];
  return {
    sku: product[0],
    product_name: product[1],
    quantity: l[1],
    stock_line: marks?.stock_line ?? true,
    source: marks?.source ?? 'export',
    set_sku: marks?.set_sku ?? null,
  };
}

/** An order of version 3 whole, or null when a line names a product the file does not have. */
function wholeRow(row: OrderRow, products: readonly Product[]): WholeOrder | null {
  const [
    order_number,
    key,
    status,
    courier,
    shipping_method,
    country,
    created_at,
    total,
    subtotal,
    order_type,
    item_count,
    repeat,
    list,
    sequence,
    email,
    customer_name,
    rowLines,
    more,
  ] = row;
  const lines: AnalysedLine[] = [];
  for (const l of rowLines) {
    const line = wholeRowLine(l, products);
    if (line === null) return null;
    lines.push(line);
  }
  let pack = lines.filter((l) => l.stock_line);
  if (more.pack) {
    pack = [];
    for (const l of more.pack) {
      const line = wholeRowLine(l, products);
      if (line === null) return null;
      pack.push(line);
    }
  }
  return {
    order_number,
    key,
    status,
    reasons: more.reasons ?? [],
    short: more.short ?? [],
    courier,
    shipping_method,
    country,
    created_at,
    tags: more.tags ?? [],
    notes: more.notes ?? '',
    email,
    customer_name,
    total,
    subtotal,
    extra: more.extra ?? {},
    order_type,
    item_count,
    repeat,
    list,
    sequence,
    lines,
    pack,
  };
}

/** Reads analysis.json of any version; orders come whole, as version 1 stored them. */
// By schema_version, so a damaged file is reported against its own version's schema.
export const AnalysisFileSchema = z.discriminatedUnion('schema_version', [
  AnalysisFileV3Schema.transform((doc, ctx) => {
    const { products, order_columns: _columns, ...rest } = doc;
    const orders: WholeOrder[] = new Array<WholeOrder>(doc.orders.length);
    for (let i = 0; i < doc.orders.length; i++) {
      const order = wholeRow(doc.orders[i]!, products);
      if (order === null) {
        ctx.issues.push({
          code: 'custom',
          message: `a line names a product that is not in products (${products.length} of them)`,
          path: ['orders', i],
          input: doc.orders[i],
        });
        return z.NEVER;
      }
      orders[i] = order;
    }
    return { ...rest, orders };
  }),
  AnalysisFileV2Schema.transform((doc) => ({ ...doc, orders: doc.orders.map(wholeOrder) })),
  AnalysisFileV1Schema,
]);
export type AnalysisFile = z.output<typeof AnalysisFileSchema>;

function hasOwnKeys(o: object): boolean {
  for (const k in o) if (Object.hasOwn(o, k)) return true;
  return false;
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

/** Whether pack is the order's stock lines as they are, so it can be left out. */
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

/** Line objects whose product OrderRows remembers (the reader shares one per SKU, name and quantity). */
const MAX_REMEMBERED_LINES = 100_000;

/**
 * The products table of version 3 and the rows that refer to it. Line objects are shared by the
 * orders that have the same line (see the export reader), so most lines find their product by
 * the object itself; the rest by SKU and name.
 */
export class OrderRows {
  readonly products: Product[] = [];
  private readonly byLine = new Map<AnalysedLine, number>();
  private readonly byText = new Map<string, Map<string, number>>();

  constructor(orders: readonly AnalysedOrder[]) {
    for (const order of orders) {
      for (const l of order.lines) this.product(l);
      if (order.pack !== order.lines) for (const l of order.pack) this.product(l);
    }
  }

  private product(l: AnalysedLine): number {
    let at = this.byLine.get(l);
    if (at !== undefined) return at;
    let names = this.byText.get(l.sku);
    if (names === undefined) this.byText.set(l.sku, (names = new Map()));
    at = names.get(l.product_name);
    if (at === undefined) {
      at = this.products.length;
      this.products.push([l.sku, l.product_name]);
      names.set(l.product_name, at);
    }
    // Lines as the export has them are mostly the reader's shared objects. A set's components and a
    // rule's items are objects of their own in every order: remembered, they made the map tens of
    // thousands of entries larger at 200,000 orders, memory that outlived its use until a full collection.
    if (l.source === 'export' && l.set_sku === null && this.byLine.size < MAX_REMEMBERED_LINES)
      this.byLine.set(l, at);
    return at;
  }

  private line(l: AnalysedLine): RowLine {
    const at = this.product(l);
    if (l.stock_line && l.source === 'export' && l.set_sku === null) return [at, l.quantity];
    const marks: LineMarks = {};
    if (!l.stock_line) marks.stock_line = false;
    if (l.source !== 'export') marks.source = l.source;
    if (l.set_sku !== null) marks.set_sku = l.set_sku;
    return [at, l.quantity, marks];
  }

  /** An order as version 3 stores it (see the file comment). */
  row(o: AnalysedOrder): OrderRow {
    const more: OrderMore = {};
    if (o.reasons.length > 0) more.reasons = o.reasons;
    if (o.short.length > 0) more.short = o.short;
    if (o.tags.length > 0) more.tags = o.tags;
    if (o.notes !== '') more.notes = o.notes;
    if (hasOwnKeys(o.extra)) more.extra = o.extra;
    if (!packIsStockLines(o)) more.pack = o.pack.map((l) => this.line(l));
    const lines = new Array<RowLine>(o.lines.length);
    for (let i = 0; i < lines.length; i++) lines[i] = this.line(o.lines[i]!);
    return [
      o.order_number,
      o.key,
      o.status,
      o.courier,
      o.shipping_method,
      o.country,
      o.created_at,
      o.total,
      o.subtotal,
      o.order_type,
      o.item_count,
      o.repeat,
      o.list,
      o.sequence,
      o.email,
      o.customer_name,
      lines,
      more,
    ];
  }
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

/**
 * analysis.json as the current version stores it: the document (orders last, so a writer can
 * stream them) and how each order becomes its row.
 */
export function storedAnalysisFile(
  result: AnalysisResult,
  meta: Parameters<typeof analysisFile>[1],
): {
  doc: Omit<AnalysisFile, 'orders'> & {
    order_columns: readonly string[];
    products: Product[];
    orders: readonly AnalysedOrder[];
  };
  row: (order: AnalysedOrder) => OrderRow;
} {
  const rows = new OrderRows(result.orders);
  const { orders: _whole, ...head } = analysisFile(result, meta);
  return {
    doc: { ...head, order_columns: ORDER_COLUMNS, products: rows.products, orders: result.orders },
    row: (order) => rows.row(order),
  };
}
