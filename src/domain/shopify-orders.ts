// A Shopify orders export (one row per line item) read as orders with lines. Shopify fills the
// order-level columns (shipping method, country, tags, totals…) on an order's first line only, so each
// order takes them from its own first line; nothing is filled down from the order above (the Python
// tool's file-wide forward fill gave a pickup order the previous order's courier). Lines without a SKU
// (tips, shipping protection, notes) are kept as non-stock lines.
import { appended } from './small-arrays.js';
import { FIELD_LIMITS } from './field-limits.js';
import { normalizeCode, normalizeOrderNumber } from './normalize.js';
import type { OrdersColumns } from './preparation-settings.js';
import { REQUIRED_ORDER_COLUMNS } from './preparation-settings.js';
import { headerIndex, ProblemList } from './input-problems.js';

/**
 * Longest texts kept from an export (within packdesk's field limits): a list's fields reach every
 * station's screen and every scan's answer. Order numbers and SKUs longer than their limit are
 * refused; the others are shortened, visibly. Extra columns are kept short so an order's metadata,
 * up to 50 of them, stays within what a packing list may carry.
 */
export const TEXT_LIMITS = {
  orderNumber: FIELD_LIMITS.orderNumberChars,
  sku: FIELD_LIMITS.skuChars,
  name: FIELD_LIMITS.productNameChars,
  notes: FIELD_LIMITS.metadataChars,
  tags: 1000,
  other: 200,
} as const;

/** `text` cut to `max` characters with a visible ellipsis, and whether it was cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

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
  /** The billing name, else the shipping name; '' when the export has neither. */
  customer_name: string;
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

// Written by ownCopy, so that the character read which flattens its copy is never optimised away.
let _flattenedFirst = 0;

/**
 * The text as a string of its own. A cell read from an export is a slice of the whole file's text
 * (V8 keeps a substring of 13 or more characters as a view into its parent), so one kept cell would
 * keep the export's whole text alive as long as the orders live: 48 MB at 200,000 orders. Its two
 * halves joined make a new (cons) string; reading a character of it flattens that into one fresh
 * copy, and the next garbage collection drops the cons wrapper. (A slice of a prefixed copy, used
 * before, stays a 32-byte view into that copy: ~19 MB for 200,000 orders' times, e-mails and names.)
 */
export function ownCopy(text: string): string {
  if (text.length < 13) return text;
  const half = text.length >> 1;
  const copy = text.slice(0, half) + text.slice(half);
  _flattenedFirst = copy.charCodeAt(0);
  return copy;
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

const SMALL_WHOLE = /^\d{1,9}$/;

/** A whole number as people type it ("2", "2.0", "2,0", "-3"); null when it is not one. */
export function parseWholeNumber(raw: string): number | null {
  if (SMALL_WHOLE.test(raw)) return Number(raw);
  const t = raw.trim().replace(/\s/g, '');
  if (!/^[+-]?\d+([.,]0*)?$/.test(t)) return null;
  const n = Number(t.replace(',', '.'));
  return Number.isSafeInteger(n) ? n : null;
}

/** A money amount ("44.80", "44,80", "1 044.80"); null when blank or unreadable. */
export function parseAmount(raw: string): number | null {
  // Most amounts are plain numbers ("44.80"): Number reads them as the rules below would.
  const plain = raw === '' ? NaN : Number(raw);
  if (Number.isFinite(plain) && raw.trim() !== '') return plain;
  const t = raw.trim().replace(/\s/g, '');
  if (t === '') return null;
  const normalized = /^-?\d+,\d{1,2}$/.test(t) ? t.replace(',', '.') : t.replace(/,/g, '');
  const n = Number(normalized);
  return Number.isFinite(n) ? n : null;
}

const SHOPIFY_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2})?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/** Two digits at `at` as a number, or -1. */
function twoDigits(t: string, at: number): number {
  const a = t.charCodeAt(at) - 48;
  const b = t.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * Exactly Shopify's own form, "2026-02-16 09:12:03 +0200", read without building a string for
 * Date.parse (one per order); null for anything else, which parseOrderTime then reads the long way.
 * Days after the 28th go the long way too, so a date that does not exist is never rolled over.
 */
function exportTime(t: string): number | null {
  if (t.length !== 25 || t[4] !== '-' || t[7] !== '-' || t[10] !== ' ' || t[13] !== ':' || t[16] !== ':')
    return null;
  if (t[19] !== ' ' || (t[20] !== '+' && t[20] !== '-')) return null;
  const century = twoDigits(t, 0);
  const year = twoDigits(t, 2);
  const month = twoDigits(t, 5);
  const day = twoDigits(t, 8);
  const hour = twoDigits(t, 11);
  const minute = twoDigits(t, 14);
  const second = twoDigits(t, 17);
  const zoneHours = twoDigits(t, 21);
  const zoneMinutes = twoDigits(t, 23);
  // Years before 1000 (never a real export) go the long way.
  if (century < 10 || year < 0 || month < 1 || month > 12 || day < 1 || day > 28) return null;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return null;
  if (zoneHours < 0 || zoneHours > 23 || zoneMinutes < 0 || zoneMinutes > 59) return null;
  const offset = (t[20] === '+' ? 1 : -1) * (zoneHours * 60 + zoneMinutes) * 60_000;
  const days = daysSinceEpoch(century * 100 + year, month, day);
  return ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 - offset;
}

/**
 * Days from 1970-01-01 to a date of the proleptic Gregorian calendar (year ≥ 0, month 1–12), as
 * Date.UTC counts them, in whole-number arithmetic: one order time per order, 200,000 of them.
 */
function daysSinceEpoch(year: number, month: number, day: number): number {
  // Years start in March, so the leap day is the last day of the year before.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Days in a month of the Gregorian calendar (month 1–12). */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Whether "YYYY-MM-DD" is a date that exists. Date.parse takes any day up to 31 in any month and
 * rolls it over ("2026-02-30" is 2 March), and gives NaN for month 13.
 */
function dateExists(date: string): boolean {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Shopify's "2026-02-16 09:12:03 +0200" (and ISO) as epoch ms; null when unreadable. */
export function parseOrderTime(raw: string): number | null {
  const t = raw.trim();
  if (t === '') return null;
  const fast = exportTime(t);
  if (fast !== null) return fast;
  const m = SHOPIFY_TIME.exec(t);
  if (m) {
    if (!dateExists(m[1]!)) return null;
    let zone = m[4] ?? 'Z';
    if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
    const ms = Date.parse(`${m[1]}T${m[2]}${m[3] ?? ':00'}${zone}`);
    return Number.isFinite(ms) ? ms : null;
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return dateExists(t) ? Date.parse(`${t}T00:00:00Z`) : null;
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

/** Longest run of digits whose value a double holds exactly (any 15-digit number does). */
const EXACT_DIGITS = 15;

/**
 * The first run of digits of an order number as a number, for sorting without a key string per
 * order: ordering by it agrees with orderNumberSortKey wherever it differs, and equal values (the
 * same number, a run longer than 15 digits, or no digits at all: Infinity, last) are decided by
 * orderNumberSortKey.
 */
export function orderNumberValue(orderNumber: string): number {
  let i = 0;
  const n = orderNumber.length;
  while (i < n && !isDigit(orderNumber.charCodeAt(i))) i++;
  if (i === n) return Infinity;
  // Leading zeros do not count ("#007" is 7), as in orderNumberSortKey.
  while (i < n && orderNumber.charCodeAt(i) === 48) i++;
  let value = 0;
  let digits = 0;
  for (; i < n; i++) {
    const c = orderNumber.charCodeAt(i);
    if (!isDigit(c)) break;
    if (++digits > EXACT_DIGITS) return 1e16;
    value = value * 10 + (c - 48);
  }
  return value;
}

const isDigit = (code: number) => code >= 48 && code <= 57;

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
  'customer_name',
  'shipping_name',
];

/**
 * Reads one or more exports into orders, a row at a time (the caller feeds rows as it reads them, so a
 * large export is never held as a table). The same order in two files (exports of overlapping days)
 * is taken once, from the first file it is in; a difference between the copies is reported.
 * Problems (missing columns, bad quantities) are collected for all files and thrown together by finish().
 */
export class ShopifyOrdersReader {
  private readonly problems = new ProblemList();
  private readonly warnings: string[] = [];
  private byKey = new Map<string, ShopifyOrder>();
  private zeroLines = 0;
  /** Texts longer than packdesk keeps, shortened. */
  private clipped = 0;
  private unreadableTimes = 0;
  private rows = 0;
  private readonly overlaps: string[] = [];
  private overlapCount = 0;
  private differing = 0;
  private file: FileColumns | null = null;
  /** Orders of the current file, so an order seen in an earlier file is compared whole, then dropped. */
  private inFile = new Map<string, ShopifyOrder>();
  /**
   * One copy of each repeated text (SKUs, product names, shipping methods, countries, tag lists):
   * a day's export repeats a few thousand distinct values over hundreds of thousands of lines, and
   * a copy per line was most of the memory a large preparation held.
   */
  private readonly shared = new Map<string, string>();
  private readonly tagLists = new Map<string, string[]>();
  private lastNumber = '';
  private lastKey = '';
  /** The order of the row before (in this file), or null. */
  private lastOrder: ShopifyOrder | null = null;
  /** By SKU cell as exported: the SKU, whether it can be packed, its line objects (see lineOf). */
  private readonly skus = new Map<string, SkuText>();
  /** By line object: the lines of an order of that one line (see linesWith). */
  private readonly alone = new Map<ExportLine, ExportLine[]>();

  constructor(private readonly columns: OrdersColumns) {}

  /** Starts a file with its header; false (and a problem recorded) when a mapped column is missing. */
  beginFile(file: string, headers: readonly string[], headerRow: number): boolean {
    this.endFile();
    const columns = this.columns;
    const at = headerIndex(headers);
    const missing = REQUIRED_ORDER_COLUMNS.filter((c) => at(columns[c]) === null);
    if (missing.length > 0) {
      this.problems.add(
        file,
        headerRow,
        null,
        `the orders export has no column ${missing.map((c) => `"${columns[c]}"`).join(', ')} (the client's orders column mapping). Its columns are: ${headers.join(', ')}`,
      );
      return false;
    }
    const extras = columns.extra.map((e) => ({ name: e, index: at(e) }));
    for (const e of extras)
      if (e.index === null) this.warnings.push(`${file}: the extra column "${e.name}" is not in the file.`);
    this.file = {
      name: file,
      order: at(columns.order_number)!,
      sku: at(columns.sku)!,
      quantity: at(columns.quantity)!,
      optional: Object.fromEntries(
        OPTIONAL_COLUMNS.map((c) => [c, at(columns[c])]),
      ) as FileColumns['optional'],
      extras,
      orderHeader: headers[at(columns.order_number)!]!,
      skuHeader: headers[at(columns.sku)!]!,
      quantityHeader: headers[at(columns.quantity)!]!,
    };
    return true;
  }

  row(rowNumber: number, cells: readonly string[]): void {
    const f = this.file;
    if (!f) return;
    this.rows++;
    const orderNumber = cells[f.order] ?? '';
    if (orderNumber === '') {
      this.problems.add(f.name, rowNumber, f.orderHeader, 'the order number is empty');
      return;
    }
    if (orderNumber.length > TEXT_LIMITS.orderNumber) {
      this.problems.add(
        f.name,
        rowNumber,
        f.orderHeader,
        `the order number is longer than ${TEXT_LIMITS.orderNumber} characters`,
      );
      return;
    }
    // An order's rows follow one another: its key is made once, not once per line.
    const key = orderNumber === this.lastNumber ? this.lastKey : normalizeOrderNumber(orderNumber);
    this.lastNumber = orderNumber;
    this.lastKey = key;
    if (key === '') {
      this.problems.add(
        f.name,
        rowNumber,
        f.orderHeader,
        `order number "${orderNumber}" has no letters or digits, so it cannot be scanned`,
      );
      return;
    }
    const qtyText = cells[f.quantity] ?? '';
    const quantity = parseWholeNumber(qtyText);
    if (quantity === null || quantity < 0) {
      this.problems.add(
        f.name,
        rowNumber,
        f.quantityHeader,
        qtyText === '' ? 'the quantity is empty' : `"${qtyText}" is not a whole number`,
      );
      return;
    }
    if (quantity > 100_000) {
      this.problems.add(f.name, rowNumber, f.quantityHeader, `the quantity ${qtyText} is not plausible`);
      return;
    }
    // Consecutive rows of one order (most rows) find it without a lookup.
    let order = this.lastOrder !== null && this.lastOrder.key === key ? this.lastOrder : this.inFile.get(key);
    if (!order) {
      order = this.newOrder(f, rowNumber, cells, orderNumber, key);
      this.inFile.set(order.key, order);
    }
    this.lastOrder = order;
    if (quantity === 0) {
      this.zeroLines++;
      return;
    }
    const skuCell = cells[f.sku] ?? '';
    const sku = this.skuOf(skuCell);
    if (sku === null) {
      this.problems.add(
        f.name,
        rowNumber,
        f.skuHeader,
        `the SKU is longer than ${TEXT_LIMITS.sku} characters`,
      );
      return;
    }
    const nameIndex = f.optional.product_name;
    const name = nameIndex === null ? '' : (cells[nameIndex] ?? '');
    if (name.length > TEXT_LIMITS.name) this.clipped++;
    const line = this.lineOf(
      sku,
      name.length > TEXT_LIMITS.name ? clip(name, TEXT_LIMITS.name) : name,
      quantity,
    );
    order.lines = this.linesWith(order.lines, line);
  }

  /**
   * An order's lines with one more. Most orders have one line, and their arrays are most of what
   * an order holds besides its texts: orders of the same one (shared) line share one array, as they
   * share the line (never changed: the analysis copies before it adds). Others get a new array of
   * the exact length (see small-arrays.ts): orders are read once and never grow again.
   */
  private linesWith(lines: ExportLine[], line: ExportLine): ExportLine[] {
    if (lines.length > 0) return appended(lines, line);
    let alone = this.alone.get(line);
    if (alone === undefined) {
      alone = [line];
      if (this.alone.size < MAX_SHARED_TEXTS) this.alone.set(line, alone);
    }
    return alone;
  }

  /** A new order from its first row (its order-level cells). */
  private newOrder(
    f: FileColumns,
    rowNumber: number,
    cells: readonly string[],
    orderNumber: string,
    key: string,
  ): ShopifyOrder {
    const createdAt = this.text(cells, f.optional.created_at);
    const createdMs = parseOrderTime(createdAt);
    if (createdAt !== '' && createdMs === null) this.unreadableTimes++;
    // Texts kept in the order are copied out of the export's text (see ownCopy).
    return {
      order_number: ownCopy(orderNumber),
      key: ownCopy(key),
      file: f.name,
      row: rowNumber,
      shipping_method: this.intern(this.text(cells, f.optional.shipping_method)),
      country: this.intern(this.text(cells, f.optional.country)),
      created_at: ownCopy(createdAt),
      created_ms: createdMs,
      tags: this.tagsOf(this.text(cells, f.optional.tags, TEXT_LIMITS.tags)),
      notes: ownCopy(this.text(cells, f.optional.notes, TEXT_LIMITS.notes)),
      email: ownCopy(this.text(cells, f.optional.email)),
      customer_name: ownCopy(
        this.text(cells, f.optional.customer_name) || this.text(cells, f.optional.shipping_name),
      ),
      total: parseAmount(this.text(cells, f.optional.total)),
      subtotal: parseAmount(this.text(cells, f.optional.subtotal)),
      extra:
        f.extras.length === 0
          ? NO_EXTRA
          : Object.fromEntries(
              f.extras.map((e) => [
                e.name,
                e.index === null ? '' : ownCopy(clip(cells[e.index] ?? '', TEXT_LIMITS.other)),
              ]),
            ),
      lines: [],
    };
  }

  /** The cell of an optional column ('' when the file has none), shortened (and counted) past `max`. */
  private text(cells: readonly string[], index: number | null, max: number = TEXT_LIMITS.other): string {
    const v = index === null ? '' : (cells[index] ?? '');
    if (v.length <= max) return v;
    this.clipped++;
    return clip(v, max);
  }

  /**
   * The SKU of a SKU cell (shared, see intern), or null when it is longer than packdesk keeps. A
   * day's lines repeat a few thousand SKU cells: each distinct cell is cleaned and judged once.
   */
  private skuOf(cell: string): SkuText | null {
    const known = this.skus.get(cell);
    if (known !== undefined) return known;
    const sku = cleanExportSku(cell);
    if (sku.length > TEXT_LIMITS.sku) return null;
    const text = this.intern(sku);
    const entry: SkuText = { text, stock: isStockSku(text), lines: [] };
    // Keyed by a copy of the cell (see ownCopy), the shared SKU itself when cleaning changed nothing.
    if (this.skus.size < MAX_SHARED_TEXTS) this.skus.set(cell === text ? text : ownCopy(cell), entry);
    return entry;
  }

  /**
   * One line object per distinct SKU, name and quantity: lines are never changed (an edit or a rule
   * makes new ones), and a day's hundreds of thousands of lines are mostly the same few thousand.
   */
  private lineOf(sku: SkuText, productName: string, quantity: number): ExportLine {
    const variants = sku.lines;
    for (const v of variants) if (v.quantity === quantity && v.product_name === productName) return v;
    const line: ExportLine = {
      sku: sku.text,
      product_name: this.intern(productName),
      quantity,
      stock_line: sku.stock,
      source: 'export',
      set_sku: null,
    };
    if (variants.length < MAX_LINE_VARIANTS) variants.push(line);
    return line;
  }

  private intern(text: string): string {
    const known = this.shared.get(text);
    if (known !== undefined) return known;
    const own = ownCopy(text);
    // A file with mostly distinct values (ids in a free-text column) is not worth remembering.
    if (this.shared.size < MAX_SHARED_TEXTS) this.shared.set(own, own);
    return own;
  }

  /** Orders with the same Tags cell share one (never changed) list; the analysis copies before it adds. */
  private tagsOf(cell: string): string[] {
    if (cell === '') return NO_TAGS;
    let tags = this.tagLists.get(cell);
    if (tags === undefined) {
      const own = ownCopy(cell);
      tags = splitTags(own);
      if (this.tagLists.size < MAX_SHARED_TEXTS) this.tagLists.set(own, tags);
    }
    return tags;
  }

  /** Ends the current file: its orders join the others (an order already read is taken once). */
  endFile(): void {
    if (this.byKey.size === 0) {
      // The first file: every order is new, and its map becomes the orders' map as it is.
      this.byKey = this.inFile;
    } else {
      this.inFile.forEach((order, key) => {
        const earlier = this.byKey.get(key);
        if (earlier) {
          this.overlapCount++;
          if (this.overlaps.length < 5) this.overlaps.push(order.order_number);
          if (lineSignature(earlier) !== lineSignature(order)) this.differing++;
          return;
        }
        this.byKey.set(key, order);
      });
    }
    this.inFile = new Map();
    this.lastOrder = null;
    this.file = null;
  }

  /** The orders, or a ValidationError listing every problem of every file. */
  finish(): ReadOrdersResult {
    this.endFile();
    this.problems.throwIfAny('The orders export was not read');
    const warnings = this.warnings;
    if (this.overlapCount > 0)
      warnings.push(
        `${this.overlapCount} order(s) are in more than one export file (${this.overlaps.join(', ')}${this.overlapCount > this.overlaps.length ? ', …' : ''}); each was taken once, from the first file.${this.differing > 0 ? ` ${this.differing} of them differ between the files: check those orders.` : ''}`,
      );
    if (this.zeroLines > 0) warnings.push(`${this.zeroLines} line(s) with quantity 0 were left out.`);
    if (this.clipped > 0)
      warnings.push(
        `${this.clipped} text(s) were longer than packdesk keeps (product names ${TEXT_LIMITS.name}, notes ${TEXT_LIMITS.notes}, tags ${TEXT_LIMITS.tags} characters) and were shortened, marked with "…".`,
      );
    if (this.unreadableTimes > 0)
      warnings.push(
        `${this.unreadableTimes} order(s) have a "Created at" time that could not be read; they are allocated after the dated ones.`,
      );
    const orders: ShopifyOrder[] = [];
    this.byKey.forEach((o) => {
      if (o.lines.length > 0) orders.push(o);
      else warnings.push(`Order ${o.order_number} has no lines left (every quantity is 0); it was left out.`);
    });
    return { orders, warnings, rows: this.rows };
  }
}

type OptionalColumn = (typeof OPTIONAL_COLUMNS)[number];
const NO_EXTRA: Record<string, string> = Object.freeze({}) as Record<string, string>;
const NO_TAGS: string[] = Object.freeze([]) as unknown as string[];
const MAX_SHARED_TEXTS = 100_000;
/** Distinct name and quantity pairs kept per SKU (more are rare; they get lines of their own). */
const MAX_LINE_VARIANTS = 16;

/** A SKU as read (shared text), whether it can be packed, and the line objects made for it. */
interface SkuText {
  text: string;
  stock: boolean;
  lines: ExportLine[];
}

interface FileColumns {
  name: string;
  order: number;
  sku: number;
  quantity: number;
  optional: Record<OptionalColumn, number | null>;
  extras: Array<{ name: string; index: number | null }>;
  orderHeader: string;
  skuHeader: string;
  quantityHeader: string;
}

function lineSignature(order: ShopifyOrder): string {
  return order.lines
    .map((l) => `${normalizeCode(l.sku)}×${l.quantity}`)
    .sort()
    .join('|');
}
