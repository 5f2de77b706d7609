// Turning what a shift lead brings (rows of a spreadsheet, or the Shopify Tool's packing-list JSON)
// into packdesk's packing list. Pure: the caller reads the file. Every problem found is reported
// with file, row (or JSON path) and column, all at once, and nothing is returned unless the whole
// file is good: a list is never half-imported.
import { z } from 'zod';
import { ValidationError } from './errors.js';
import { normalizeCode, normalizeOrderNumber } from './normalize.js';
import {
  buildPackingListIndex,
  PACKING_LIST_FORMAT_VERSION,
  PackingListSchema,
  type PackingList,
  type PackingListOrder,
} from './packing-list.js';

/** The client's required_columns: packdesk field → the header that holds it in the client's files. */
export interface ColumnMapping {
  order_number: string;
  sku: string;
  product_name: string;
  quantity: string;
  courier: string;
}

export const COLUMN_FIELDS = ['order_number', 'sku', 'product_name', 'quantity', 'courier'] as const;

export interface RowProblem {
  file: string;
  /** Excel row number, or a JSON path such as "orders[3].items[0]". */
  row: number | string;
  column: string | null;
  message: string;
}

export interface ImportedList {
  list: PackingList;
  /** Things that did not stop the import but the shift lead should know (shown after importing). */
  warnings: string[];
}

export interface TableInput {
  headers: string[];
  rows: Array<{ row: number; values: Record<string, string> }>;
}

export interface ImportMeta {
  fileName: string;
  listName: string;
  /** ISO time of the import. */
  now: string;
  source: PackingList['source'];
}

const MAX_PROBLEMS = 50;
const SHOWN_PROBLEMS = 5;

class Problems {
  readonly list: RowProblem[] = [];
  constructor(private readonly file: string) {}
  add(row: number | string, column: string | null, message: string): void {
    if (this.list.length < MAX_PROBLEMS) this.list.push({ file: this.file, row, column, message });
  }
  throwIfAny(): void {
    if (this.list.length === 0) return;
    const shown = this.list.slice(0, SHOWN_PROBLEMS).map((p) => `  ${where(p)}: ${p.message}`);
    const more =
      this.list.length > SHOWN_PROBLEMS
        ? `\n  … and ${this.list.length - SHOWN_PROBLEMS} more${this.list.length === MAX_PROBLEMS ? ' (first 50 shown in details)' : ''}`
        : '';
    throw new ValidationError(
      `${this.file} was not imported: ${this.list.length === 1 ? 'one problem' : `${this.list.length}${this.list.length === MAX_PROBLEMS ? '+' : ''} problems`}. Fix the file and import it again.\n${shown.join('\n')}${more}`,
      { file: this.file, problems: this.list },
    );
  }
}

function where(p: RowProblem): string {
  const row = typeof p.row === 'number' ? `row ${p.row}` : p.row;
  return p.column ? `${row}, column "${p.column}"` : row;
}

/** Parses a quantity as people write it: "2", "2.0", "2,0", 2. Returns an error message or the number. */
export function parseQuantity(raw: unknown): number | string {
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  if (text === '') return 'the quantity is empty';
  if (!/^[+]?\d+([.,]0*)?$/.test(text)) return `"${text}" is not a whole number`;
  const n = Number(text.replace(',', '.'));
  if (n < 1) return `the quantity must be at least 1 (it is ${text})`;
  if (!Number.isSafeInteger(n) || n > 100_000) return `the quantity ${text} is not plausible`;
  return n;
}

/** Collects lines into orders keyed like the scanner sees them ("#1001" and "1001" are one order). */
class OrderCollector {
  private readonly orders = new Map<string, PackingListOrder & { firstRow: number | string }>();
  readonly warnings: string[] = [];
  constructor(private readonly problems: Problems) {}

  add(
    orderNumber: string,
    at: number | string,
    line: { sku: string; product_name: string; quantity: number },
    courier: { value: string; column: string | null },
    metadata: Record<string, z.core.util.JSONType>,
  ): void {
    const key = normalizeOrderNumber(orderNumber);
    let order = this.orders.get(key);
    if (!order) {
      order = { order_number: orderNumber, courier: '', items: [], metadata: {}, firstRow: at };
      this.orders.set(key, order);
    }
    if (courier.value !== '') {
      if (order.courier === '') order.courier = courier.value;
      else if (order.courier !== courier.value) {
        this.problems.add(
          at,
          courier.column,
          `order ${order.order_number} has courier "${order.courier}" on an earlier line and "${courier.value}" here; an order ships with one courier`,
        );
      }
    }
    for (const [k, v] of Object.entries(metadata)) {
      if (k === '__proto__') continue; // would replace the object's prototype, not add a field
      const empty = v === '' || v === null || (Array.isArray(v) && v.length === 0);
      if (!(k in order.metadata) || (empty === false && isEmptyValue(order.metadata[k])))
        order.metadata[k] = v;
    }
    order.items.push(line);
  }

  finish(courierColumn: string | null): PackingListOrder[] {
    const out: PackingListOrder[] = [];
    for (const order of this.orders.values()) {
      if (order.courier === '')
        this.problems.add(order.firstRow, courierColumn, `order ${order.order_number} has no courier`);
      const seen = new Map<string, string>();
      for (const item of order.items) {
        const key = normalizeCode(item.sku);
        const other = seen.get(key);
        if (other !== undefined && other !== item.sku) {
          this.warnings.push(
            `Order ${order.order_number}: SKUs "${other}" and "${item.sku}" scan as the same code; their quantities are packed together.`,
          );
        }
        seen.set(key, item.sku);
      }
      const { firstRow: _firstRow, ...clean } = order;
      out.push(clean);
    }
    return out;
  }
}

function isEmptyValue(v: unknown): boolean {
  return v === '' || v === null || v === undefined || (Array.isArray(v) && v.length === 0);
}

function finishList(
  meta: ImportMeta,
  orders: PackingListOrder[],
  createdAt: string,
  problems: Problems,
): PackingList {
  problems.throwIfAny();
  if (orders.length === 0)
    throw new ValidationError(`${meta.fileName} has no orders to pack.`, { file: meta.fileName });
  const list: PackingList = {
    format_version: PACKING_LIST_FORMAT_VERSION,
    list_name: meta.listName,
    created_at: createdAt,
    source: meta.source,
    orders,
  };
  // Every import ends in the one file format: what its schema refuses (a field past its length
  // limit, say) is refused now, with the order, not when a packer opens the list.
  const checked = PackingListSchema.safeParse(list);
  if (!checked.success) {
    const p = zodProblem(checked.error);
    const order = /^orders\[(\d+)\]/.exec(p.path);
    const where = order ? `order ${orders[Number(order[1])]?.order_number ?? ''} (${p.path})` : p.path;
    throw new ValidationError(`${meta.fileName} was not imported: ${where}: ${p.message}.`, {
      file: meta.fileName,
      problems: [{ file: meta.fileName, row: p.path, column: null, message: p.message }],
    });
  }
  buildPackingListIndex(list); // refuses what scanning could not tell apart
  return list;
}

function headerKey(h: string): string {
  return h
    .toLowerCase()
    .replace(/[\s_]+/g, ' ')
    .trim();
}

/** Finds each mapped column in the headers: exact name first, then ignoring case, spaces and underscores. */
export function resolveColumns(headers: string[], mapping: ColumnMapping, fileName: string): ColumnMapping {
  const resolved = {} as ColumnMapping;
  const missing: string[] = [];
  for (const field of COLUMN_FIELDS) {
    const wanted = mapping[field];
    const found =
      headers.find((h) => h === wanted) ?? headers.find((h) => headerKey(h) === headerKey(wanted));
    if (found === undefined) missing.push(`"${wanted}" (${field.replace('_', ' ')})`);
    else resolved[field] = found;
  }
  if (missing.length > 0) {
    throw new ValidationError(
      `${fileName} is missing the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}. Its columns are: ${headers.map((h) => `"${h}"`).join(', ')}. Rename the column in the file, or change the client's required_columns.`,
      { file: fileName, missing, headers },
    );
  }
  return resolved;
}

/** Rows of a CSV/XLSX (one row per order line) → packing list, using the client's column mapping. */
export function packingListFromTable(
  table: TableInput,
  mapping: ColumnMapping,
  meta: ImportMeta,
): ImportedList {
  const cols = resolveColumns(table.headers, mapping, meta.fileName);
  const used = new Set(Object.values(cols));
  const extra = table.headers.filter((h) => !used.has(h));
  const problems = new Problems(meta.fileName);
  const collector = new OrderCollector(problems);
  for (const { row, values } of table.rows) {
    const orderNumber = values[cols.order_number] ?? '';
    const sku = values[cols.sku] ?? '';
    let bad = false;
    const problem = (column: string, message: string) => {
      bad = true;
      problems.add(row, column, message);
    };
    if (orderNumber === '') problem(cols.order_number, 'the order number is empty');
    else if (normalizeOrderNumber(orderNumber) === '')
      problem(cols.order_number, `"${orderNumber}" has no letters or digits`);
    if (sku === '') problem(cols.sku, 'the SKU is empty');
    else if (normalizeCode(sku) === '') problem(cols.sku, `"${sku}" has no letters or digits`);
    const quantity = parseQuantity(values[cols.quantity]);
    if (typeof quantity === 'string') problem(cols.quantity, quantity);
    if (bad || typeof quantity === 'string') continue;
    const metadata: Record<string, string> = {};
    for (const h of extra) metadata[h] = values[h] ?? '';
    collector.add(
      orderNumber,
      row,
      { sku, product_name: values[cols.product_name] ?? '', quantity: quantity as number },
      { value: values[cols.courier] ?? '', column: cols.courier },
      metadata,
    );
  }
  const orders = collector.finish(cols.courier);
  return { list: finishList(meta, orders, meta.now, problems), warnings: collector.warnings };
}

// ---- JSON ----

function zodProblem(err: z.ZodError): { path: string; message: string } {
  const issue = err.issues[0]!;
  const path = issue.path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .replace(/^\./, '');
  return { path: path || '(top)', message: issue.message };
}

/** packdesk's own JSON, validated whole. */
export function packingListFromPackdeskJson(raw: unknown, meta: ImportMeta): ImportedList {
  const parsed = PackingListSchema.safeParse(raw);
  if (!parsed.success) {
    const p = zodProblem(parsed.error);
    throw new ValidationError(
      `${meta.fileName} was not imported: at ${p.path}: ${p.message}. Fix the file and import it again.`,
      {
        file: meta.fileName,
        problems: [{ file: meta.fileName, row: p.path, column: null, message: p.message }],
      },
    );
  }
  const list: PackingList = { ...parsed.data, list_name: meta.listName, source: meta.source };
  buildPackingListIndex(list);
  return { list, warnings: [] };
}

const SHOPIFY_ORDER_FIELDS = new Set(['order_number', 'courier', 'items']);

/** The Shopify Tool's "nan" for a blank cell is no value. */
function cleanShopifyValue(v: unknown): z.core.util.JSONType {
  if (typeof v === 'string') return v === 'nan' || v === 'NaN' ? '' : v;
  if (Array.isArray(v)) return v.filter((x) => !(x === 'nan' || x === 'NaN')).map(cleanShopifyValue);
  if (v === undefined || (typeof v === 'number' && !Number.isFinite(v))) return null;
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, cleanShopifyValue(x)]));
  return v as z.core.util.JSONType;
}

function textOf(v: unknown): string {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return '';
}

/** The Shopify Tool's packing-list JSON: {list_name?, created_at, orders[{order_number, courier, items[{sku, quantity, product_name}], …}]}. */
export function packingListFromShopifyJson(raw: Record<string, unknown>, meta: ImportMeta): ImportedList {
  const problems = new Problems(meta.fileName);
  const collector = new OrderCollector(problems);
  const orders = raw.orders;
  if (!Array.isArray(orders))
    throw new ValidationError(`${meta.fileName}: "orders" is not a list of orders.`, { file: meta.fileName });
  orders.forEach((o: unknown, i) => {
    const at = `orders[${i}]`;
    if (o === null || typeof o !== 'object' || Array.isArray(o))
      return problems.add(at, null, 'is not an order object');
    const order = o as Record<string, unknown>;
    const orderNumber = textOf(order.order_number);
    const label = orderNumber ? `${at} (order ${orderNumber})` : at;
    if (orderNumber === '' || normalizeOrderNumber(orderNumber) === '')
      return problems.add(at, 'order_number', 'the order number is missing or has no letters or digits');
    const items = order.items;
    if (!Array.isArray(items) || items.length === 0) {
      collector.warnings.push(`Order ${orderNumber} has no items and was left out (nothing to pack).`);
      return;
    }
    const courier = textOf(order.courier) || textOf(order.shipping_provider);
    const metadata: Record<string, z.core.util.JSONType> = {};
    for (const [k, v] of Object.entries(order))
      if (!SHOPIFY_ORDER_FIELDS.has(k)) metadata[k] = cleanShopifyValue(v);
    items.forEach((it: unknown, j) => {
      const itemAt = `${label}.items[${j}]`;
      if (it === null || typeof it !== 'object') return problems.add(itemAt, null, 'is not an item object');
      const item = it as Record<string, unknown>;
      const sku = textOf(item.sku);
      if (sku === '' || normalizeCode(sku) === '')
        return problems.add(itemAt, 'sku', 'the SKU is missing or has no letters or digits');
      const quantity = parseQuantity(item.quantity);
      if (typeof quantity === 'string') return problems.add(itemAt, 'quantity', quantity);
      const productName = textOf(item.product_name);
      collector.add(
        orderNumber,
        label,
        { sku, product_name: productName === 'nan' ? '' : productName, quantity },
        { value: courier, column: 'courier' },
        metadata,
      );
    });
  });
  const built = collector.finish('courier');
  const createdAt = textOf(raw.created_at) || meta.now;
  return { list: finishList(meta, built, createdAt, problems), warnings: collector.warnings };
}
