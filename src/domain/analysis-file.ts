// analysis.json of a prepared session: every order with its status, reasons, courier and list; per-SKU
// stock before and after; the counts. Versioned, so the web app, later packdesk versions and other
// tools read it through this one schema, never by guessing (the Python tool's analysis JSON had no
// version and wrote "nan" for blanks).
import { z } from 'zod';
import type { AnalysisResult } from './fulfilment-analysis.js';

export const ANALYSIS_FILE_VERSION = 1;

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

export const AnalysisFileSchema = z.object({
  schema_version: z.literal(ANALYSIS_FILE_VERSION),
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
export type AnalysisFile = z.infer<typeof AnalysisFileSchema>;

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
