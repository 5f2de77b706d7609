// Small Shopify exports and stock files as a shift lead would have them, and the analysis of them
// through the same reading and analysis code that `packdesk prepare` runs.
import { readPrepareInputs } from '../../src/app/prepare-session.js';
import {
  analyseFulfilment,
  type AnalysisResult,
  type AnalysedOrder,
} from '../../src/domain/fulfilment-analysis.js';
import type { PreparationEdit } from '../../src/domain/preparation-edits.js';
import {
  defaultPreparationSettings,
  PreparationSettingsSchema,
} from '../../src/domain/preparation-settings.js';

export const ORDERS_HEADER =
  'Name,Email,Financial Status,Subtotal,Total,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem sku,Shipping Country,Notes,Tags,Billing Name';

export interface Line {
  order: string;
  sku: string;
  qty?: number;
  name?: string;
}

export interface OrderSpec {
  order: string;
  method?: string;
  created?: string;
  country?: string;
  tags?: string;
  notes?: string;
  total?: string;
  email?: string;
  /** The billing name (first line only); none by default. */
  customer?: string;
  lines: Array<{ sku: string; qty?: number; name?: string }>;
}

const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** A Shopify-shaped export: order-level cells on each order's first line only. */
export function ordersCsv(orders: OrderSpec[]): string {
  const rows = [ORDERS_HEADER];
  for (const o of orders) {
    o.lines.forEach((l, i) => {
      const first = i === 0;
      rows.push(
        [
          o.order,
          o.email ?? `${o.order.replace('#', 'c')}@example.com`,
          first ? 'paid' : '',
          first ? (o.total ?? '20.00') : '',
          first ? (o.total ?? '20.00') : '',
          first ? (o.method ?? 'DHL Express') : '',
          first ? (o.created ?? '2026-02-16 09:00:00 +0200') : '',
          String(l.qty ?? 1),
          l.name ?? `Product ${l.sku}`,
          l.sku,
          first ? (o.country ?? 'BG') : '',
          first ? (o.notes ?? '') : '',
          first ? (o.tags ?? '') : '',
          first ? (o.customer ?? '') : '',
        ]
          .map(csvCell)
          .join(','),
      );
    });
  }
  return `${rows.join('\n')}\n`;
}

/** The default stock mapping's file: Bulgarian headers, ';', UTF-8 with BOM. */
export function stockCsv(stock: Record<string, number | string>): string {
  return `\uFEFFАртикул;Име;Наличност\n${Object.entries(stock)
    .map(([sku, n]) =>
      [sku, `Склад ${sku}`, String(n)]
        .map((v) => (/[";]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v))
        .join(';'),
    )
    .join('\n')}\n`;
}

export interface AnalyseFiles {
  orders: string | string[];
  stock: string | Buffer;
  sets?: string;
  settings?: Record<string, unknown>;
  edits?: PreparationEdit[];
  packedBefore?: string[];
  /** Customer e-mails (lower case) packed in earlier sessions within the window. */
  packedEmails?: string[];
}

export async function analyse(files: AnalyseFiles): Promise<AnalysisResult> {
  const settings = PreparationSettingsSchema.parse({
    ...defaultPreparationSettings(),
    ...(files.settings ?? {}),
  });
  const orders = (Array.isArray(files.orders) ? files.orders : [files.orders]).map((text, i) => ({
    name: `orders_${i + 1}.csv`,
    data: Buffer.from(text),
  }));
  const read = await readPrepareInputs(
    {
      orders,
      stock: {
        name: 'stock.csv',
        data: Buffer.isBuffer(files.stock) ? files.stock : Buffer.from(files.stock),
      },
      ...(files.sets ? { sets: { name: 'sets.csv', data: Buffer.from(files.sets) } } : {}),
    },
    settings,
  );
  const result = analyseFulfilment({
    orders: read.orders,
    stock: read.stock,
    sets: read.sets,
    settings,
    repeats: {
      orderKeys: new Set(files.packedBefore ?? []),
      emails: new Set(files.packedEmails ?? []),
    },
    edits: files.edits ?? [],
  });
  result.warnings.unshift(...read.warnings);
  return result;
}

export function order(result: AnalysisResult, number: string): AnalysedOrder {
  const found = result.orders.find((o) => o.order_number === number);
  if (!found) throw new Error(`order ${number} not in the analysis`);
  return found;
}

export function edit(seq: number, change: PreparationEdit['change']): PreparationEdit {
  return {
    schema_version: 1,
    seq,
    at: '2026-02-16T10:00:00.000Z',
    by: { station: 'T', worker: 'lead' },
    change,
  };
}
