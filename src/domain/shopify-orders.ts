// A Shopify orders export (one row per line item) read as orders with lines. Shopify fills the
// order-level columns (shipping method, country, tags, totals…) on an order's first line only, so each
// order takes them from its own first line; nothing is filled down from the order above (the Python
// tool's file-wide forward fill gave a pickup order the previous order's courier). Lines without a SKU
// (tips, shipping protection, notes) are kept as non-stock lines.
import { normalizeCode, normalizeOrderNumber } from './normalize.js';
import type { OrdersColumns } from './preparation-settings.js';
import { REQUIRED_ORDER_COLUMNS } from './preparation-settings.js';
import { headerIndex, ProblemList, type InputTable } from './input-problems.js';

/** A line as the analysis uses it (shared, never changed: an edit makes a new line). */
export interface ExportLine {
  /** As the export has it, trimmed and without a spreadsheet's ".0"; '' for a line without a SKU. */
  sku: string;
  product_name: string;
  quantity: number;
  stock_line: boolean;
  source: 'export';
  set_sku: null;
}

export interface ShopifyOrder {
  order_number: string;
  /** As a scanner compares order numbers ("#1001" and "1001" are one order). */
  key: string;
  file: string;
  row: number;
  shipping_method: string;
  country: string;
  created_at: string;
  /** created_at as epoch ms, or null when the export's time could not be read. */
  created_ms: number | null;
  tags: string[];
  notes: string;
  email: string;
  total: number | null;
  subtotal: number | null;
  extra: Record<string, string>;
  lines: ExportLine[];
}

export interface ReadOrdersResult {
  orders: ShopifyOrder[];
  warnings: string[];
  /** Rows read, per file. */
  rows: number;
}

/** "5170.0" → "5170" (a spreadsheet's float artefact); leading zeros stay ("07" is not "7"). */
export function cleanExportSku(raw: string): string {
  const s = raw.trim();
  const m = /^(\d+)\.0+$/.exec(s);
  return m ? m[1]! : s;
}

/** Whether a SKU can be packed: it has letters or digits the scanner can match. */
export function isStockSku(sku: string): boolean {
  return sku !== '' && normalizeCode(sku) !== '';
}

/** A whole number as people type it ("2", "2.0", "2,0", "-3"); null when it is not one. */
export function parseWholeNumber(raw: string): number | null {
  const t = raw.trim().replace(/\s/g, '');
  if (!/^[+-]?\d+([.,]0*)?$/.test(t)) return null;
  const n = Number(t.replace(',', '.'));
  return Number.isSafeInteger(n) ? n : null;
}

/** A money amount ("44.80", "44,80", "1 044.80"); null when blank or unreadable. */
export function parseAmount(raw: string): number | null {
  const t = raw.trim().replace(/\s/g, '');
  if (t === '') return null;
  const normalized = /^-?\d+,\d{1,2}$/.test(t) ? t.replace(',', '.') : t.replace(/,/g, '');
  const n = Number(normalized);
  return Number.isFinite(n) ? n : null;
}

const SHOPIFY_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2})?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/** Shopify's "2026-02-16 09:12:03 +0200" (and ISO) as epoch ms; null when unreadable. */
export function parseOrderTime(raw: string): number | null {
  const t = raw.trim();
  if (t === '') return null;
  const m = SHOPIFY_TIME.exec(t);
  if (m) {
    let zone = m[4] ?? 'Z';
    if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
    const ms = Date.parse(`${m[1]}T${m[2]}${m[3] ?? ':00'}${zone}`);
    return Number.isFinite(ms) ? ms : null;
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return Date.parse(`${t}T00:00:00Z`);
  return null;
}

export function splitTags(raw: string): string[] {
  return raw
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

/**
 * A key that sorts order numbers as people expect: "#999" before "#1000" (the first run of digits
 * compared as a number, of any length), then the text; order numbers without digits come last.
 */
export function orderNumberSortKey(orderNumber: string): string {
  const digits = /\d+/.exec(orderNumber)?.[0];
  if (digits === undefined) return `~${orderNumber}`;
  const n = digits.replace(/^0+/, '');
  return `${String(n.length).padStart(4, '0')}${n}\u0000${orderNumber}`;
}

export function compareOrderNumbers(a: string, b: string): number {
  const ka = orderNumberSortKey(a);
  const kb = orderNumberSortKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

type Column = keyof Omit<OrdersColumns, 'extra'>;
const OPTIONAL_COLUMNS: Column[] = [
  'product_name',
  'shipping_method',
  'country',
  'created_at',
  'tags',
  'notes',
  'total',
  'subtotal',
  'email',
];

/**
 * Reads one or more exports into orders. The same order in two files (exports of overlapping days)
 * is taken once, from the first file it is in; a difference between the copies is reported.
 * Problems (missing columns, bad quantities) are collected for all files and thrown together.
 */
export function readShopifyOrders(tables: readonly InputTable[], columns: OrdersColumns): ReadOrdersResult {
  const problems = new ProblemList();
  const warnings: string[] = [];
  const byKey = new Map<string, ShopifyOrder>();
  let zeroLines = 0;
  let unreadableTimes = 0;
  let rows = 0;
  const overlaps: string[] = [];
  let overlapCount = 0;
  let differing = 0;

  for (const table of tables) {
    const at = headerIndex(table.headers);
    const missing = REQUIRED_ORDER_COLUMNS.filter((c) => at(columns[c]) === null);
    if (missing.length > 0) {
      problems.add(
        table.file,
        table.headerRow,
        null,
        `the orders export has no column ${missing.map((c) => `"${columns[c]}"`).join(', ')} (the client's orders column mapping). Its columns are: ${table.headers.join(', ')}`,
      );
      continue;
    }
    const orderI = at(columns.order_number)!;
    const skuI = at(columns.sku)!;
    const qtyI = at(columns.quantity)!;
    const nameI = at(columns.product_name);
    const opt = Object.fromEntries(OPTIONAL_COLUMNS.map((c) => [c, at(columns[c])])) as Record<
      (typeof OPTIONAL_COLUMNS)[number],
      number | null
    >;
    const extras = columns.extra.map((e) => ({ name: e, index: at(e) }));
    for (const e of extras)
      if (e.index === null) warnings.push(`${table.file}: the extra column "${e.name}" is not in the file.`);
    const orderH = table.headers[orderI]!;
    const qtyH = table.headers[qtyI]!;

    // Orders of this file, so an order seen in an earlier file is compared whole, then dropped.
    const inFile = new Map<string, ShopifyOrder>();
    for (const r of table.rows) {
      rows++;
      const cells = r.cells;
      const orderNumber = cells[orderI] ?? '';
      if (orderNumber === '') {
        problems.add(table.file, r.row, orderH, 'the order number is empty');
        continue;
      }
      const key = normalizeOrderNumber(orderNumber);
      if (key === '') {
        problems.add(
          table.file,
          r.row,
          orderH,
          `order number "${orderNumber}" has no letters or digits, so it cannot be scanned`,
        );
        continue;
      }
      const qtyText = cells[qtyI] ?? '';
      const quantity = parseWholeNumber(qtyText);
      if (quantity === null || quantity < 0) {
        problems.add(
          table.file,
          r.row,
          qtyH,
          qtyText === '' ? 'the quantity is empty' : `"${qtyText}" is not a whole number`,
        );
        continue;
      }
      if (quantity > 100_000) {
        problems.add(table.file, r.row, qtyH, `the quantity ${qtyText} is not plausible`);
        continue;
      }
      let order = inFile.get(key);
      if (!order) {
        const text = (c: (typeof OPTIONAL_COLUMNS)[number]) => {
          const i = opt[c];
          return i === null ? '' : (cells[i] ?? '');
        };
        const createdAt = text('created_at');
        const createdMs = parseOrderTime(createdAt);
        if (createdAt !== '' && createdMs === null) unreadableTimes++;
        order = {
          order_number: orderNumber,
          key,
          file: table.file,
          row: r.row,
          shipping_method: text('shipping_method'),
          country: text('country'),
          created_at: createdAt,
          created_ms: createdMs,
          tags: splitTags(text('tags')),
          notes: text('notes'),
          email: text('email'),
          total: parseAmount(text('total')),
          subtotal: parseAmount(text('subtotal')),
          extra: Object.fromEntries(
            extras.map((e) => [e.name, e.index === null ? '' : (cells[e.index] ?? '')]),
          ),
          lines: [],
        };
        inFile.set(key, order);
      }
      if (quantity === 0) {
        zeroLines++;
        continue;
      }
      const sku = cleanExportSku(cells[skuI] ?? '');
      order.lines.push({
        sku,
        product_name: nameI === null ? '' : (cells[nameI] ?? ''),
        quantity,
        stock_line: isStockSku(sku),
        source: 'export',
        set_sku: null,
      });
    }
    for (const [key, order] of inFile) {
      const earlier = byKey.get(key);
      if (earlier) {
        overlapCount++;
        if (overlaps.length < 5) overlaps.push(order.order_number);
        if (lineSignature(earlier) !== lineSignature(order)) differing++;
        continue;
      }
      byKey.set(key, order);
    }
  }
  problems.throwIfAny('The orders export was not read');
  if (overlapCount > 0)
    warnings.push(
      `${overlapCount} order(s) are in more than one export file (${overlaps.join(', ')}${overlapCount > overlaps.length ? ', …' : ''}); each was taken once, from the first file.${differing > 0 ? ` ${differing} of them differ between the files: check those orders.` : ''}`,
    );
  if (zeroLines > 0) warnings.push(`${zeroLines} line(s) with quantity 0 were left out.`);
  if (unreadableTimes > 0)
    warnings.push(
      `${unreadableTimes} order(s) have a "Created at" time that could not be read; they are allocated after the dated ones.`,
    );
  const orders = [...byKey.values()].filter((o) => {
    if (o.lines.length > 0) return true;
    warnings.push(`Order ${o.order_number} has no lines left (every quantity is 0); it was left out.`);
    return false;
  });
  return { orders, warnings, rows };
}

function lineSignature(order: ShopifyOrder): string {
  return order.lines
    .map((l) => `${normalizeCode(l.sku)}×${l.quantity}`)
    .sort()
    .join('|');
}
