// Fulfilment analysis (DESIGN §7): which of the day's orders can ship from the stock on hand, and on
// which packing list each goes. Pure and linear: lines are indexed by order once, every rule and filter
// looks at one order's lines, and stock is allocated in one pass in priority order, all or nothing per
// order, with one reason per short SKU. Edits from the ledger are applied to the inputs and the whole
// analysis recomputed, so final stock always equals stock minus what the fulfillable orders take.
import { appended } from './small-arrays.js';
import { normalizeCode, normalizeOrderNumber } from './normalize.js';
import { compileMatcher, type CompiledMatcher, type OrderFacts } from './order-conditions.js';
import { effectiveEdits, ordersOf, type PreparationEdit } from './preparation-edits.js';
import {
  UNKNOWN_COURIER,
  type PackingListDefinition,
  type PreparationSettings,
  type PriorityKey,
  type SetDefinition,
} from './preparation-settings.js';
import { isStockSku, orderNumberSortKey, orderNumberValue, type ShopifyOrder } from './shopify-orders.js';
import type { StockEntry, StockTable } from './stock-table.js';
import type { PackingListItem } from './packing-list.js';
import { ListItems, type PreparedList } from './prepared-list.js';

export type { PreparedList } from './prepared-list.js';

export type PreparedOrderStatus = 'fulfillable' | 'not_fulfillable' | 'held' | 'removed';

export interface AnalysedLine {
  sku: string;
  product_name: string;
  quantity: number;
  /** False for a line without a SKU (tip, shipping protection): never packed, never short. */
  stock_line: boolean;
  source: 'export' | 'rule';
  /** The set this component was expanded from, or null. */
  set_sku: string | null;
}

export interface ShortSku {
  sku: string;
  need: number;
  /** null: the SKU is not in the stock file. */
  have: number | null;
}

export interface AnalysedOrder {
  order_number: string;
  key: string;
  status: PreparedOrderStatus;
  reasons: string[];
  short: ShortSku[];
  courier: string;
  shipping_method: string;
  country: string;
  created_at: string;
  tags: string[];
  notes: string;
  /** The customer's e-mail and name as exported ('' when the export has none). */
  email: string;
  customer_name: string;
  total: number | null;
  subtotal: number | null;
  extra: Record<string, string>;
  order_type: 'single' | 'multi';
  /** Units to pack (stock lines after set expansion). */
  item_count: number;
  repeat: boolean;
  list: string | null;
  sequence: number | null;
  /** The order's lines as exported (plus rule-added ones), SKU-less lines included. */
  lines: AnalysedLine[];
  /** What is allocated and packed: stock lines with sets expanded into their components. */
  pack: AnalysedLine[];
}

export interface SkuSummary {
  sku: string;
  product_name: string;
  in_stock_file: boolean;
  stock_before: number;
  /** Units the fulfillable orders take. */
  allocated: number;
  /** Units the not-fulfillable orders would have needed. */
  missing: number;
  stock_after: number;
  low: boolean;
}

export interface StockExportRow {
  sku: string;
  product_name: string;
  quantity: number;
}

export interface StockExport {
  name: string;
  format: 'xlsx' | 'csv' | 'both';
  rows: StockExportRow[];
}

export interface CourierCount {
  courier: string;
  orders: number;
  fulfillable: number;
  items: number;
  repeats: number;
}

export interface AnalysisCounts {
  orders_total: number;
  fulfillable: number;
  not_fulfillable: number;
  held: number;
  removed: number;
  lines_total: number;
  items_to_ship: number;
  repeats: number;
  low_stock_skus: number;
  unknown_courier_orders: number;
  /** Short SKU → orders it stops. */
  short_by_sku: Record<string, number>;
}

export interface AnalysisResult {
  orders: AnalysedOrder[];
  skus: SkuSummary[];
  lists: PreparedList[];
  exports: StockExport[];
  couriers: CourierCount[];
  counts: AnalysisCounts;
  warnings: string[];
}

/** Order numbers (as keys) and e-mails packed in the client's earlier sessions within the window. */
export interface RepeatHistory {
  orderKeys: ReadonlySet<string>;
  emails: ReadonlySet<string>;
}

/**
 * Orders handed over to the analysis: it takes them once, makes its own orders from them, and keeps
 * no reference after. A caller that does not keep the orders as read (a preparation writing its
 * session, not one kept for later edits) hands them over, so they are garbage while the analysis
 * still runs: ~40 MB at 200,000 orders that V8 would otherwise count as live and grow the heap by.
 */
export interface OrdersHandedOver {
  /** The orders, the caller's no more: the analysis empties each place once it has made its own. */
  take(): Array<ShopifyOrder | undefined>;
}

export interface AnalysisInputs {
  orders: readonly ShopifyOrder[] | OrdersHandedOver;
  stock: StockTable;
  /** The client's sets plus those of a sets file. */
  sets: readonly SetDefinition[];
  settings: PreparationSettings;
  repeats: RepeatHistory;
  edits: readonly PreparationEdit[];
}

const MAX_SET_DEPTH = 20;

// Most orders have no reasons and nothing short: they share these (frozen, so nothing can add to
// every order at once); an order that gets reasons gets arrays of its own.
const NO_REASONS: string[] = Object.freeze([]) as unknown as string[];
const NO_SHORT: ShortSku[] = Object.freeze([]) as unknown as ShortSku[];

/** A name safe as a list (folder) name, from a courier name such as "Speedy Express". */
export function listNameFor(text: string): string {
  const cleaned = text
    .replace(/[^A-Za-z0-9_.-]+/g, '_')
    .replace(/\.{2,}/g, '_')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 74)
    .replace(/[._-]+$/, '');
  return cleaned === ''
    ? 'list'
    : /^(con|prn|aux|nul|com\d|lpt\d)$/i.test(cleaned.split('.')[0]!)
      ? `list_${cleaned}`
      : cleaned;
}

export function courierFor(method: string, couriers: PreparationSettings['couriers']): string {
  const m = method.toLocaleLowerCase();
  if (m.trim() === '') return UNKNOWN_COURIER;
  for (const c of couriers) if (c.patterns.some((p) => m.includes(p.toLocaleLowerCase()))) return c.name;
  return UNKNOWN_COURIER;
}

/**
 * Units of one SKU key an order needs; sku and name as its first packed line has them. Never
 * changed once made: orders whose line is the same (shared) line object share its demand.
 */
interface Demand {
  key: string;
  /** The key's number in the analysis' SkuTable, so allocation counts stock in arrays, not maps. */
  at: number;
  sku: string;
  name: string;
  need: number;
}

// SKU keys repeat across thousands of lines (a catalogue is far smaller than the lines), so each
// distinct SKU is normalised once.
const skuKeyCache = new Map<string, string>();
function skuKey(sku: string): string {
  let k = skuKeyCache.get(sku);
  if (k === undefined) {
    if (skuKeyCache.size > 200_000) skuKeyCache.clear();
    k = normalizeCode(sku);
    skuKeyCache.set(sku, k);
  }
  return k;
}

/**
 * The orders being analysed and what the analysis works out for each, by the order's place in the
 * input. Columns rather than an object per order: a preparation holds every order at once, and an
 * object of these per order (with its boxed time) was ~100 bytes more per order, ~20 MB at 200,000
 * orders that V8 counted as live in the collection which sets the heap's size.
 */
class WorkTable {
  readonly orders: AnalysedOrder[];
  /** When each order was created (ms), for the priority keys; NaN when the export has no readable time. */
  readonly createdMs: Float64Array;
  /** SKU key → units needed (stock lines only), per order. */
  readonly demand: Demand[][];
  /**
   * Each order's place among all orders by order number (then position in the export), made once
   * by rankByOrderNumber: sorting compares numbers, not a key string per order.
   */
  readonly sortKey: Uint32Array;
  readonly stockLines: Uint32Array;
  /** The first holding rule's reason, and the list a rule routes to, for the few orders that have one. */
  readonly ruleHold = new Map<number, string>();
  readonly route = new Map<number, string>();
  constructor(readonly size: number) {
    // Of its final length, filled in input order (see buildLists for why not push()).
    this.orders = new Array<AnalysedOrder>(size);
    this.createdMs = new Float64Array(size);
    this.demand = new Array<Demand[]>(size);
    this.sortKey = new Uint32Array(size);
    this.stockLines = new Uint32Array(size);
  }
}

class SetExpander {
  private readonly byKey: Map<string, SetDefinition>;
  constructor(sets: readonly SetDefinition[]) {
    this.byKey = new Map(sets.map((s) => [skuKey(s.sku), s]));
  }
  isSet(line: AnalysedLine): boolean {
    return line.stock_line && this.byKey.has(skuKey(line.sku));
  }
  expand(line: AnalysedLine, out: AnalysedLine[], depth = 0, setSku: string | null = null): void {
    const set = line.stock_line ? this.byKey.get(skuKey(line.sku)) : undefined;
    if (!set || depth >= MAX_SET_DEPTH) {
      out.push(setSku === null ? line : { ...line, set_sku: setSku });
      return;
    }
    for (const c of set.components) {
      this.expand(
        {
          sku: c.sku,
          product_name: '',
          quantity: line.quantity * c.quantity,
          stock_line: true,
          source: line.source,
          set_sku: null,
        },
        out,
        depth + 1,
        setSku ?? set.sku,
      );
    }
  }
}

/** The analysis' SKU keys numbered: the stock file's first (in its order), then others as orders need them. */
class SkuTable {
  readonly index = new Map<string, number>();
  constructor(stock: StockTable) {
    for (const k of stock.bySku.keys()) this.index.set(k, this.index.size);
  }
  at(key: string): number {
    let i = this.index.get(key);
    if (i === undefined) this.index.set(key, (i = this.index.size));
    return i;
  }
}

/** What one line object means for packing, worked out once per object (see Packing). */
interface LineFacts {
  /** Whether the line is as the export reader makes them (see expandAndCount). */
  asRead: boolean;
  /** A stock line that is no set: it is packed as it is. */
  plain: boolean;
  /** For a plain line: its demand, and that demand alone (an order of this one line). */
  demand: Demand | null;
  alone: Demand[] | null;
}

/** Line objects whose facts are remembered: the reader shares one per SKU, name and quantity. */
const MAX_REMEMBERED_LINES = 100_000;

/**
 * Turns orders' lines into what is packed and the demand per SKU. A day's hundreds of thousands
 * of lines are mostly the same few thousand (shared) line objects: each is judged once, and orders
 * of plain lines share their demand objects, instead of several map lookups and objects per line.
 */
class Packing {
  private readonly lines = new Map<AnalysedLine, LineFacts>();
  constructor(
    readonly expander: SetExpander,
    readonly skus: SkuTable,
  ) {}

  factsOf(l: AnalysedLine): LineFacts {
    let f = this.lines.get(l);
    if (f !== undefined) return f;
    const key = skuKey(l.sku);
    const plain = l.stock_line && !this.expander.isSet(l);
    const demand: Demand | null = plain
      ? { key, at: this.skus.at(key), sku: l.sku, name: l.product_name, need: l.quantity }
      : null;
    f = {
      asRead: !(l.quantity <= 0) && l.stock_line === (l.sku !== '' && key !== ''),
      plain,
      demand,
      alone: demand === null ? null : [demand],
    };
    if (this.lines.size < MAX_REMEMBERED_LINES) this.lines.set(l, f);
    return f;
  }

  /**
   * Sets the order's pack, demand, item count and type from its lines. With `asRead`, first checks
   * that its lines are as the export reader makes them (so the analysis can use them as they are):
   * false, with nothing set, when one is not.
   */
  expandAndCount(work: WorkTable, i: number, asRead = false): boolean {
    const a = work.orders[i]!;
    const lines = a.lines;
    if (lines.length === 1) {
      const f = this.factsOf(lines[0]!);
      if (asRead && !f.asRead) return false;
      if (f.plain) {
        // The most common order: one plain line, packed as it is, its demand shared.
        a.pack = lines;
        work.demand[i] = f.alone!;
        work.stockLines[i] = 1;
        a.item_count = f.demand!.need;
        a.order_type = 'single';
        return true;
      }
    }
    // Most orders have neither sets nor SKU-less lines: what is packed is then the lines themselves,
    // each bringing its shared demand. Arrays of their final length (push() reserves room for 16
    // more): a day has hundreds of thousands of these.
    let demand: Demand[] = new Array<Demand>(lines.length);
    let kinds = 0;
    let plain = true;
    for (let l = 0; l < lines.length; l++) {
      const f = this.factsOf(lines[l]!);
      if (asRead && !f.asRead) return false;
      if (f.demand === null) {
        plain = false;
        if (asRead)
          for (let j = l + 1; j < lines.length; j++) if (!this.factsOf(lines[j]!).asRead) return false;
        break;
      }
      kinds = addDemand(demand, kinds, f.demand);
    }
    let pack: AnalysedLine[] = lines;
    if (!plain) {
      pack = [];
      for (const l of lines) if (l.stock_line) this.expander.expand(l, pack);
      demand = new Array<Demand>(pack.length);
      kinds = 0;
      for (const l of pack) {
        const key = skuKey(l.sku);
        kinds = addDemand(demand, kinds, {
          key,
          at: this.skus.at(key),
          sku: l.sku,
          name: l.product_name,
          need: l.quantity,
        });
      }
    }
    a.pack = pack;
    let items = 0;
    for (let l = 0; l < pack.length; l++) items += pack[l]!.quantity;
    demand.length = kinds;
    work.demand[i] = demand;
    work.stockLines[i] = pack.length;
    a.item_count = items;
    a.order_type = pack.length > 1 ? 'multi' : 'single';
    return true;
  }
}

/**
 * Adds a line's demand to an order's first `kinds` demands (a SKU already there takes its units, as
 * its first line's sku and name); returns the new count.
 */
function addDemand(demand: Demand[], kinds: number, d: Demand): number {
  for (let i = 0; i < kinds; i++) {
    const first = demand[i]!;
    if (first.at === d.at) {
      // Shared demands are never changed: a SKU on two lines of one order gets a demand of its own.
      demand[i] = {
        key: first.key,
        at: first.at,
        sku: first.sku,
        name: first.name,
        need: first.need + d.need,
      };
      return kinds;
    }
  }
  demand[kinds] = d;
  return kinds + 1;
}

/**
 * The order's facts, for one pass of rules or filters over it. Made when a condition first asks and
 * not kept in the order: a preparation holds every order at once, and facts kept for each of 200,000
 * orders were ~11 MB more live heap while it analysed, which V8 then doubles as room to grow.
 */
function factsOf(work: WorkTable, i: number): OrderFacts {
  return new WorkFacts(work.orders[i]!, work.stockLines[i]!);
}

/**
 * An order's facts read from the order as it is now (a rule may have added a tag). The SKU and
 * product-name lists are made only when a condition asks for them: most rules look at tags, notes
 * or totals, and two lists per order were much of the analysis' garbage.
 */
class WorkFacts implements OrderFacts {
  private skuList: string[] | null = null;
  private nameList: string[] | null = null;
  constructor(
    private readonly a: AnalysedOrder,
    readonly line_count: number,
  ) {}
  get order_number() {
    return this.a.order_number;
  }
  get courier() {
    return this.a.courier;
  }
  get shipping_method() {
    return this.a.shipping_method;
  }
  get country() {
    return this.a.country;
  }
  get tags() {
    return this.a.tags;
  }
  get notes() {
    return this.a.notes;
  }
  get email() {
    return this.a.email;
  }
  get created_at() {
    return this.a.created_at;
  }
  get total() {
    return this.a.total;
  }
  get subtotal() {
    return this.a.subtotal;
  }
  get order_type() {
    return this.a.order_type;
  }
  get item_count() {
    return this.a.item_count;
  }
  get extra() {
    return this.a.extra;
  }
  get skus(): readonly string[] {
    if (this.skuList === null) this.lists();
    return this.skuList!;
  }
  get product_names(): readonly string[] {
    if (this.nameList === null) this.lists();
    return this.nameList!;
  }
  private lists(): void {
    const a = this.a;
    const skus: string[] = [];
    const names: string[] = [];
    for (const l of a.pack) {
      skus.push(l.sku);
      if (l.product_name) names.push(l.product_name);
    }
    for (const l of a.lines) {
      if (l.set_sku === null && l.stock_line && !skus.includes(l.sku)) skus.push(l.sku);
      if (l.product_name && !names.includes(l.product_name)) names.push(l.product_name);
    }
    this.skuList = skus;
    this.nameList = names;
  }
}

/**
 * Numbers the orders by order number (orderNumberSortKey's order), then position in the export, into
 * their sortKey. One sort of numbers: the key string is made only for orders whose numbers tie.
 */
function rankByOrderNumber(work: WorkTable): void {
  const n = work.size;
  const orders = work.orders;
  const value = new Float64Array(n);
  for (let i = 0; i < n; i++) value[i] = orderNumberValue(orders[i]!.order_number);
  // An export sorted by order number (either way) needs no sorting.
  let rising = true;
  let falling = true;
  for (let i = 1; i < n && (rising || falling); i++) {
    if (!(value[i - 1]! < value[i]!)) rising = false;
    if (!(value[i - 1]! > value[i]!)) falling = false;
  }
  if (rising || falling) {
    for (let i = 0; i < n; i++) work.sortKey[i] = rising ? i : n - 1 - i;
    return;
  }
  const tie = (x: number, y: number) => {
    const kx = orderNumberSortKey(orders[x]!.order_number);
    const ky = orderNumberSortKey(orders[y]!.order_number);
    return kx < ky ? -1 : kx > ky ? 1 : x - y;
  };
  const positions = Array.from({ length: n }, (_, i) => i);
  // Infinity - Infinity is NaN, which || sends to the tie-break like 0.
  positions.sort((x, y) => value[x]! - value[y]! || tie(x, y));
  for (let r = 0; r < n; r++) work.sortKey[positions[r]!] = r;
}

// Undated orders come after the dated ones whether the oldest or the newest go first.
const UNDATED = Number.MAX_VALUE;

/** An order's place under one priority key, as a number (smaller goes first). */
function priorityValue(k: PriorityKey, work: WorkTable, i: number): number {
  const ms = work.createdMs[i]!;
  switch (k) {
    case 'multi_line_first':
      return work.stockLines[i]! > 1 ? 0 : 1;
    case 'single_line_first':
      return work.stockLines[i]! > 1 ? 1 : 0;
    case 'most_items_first':
      return -work.orders[i]!.item_count;
    case 'oldest_first':
      return Number.isNaN(ms) ? UNDATED : ms;
    case 'newest_first':
      return Number.isNaN(ms) ? UNDATED : -ms;
    case 'order_number':
      return work.sortKey[i]!;
  }
}

/**
 * The orders in allocation priority: each priority key, then the order number, then the position
 * in the export. Every key is made a number once per order, so sorting compares numbers (a chain of
 * comparators over the orders took a tenth of a 50,000-order analysis); where the keys' distinct
 * values allow, they are folded into one number per order and sorted without a comparator.
 */
function inPriorityOrder(work: WorkTable, orders: Uint32Array, keys: readonly PriorityKey[]): Uint32Array {
  const n = orders.length;
  const ranks = work.size;
  // The order number is unique (sortKey): keys after it never decide, and it is the last word.
  const upTo = keys.indexOf('order_number');
  const columns = (upTo === -1 ? keys : keys.slice(0, upTo)).map((k) => {
    const column = new Float64Array(n);
    for (let i = 0; i < n; i++) column[i] = priorityValue(k, work, orders[i]!);
    return column;
  });
  const rank = new Float64Array(n);
  for (let i = 0; i < n; i++) rank[i] = work.sortKey[orders[i]!]!;
  const folded = foldedKeys(columns, rank, ranks);
  if (folded !== null) {
    // Each folded key ends in the order's sortKey (below `ranks`), which names the order.
    const byRank = new Uint32Array(ranks);
    for (const i of orders) byRank[work.sortKey[i]!] = i;
    folded.sort();
    const ordered = new Uint32Array(n);
    for (let k = 0; k < n; k++) ordered[k] = byRank[folded[k]! % ranks]!;
    return ordered;
  }
  columns.push(rank);
  const positions = Array.from({ length: n }, (_, i) => i);
  positions.sort((x, y) => {
    for (const c of columns) {
      const d = c[x]! - c[y]!;
      if (d !== 0) return d;
    }
    return 0;
  });
  const ordered = new Uint32Array(n);
  for (let k = 0; k < n; k++) ordered[k] = orders[positions[k]!]!;
  return ordered;
}

/**
 * The columns' values as one number per order that sorts as the columns do, one after the other,
 * then `rank` (whole numbers below `ranks`): each column's value replaced by its place among the
 * column's distinct values, mixed radix. Null when the result would not be an exact double.
 */
function foldedKeys(
  columns: readonly Float64Array[],
  rank: Float64Array,
  ranks: number,
): Float64Array | null {
  const n = rank.length;
  const folded = new Float64Array(n);
  let span = 1;
  for (const column of columns) {
    const distinct = distinctSorted(column);
    span *= distinct.length;
    if (span * ranks > Number.MAX_SAFE_INTEGER) return null;
    for (let i = 0; i < n; i++) folded[i] = folded[i]! * distinct.length + placeOf(distinct, column[i]!);
  }
  for (let i = 0; i < n; i++) folded[i] = folded[i]! * ranks + rank[i]!;
  return folded;
}

/** The column's distinct values, smallest first (0 and -0 are one value, as subtracting them says). */
function distinctSorted(column: Float64Array): Float64Array {
  const sorted = column.slice().sort();
  let count = 0;
  for (let i = 0; i < sorted.length; i++)
    if (count === 0 || sorted[i] !== sorted[count - 1]) sorted[count++] = sorted[i]!;
  return sorted.subarray(0, count);
}

/** The index of `value` in `distinct` (sorted, holding it). */
function placeOf(distinct: Float64Array, value: number): number {
  let lo = 0;
  let hi = distinct.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (distinct[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Makes the work table for the orders and calls `each` with every order, taking handed-over orders
 * (see OrdersHandedOver). In a function of its own so that, once it returns, no frame of the analysis
 * still holds the array.
 */
function eachOrder(
  orders: AnalysisInputs['orders'],
  each: (work: WorkTable, order: ShopifyOrder, input: number) => void,
): WorkTable {
  if (!('take' in orders)) {
    const work = new WorkTable(orders.length);
    for (let i = 0; i < orders.length; i++) each(work, orders[i]!, i);
    return work;
  }
  // Each order as read is let go as soon as the analysis has made its own from it, not when all
  // are made: the garbage collection that sets the heap's size comes in the middle of this loop,
  // and every order object still held there (~160 bytes each) counts as live.
  const all = orders.take();
  const work = new WorkTable(all.length);
  for (let i = 0; i < all.length; i++) {
    const order = all[i]!;
    all[i] = undefined;
    each(work, order, i);
  }
  return work;
}

/** Runs the whole analysis. Deterministic: the same inputs and ledger give the same result. */
export function analyseFulfilment(inputs: AnalysisInputs): AnalysisResult {
  const { settings, stock } = inputs;
  const warnings: string[] = [...stock.warnings];
  const skuTable = new SkuTable(stock);
  const packing = new Packing(new SetExpander(inputs.sets), skuTable);

  // ---- the ledger, folded into per-order facts ----
  const removed = new Set<string>();
  const manualHold = new Map<string, string>();
  // A Set (insertion-ordered) rather than an array: a bulk release of thousands stays linear.
  const released = new Set<string>();
  const heldOnce = new Set<string>();
  const quantityEdits = new Map<string, Map<string, number>>();
  /** Tags the ledger adds to an order, before the rules run (so rules and list filters see them). */
  const ledgerTags = new Map<string, string[]>();
  for (const e of effectiveEdits(inputs.edits)) {
    const c = e.change;
    if (c.type === 'undo') continue;
    if (c.type === 'hold' || c.type === 'hold_many') {
      // A hold made before anyone chose a worker names the station it came from, not "unknown".
      const who = e.by.worker === 'unknown' ? `at station ${e.by.station}` : `by ${e.by.worker}`;
      const why = c.reason ? `held ${who}: ${c.reason}` : `held ${who}`;
      for (const order of ordersOf(c)) {
        const key = normalizeOrderNumber(order);
        heldOnce.add(key);
        manualHold.set(key, why);
        released.delete(key);
      }
      continue;
    }
    if (c.type === 'release' || c.type === 'release_many') {
      for (const order of ordersOf(c)) {
        const key = normalizeOrderNumber(order);
        manualHold.delete(key);
        // Re-inserted so the set keeps release order: a later release takes what is left after earlier ones.
        released.delete(key);
        released.add(key);
      }
      continue;
    }
    if (c.type === 'tag_many') {
      for (const order of ordersOf(c)) {
        const key = normalizeOrderNumber(order);
        const tags = ledgerTags.get(key) ?? [];
        if (!tags.includes(c.tag)) tags.push(c.tag);
        ledgerTags.set(key, tags);
      }
      continue;
    }
    const key = normalizeOrderNumber(c.order);
    if (c.type === 'remove') removed.add(key);
    else if (c.type === 'set_quantity') {
      const m = quantityEdits.get(key) ?? new Map<string, number>();
      m.set(skuKey(c.sku), c.quantity);
      quantityEdits.set(key, m);
    }
  }

  const rules = settings.rules
    .filter((r) => r.enabled)
    .map((r) => ({ rule: r, matcher: compileMatcher(r.conditions, r.match) }));
  const listDefs = settings.packing_lists.map((d) => ({
    def: d,
    matcher: compileMatcher(d.filters, d.match),
  }));

  // ---- per order: lines, courier, rules, set expansion, demand ----
  const unknownMethods = new Map<string, number>();
  // A day has a handful of distinct shipping methods: each is matched against the patterns once.
  const courierOf = new Map<string, string>();
  const work = eachOrder(inputs.orders, (work, src, input) => {
    const edits = quantityEdits.get(src.key);
    // The input's lines are shared (never changed here: a rule that adds a line copies them first);
    // only an order whose quantities the ledger changes gets lines of its own.
    const lines: AnalysedLine[] = edits ? editedLines(src, edits) : src.lines;
    let courier = courierOf.get(src.shipping_method);
    if (courier === undefined) {
      courier = courierFor(src.shipping_method, settings.couriers);
      courierOf.set(src.shipping_method, courier);
    }
    if (courier === UNKNOWN_COURIER) {
      const m = src.shipping_method === '' ? '(no shipping method)' : src.shipping_method;
      unknownMethods.set(m, (unknownMethods.get(m) ?? 0) + 1);
    }
    const a: AnalysedOrder = {
      order_number: src.order_number,
      key: src.key,
      status: 'fulfillable',
      reasons: NO_REASONS,
      short: NO_SHORT,
      courier,
      shipping_method: src.shipping_method,
      country: src.country,
      created_at: src.created_at,
      tags: withTags(src.tags, ledgerTags.get(src.key)),
      notes: src.notes,
      email: src.email,
      customer_name: src.customer_name,
      total: src.total,
      subtotal: src.subtotal,
      extra: src.extra,
      order_type: 'single',
      item_count: 0,
      repeat:
        inputs.repeats.orderKeys.has(src.key) ||
        (settings.repeat_by_email && src.email !== '' && inputs.repeats.emails.has(src.email.toLowerCase())),
      list: null,
      sequence: null,
      lines,
      pack: [],
    };
    work.orders[input] = a;
    work.createdMs[input] = src.created_ms ?? NaN;
    // Lines not as the reader makes them (an order made elsewhere) are made anew, as edited ones are.
    if (!packing.expandAndCount(work, input, lines === src.lines)) {
      a.lines = editedLines(src, undefined);
      packing.expandAndCount(work, input);
    }
    let facts: OrderFacts | null = null;
    for (const { rule, matcher } of rules) {
      if (!matcher.always && !matcher.test((facts ??= factsOf(work, input)))) continue;
      let linesChanged = false;
      for (const action of rule.actions) {
        switch (action.type) {
          case 'add_tag':
            // A new array: the input's is shared, and push() would leave room for 16 more tags.
            if (!a.tags.includes(action.tag)) a.tags = appended(a.tags, action.tag);
            break;
          case 'hold':
            if (!work.ruleHold.has(input)) work.ruleHold.set(input, `held by rule "${rule.name}"`);
            break;
          case 'add_item':
            // A new array: the input's lines are shared (see small-arrays.ts for why not push()).
            a.lines = appended(a.lines, {
              sku: action.sku,
              product_name: action.product_name ?? '',
              quantity: action.quantity,
              stock_line: isStockSku(action.sku),
              source: 'rule',
              set_sku: null,
            });
            linesChanged = true;
            break;
          case 'set_list':
            work.route.set(input, action.list);
            break;
        }
      }
      if (linesChanged) {
        packing.expandAndCount(work, input);
        facts = null;
      }
    }
  });
  rankByOrderNumber(work);

  // ---- statuses that do not depend on stock ----
  // The loops over every order index the arrays: they run once per analysis, mostly before V8 has
  // optimised them, and an unoptimised for…of makes an iterator result per element (about 40 MB of
  // garbage at 50,000 orders).
  // Order positions in arrays of their final length (see buildLists for why).
  const toAllocate = new Uint32Array(work.size);
  let waiting = 0;
  const afterRelease = new Map<string, number>();
  for (let i = 0; i < work.size; i++) {
    const a = work.orders[i]!;
    const ruleHold = work.ruleHold.get(i) ?? null;
    if (removed.has(a.key)) {
      a.status = 'removed';
      a.reasons = ['removed from the session'];
      continue;
    }
    const hold = manualHold.get(a.key) ?? (released.has(a.key) ? null : ruleHold);
    if (hold !== null) {
      a.status = 'held';
      a.reasons = [hold];
      continue;
    }
    if (work.demand[i]!.length === 0) {
      a.status = 'not_fulfillable';
      a.reasons = ['nothing to pack: no line has a SKU'];
      continue;
    }
    // A released order was held when the others were allocated; it takes what is left after them.
    if (released.has(a.key) && (ruleHold !== null || heldOnce.has(a.key))) afterRelease.set(a.key, i);
    else toAllocate[waiting++] = i;
  }
  const prioritised = inPriorityOrder(work, toAllocate.subarray(0, waiting), settings.priority);
  const allocationOrder = new Uint32Array(prioritised.length + afterRelease.size);
  allocationOrder.set(prioritised);
  let ordered = prioritised.length;
  for (const key of released) {
    const i = afterRelease.get(key);
    if (i !== undefined) allocationOrder[ordered++] = i;
  }

  // ---- allocation: all or nothing per order, in priority order ----
  // Units per SKU by its number in the SKU table: the stock file's SKUs come first, in its order.
  const skuCount = skuTable.index.size;
  const live = new Float64Array(skuCount);
  const allocated = new Float64Array(skuCount);
  const missing = new Float64Array(skuCount);
  const stockEntries = [...stock.bySku.values()];
  for (let i = 0; i < stockEntries.length; i++) live[i] = stockEntries[i]!.stock;
  const shortBySku: Record<string, number> = {};
  for (let k = 0; k < ordered; k++) {
    const i = allocationOrder[k]!;
    const a = work.orders[i]!;
    const demand = work.demand[i]!;
    let short: ShortSku[] | null = null;
    for (let j = 0; j < demand.length; j++) {
      const d = demand[j]!;
      const have = live[d.at]!;
      if (d.at >= stockEntries.length) (short ??= []).push({ sku: d.sku, need: d.need, have: null });
      else if (have < d.need) (short ??= []).push({ sku: d.sku, need: d.need, have: Math.max(have, 0) });
    }
    if (short !== null) {
      a.status = 'not_fulfillable';
      // An exact copy: the array push() grew holds room for 16 more (see small-arrays.ts).
      a.short = short.slice();
      a.reasons = short.map((s) =>
        s.have === null ? `${s.sku}: not in the stock file` : `${s.sku}: need ${s.need}, have ${s.have}`,
      );
      for (const s of short) shortBySku[s.sku] = (shortBySku[s.sku] ?? 0) + 1;
      for (const d of demand) missing[d.at] = missing[d.at]! + d.need;
      continue;
    }
    for (let j = 0; j < demand.length; j++) {
      const d = demand[j]!;
      live[d.at] = live[d.at]! - d.need;
      allocated[d.at] = allocated[d.at]! + d.need;
    }
  }
  if (unknownMethods.size > 0) {
    const total = [...unknownMethods.values()].reduce((s, n) => s + n, 0);
    const shown = [...unknownMethods.entries()]
      .sort((x, y) => y[1] - x[1])
      .slice(0, 5)
      .map(([m, n]) => `"${m}" (${n})`);
    warnings.push(
      `${total} order(s) have a shipping method that matches no courier, so their courier is ${UNKNOWN_COURIER}: ${shown.join(', ')}${unknownMethods.size > 5 ? ', …' : ''}. Add a pattern to the client's couriers if these should go with one.`,
    );
  }

  const lists = buildLists(work, listDefs, stock, warnings);
  const skus = skuSummary(work, stockEntries, { allocated, missing, live }, settings.low_stock_threshold);
  const exports = settings.stock_exports.map((def) => {
    const matcher = compileMatcher(def.filters, def.match);
    return { name: def.name, format: def.format, rows: writeOffRows(work, matcher, stockEntries, skuCount) };
  });
  return {
    orders: work.orders,
    skus,
    lists,
    exports,
    couriers: courierCounts(work.orders),
    counts: countOrders(work.orders, skus, shortBySku),
    warnings,
  };
}

/** The export's tags plus those the ledger adds; the shared array itself when the ledger adds none. */
function withTags(tags: string[], added: readonly string[] | undefined): string[] {
  const extra = added?.filter((t) => !tags.includes(t)) ?? [];
  return extra.length === 0 ? tags : [...tags, ...extra];
}

function editedLines(src: ShopifyOrder, edits: ReadonlyMap<string, number> | undefined): AnalysedLine[] {
  const lines: AnalysedLine[] = [];
  const seenEdited = new Set<string>();
  for (const l of src.lines) {
    const stockLine = isStockSku(l.sku);
    let quantity = l.quantity;
    if (stockLine) {
      const k = skuKey(l.sku);
      const q = edits?.get(k);
      if (q !== undefined) {
        // The new quantity replaces all of the order's lines of that SKU: it goes on the first one.
        quantity = seenEdited.has(k) ? 0 : q;
        seenEdited.add(k);
      }
    }
    if (quantity > 0)
      lines.push({
        sku: l.sku,
        product_name: l.product_name,
        quantity,
        stock_line: stockLine,
        source: 'export',
        set_sku: null,
      });
  }
  return lines;
}

/**
 * The packing lists: each fulfillable order goes on the list a rule routes it to, else the first
 * whose definition takes it (its courier's when there are none), in packing order. Every array
 * here is made at its final length: at 200,000 orders an array grown by push() leaves copies of
 * itself over 128 KB behind, which V8 keeps in its large-object space until a full collection:
 * ~15 MB of such copies for these lists.
 */
function buildLists(
  work: WorkTable,
  defs: ReadonlyArray<{ def: PackingListDefinition; matcher: CompiledMatcher }>,
  stock: StockTable,
  warnings: string[],
): PreparedList[] {
  const named: Array<{ name: string; def: PackingListDefinition | null; count: number }> = [];
  const indexOf = new Map<string, number>();
  const defByName = new Map(defs.map((d) => [d.def.name.toLowerCase(), d.def]));
  const listNamed = (name: string): number => {
    let at = indexOf.get(name);
    if (at === undefined) {
      at = named.length;
      named.push({ name, def: defByName.get(name.toLowerCase()) ?? null, count: 0 });
      indexOf.set(name, at);
    }
    return at;
  };
  // Definitions come first, in their order, even when empty: the shift lead expects every list.
  for (const { def } of defs) listNamed(def.name);
  let unlisted = 0;
  const courierLists = new Map<string, number>();
  /** Each order's list (its index in `named`), -1 when it is on none. */
  const listOf = new Int32Array(work.size).fill(-1);
  for (let i = 0; i < work.size; i++) {
    const a = work.orders[i]!;
    if (a.status !== 'fulfillable') continue;
    const route = work.route.get(i);
    let at: number;
    if (route !== undefined) at = listNamed(defByName.get(route.toLowerCase())?.name ?? route);
    else if (defs.length === 0) {
      let courierList = courierLists.get(a.courier);
      if (courierList === undefined)
        courierLists.set(a.courier, (courierList = listNamed(listNameFor(a.courier))));
      at = courierList;
    } else {
      let facts: OrderFacts | null = null;
      const hit = defs.find((d) => d.matcher.always || d.matcher.test((facts ??= factsOf(work, i))));
      if (hit) at = listNamed(hit.def.name);
      else {
        at = listNamed('Other');
        unlisted++;
      }
    }
    listOf[i] = at;
    named[at]!.count++;
  }
  if (unlisted > 0)
    warnings.push(
      `${unlisted} fulfillable order(s) match none of the packing-list definitions; they are on the list "Other".`,
    );
  // Packing order: by order number, so label sequence numbers follow the list. Taking the orders in
  // sortKey order (each order's own rank) puts every list in that order without sorting it.
  const byRank = new Int32Array(work.size).fill(-1);
  for (let i = 0; i < work.size; i++) if (listOf[i]! >= 0) byRank[work.sortKey[i]!] = i;
  const members = named.map((l) => ({ orders: new Uint32Array(l.count), filled: 0 }));
  for (let r = 0; r < byRank.length; r++) {
    const i = byRank[r]!;
    if (i < 0) continue;
    const m = members[listOf[i]!]!;
    m.orders[m.filled++] = i;
  }

  const lists: PreparedList[] = [];
  let emptyAfterExclusion = 0;
  const itemsOf = new ListItems();
  for (let l = 0; l < named.length; l++) {
    const { name, def } = named[l]!;
    const orders = members[l]!.orders;
    const excluded = new Set((def?.exclude_skus ?? []).map(normalizeCode));
    let itemsAtMost = 0;
    for (const i of orders) itemsAtMost += work.demand[i]!.length;
    const listed = new Array<AnalysedOrder>(orders.length);
    const items = new Array<PackingListItem>(itemsAtMost);
    const itemStart = new Uint32Array(orders.length + 1);
    let listedCount = 0;
    let itemCount = 0;
    let units = 0;
    for (const i of orders) {
      // An order's demand is its pack merged per SKU key, in first-seen order: the list's items.
      const start = itemCount;
      for (const d of work.demand[i]!) {
        if (excluded.size > 0 && excluded.has(d.key)) continue;
        items[itemCount++] = itemsOf.item(
          d.sku,
          stock.bySku.get(d.key)?.product_name || d.name || d.sku,
          d.need,
        );
        units += d.need;
      }
      if (itemCount === start) {
        emptyAfterExclusion++;
        continue;
      }
      const a = work.orders[i]!;
      listed[listedCount++] = a;
      itemStart[listedCount] = itemCount;
      a.list = name;
      a.sequence = listedCount;
    }
    // Shorter only when a definition leaves SKUs off (an order with nothing else is on no list).
    listed.length = listedCount;
    items.length = itemCount;
    lists.push({
      name,
      orders: listed,
      items,
      item_start: itemStart.subarray(0, listedCount + 1),
      orders_total: listedCount,
      items_total: units,
    });
  }
  if (emptyAfterExclusion > 0)
    warnings.push(
      `${emptyAfterExclusion} fulfillable order(s) have only excluded SKUs, so no list has anything to pack for them.`,
    );
  return lists;
}

/** Units per SKU number (see SkuTable) after allocation. */
interface Allocation {
  allocated: Float64Array;
  missing: Float64Array;
  live: Float64Array;
}

function skuSummary(
  work: WorkTable,
  stockEntries: readonly StockEntry[],
  units: Allocation,
  threshold: number,
): SkuSummary[] {
  // The stock file's SKUs, then those only orders have, in the order the orders first need them.
  const demanded: Array<Demand | undefined> = new Array<Demand | undefined>(units.live.length);
  const notInStock: Demand[] = [];
  for (let i = 0; i < work.size; i++) {
    const demand = work.demand[i]!;
    for (let j = 0; j < demand.length; j++) {
      const d = demand[j]!;
      if (demanded[d.at] === undefined) {
        demanded[d.at] = d;
        if (d.at >= stockEntries.length) notInStock.push(d);
      }
    }
  }
  const out: SkuSummary[] = [];
  const add = (at: number, entry: StockEntry | undefined) => {
    const first = demanded[at];
    const after = units.live[at]!;
    out.push({
      sku: entry?.sku ?? first!.sku,
      product_name: entry?.product_name || first?.name || '',
      in_stock_file: entry !== undefined,
      stock_before: entry?.stock ?? 0,
      allocated: units.allocated[at]!,
      missing: units.missing[at]!,
      stock_after: after,
      low: first !== undefined && after < threshold,
    });
  };
  for (let at = 0; at < stockEntries.length; at++) add(at, stockEntries[at]);
  for (const d of notInStock) add(d.at, undefined);
  return out;
}

function writeOffRows(
  work: WorkTable,
  matcher: CompiledMatcher,
  stockEntries: readonly StockEntry[],
  skuCount: number,
): StockExportRow[] {
  // Rows by SKU number, and in the order first met (the sort below is stable).
  const byAt = new Array<StockExportRow | undefined>(skuCount);
  const rows: StockExportRow[] = [];
  for (let i = 0; i < work.size; i++) {
    if (work.orders[i]!.status !== 'fulfillable' || (!matcher.always && !matcher.test(factsOf(work, i))))
      continue;
    const demand = work.demand[i]!;
    for (let j = 0; j < demand.length; j++) {
      const d = demand[j]!;
      const row = byAt[d.at];
      if (row) row.quantity += d.need;
      else {
        const entry = stockEntries[d.at];
        const made = { sku: entry?.sku ?? d.sku, product_name: entry?.product_name ?? '', quantity: d.need };
        byAt[d.at] = made;
        rows.push(made);
      }
    }
  }
  return rows.sort((x, y) => (x.sku < y.sku ? -1 : x.sku > y.sku ? 1 : 0));
}

function courierCounts(orders: readonly AnalysedOrder[]): CourierCount[] {
  const by = new Map<string, CourierCount>();
  for (let i = 0; i < orders.length; i++) {
    const a = orders[i]!;
    if (a.status === 'removed') continue;
    const c = by.get(a.courier) ?? {
      courier: a.courier,
      orders: 0,
      fulfillable: 0,
      items: 0,
      repeats: 0,
    };
    c.orders++;
    if (a.status === 'fulfillable') {
      c.fulfillable++;
      c.items += a.item_count;
    }
    if (a.repeat) c.repeats++;
    by.set(a.courier, c);
  }
  return [...by.values()].sort((x, y) => y.orders - x.orders || (x.courier < y.courier ? -1 : 1));
}

function countOrders(
  orders: readonly AnalysedOrder[],
  skus: readonly SkuSummary[],
  shortBySku: Record<string, number>,
): AnalysisCounts {
  const counts: AnalysisCounts = {
    orders_total: 0,
    fulfillable: 0,
    not_fulfillable: 0,
    held: 0,
    removed: 0,
    lines_total: 0,
    items_to_ship: 0,
    repeats: 0,
    low_stock_skus: skus.filter((s) => s.low).length,
    unknown_courier_orders: 0,
    short_by_sku: shortBySku,
  };
  for (let i = 0; i < orders.length; i++) {
    const a = orders[i]!;
    if (a.status === 'removed') {
      counts.removed++;
      continue;
    }
    counts.orders_total++;
    counts.lines_total += a.lines.length;
    if (a.status === 'fulfillable') {
      counts.fulfillable++;
      counts.items_to_ship += a.item_count;
    } else if (a.status === 'held') counts.held++;
    else counts.not_fulfillable++;
    if (a.repeat) counts.repeats++;
    if (a.courier === UNKNOWN_COURIER) counts.unknown_courier_orders++;
  }
  return counts;
}
