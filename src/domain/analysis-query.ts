// The orders table of a prepared session, asked page by page: filter, sort and free-text search over
// the analysed orders. The index is built once per analysis revision (search text, sort orders) and
// kept in memory, so a keystroke in the search box costs one pass over prepared strings, never a
// re-read or re-parse of the analysis (the Python tool re-filtered a DataFrame per keystroke and froze).
import { z } from 'zod';
import { AnalysedOrderSchema, AnalysisFileV1Schema, type AnalysisFile } from './analysis-file.js';
import { normalizeCode, normalizeOrderNumber } from './normalize.js';
import { compileMatcher, ConditionSchema, type OrderFacts } from './order-conditions.js';

export const ORDER_STATUSES = ['fulfillable', 'not_fulfillable', 'held', 'removed'] as const;
export const ORDER_SORTS = [
  'order',
  'lines',
  'items',
  'courier',
  'country',
  'list',
  'status',
  'tags',
  'repeat',
  'created_at',
] as const;
/** The list filter's value for orders on no list (not fulfillable, held, removed). */
export const NO_LIST = '';

const Values = z.array(z.string().max(200)).max(200).default([]);

export const AnalysisQuerySchema = z.strictObject({
  /** Order number, SKU, product name, shipping method, notes or an extra column; every word must be found. */
  q: z.string().max(200).default(''),
  status: z.array(z.enum(ORDER_STATUSES)).max(4).default([]),
  courier: Values,
  country: Values,
  list: Values,
  /** Orders carrying any of these tags. */
  tag: Values,
  repeat: z.enum(['any', 'yes', 'no']).default('any'),
  sort: z.enum(ORDER_SORTS).default('order'),
  dir: z.enum(['asc', 'desc']).default('asc'),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(100),
});
export type AnalysisQuery = z.infer<typeof AnalysisQuerySchema>;
/** The filter part of a query: what a bulk edit "on the filter" is applied to. */
export const AnalysisFilterSchema = AnalysisQuerySchema.omit({
  offset: true,
  limit: true,
  sort: true,
  dir: true,
});
export type AnalysisFilter = z.infer<typeof AnalysisFilterSchema>;

/** Conditions to try on the analysis before they are saved (a rule, a list or an export definition). */
export const ConditionPreviewSchema = z.strictObject({
  match: z.enum(['all', 'any']).default('all'),
  conditions: z.array(ConditionSchema).max(50).default([]),
});
export type ConditionPreview = z.infer<typeof ConditionPreviewSchema>;

export const ConditionPreviewAnswerSchema = z.object({
  revision: z.number().int(),
  /** Orders the conditions match, of `of`. */
  orders: z.number().int().nonnegative(),
  of: z.number().int().nonnegative(),
  /** The first matching order numbers. */
  sample: z.array(z.string()),
});
export type ConditionPreviewAnswer = z.infer<typeof ConditionPreviewAnswerSchema>;

/** The subset of analysis.json the orders table and summary need. */
export type AnalysisDoc = Pick<
  AnalysisFile,
  'counts' | 'couriers' | 'lists' | 'skus' | 'orders' | 'warnings' | 'inputs' | 'exports'
>;
type Order = AnalysisFile['orders'][number];

export const OrderRowSchema = z.object({
  order_number: z.string(),
  key: z.string(),
  status: AnalysedOrderSchema.shape.status,
  reasons: z.array(z.string()),
  courier: z.string(),
  country: z.string(),
  list: z.string().nullable(),
  sequence: z.number().int().nullable(),
  tags: z.array(z.string()),
  repeat: z.boolean(),
  /** Lines to pack (stock lines after set expansion). */
  lines: z.number().int().nonnegative(),
  items: z.number().nonnegative(),
  created_at: z.string(),
});
export type OrderRow = z.infer<typeof OrderRowSchema>;

export const OrdersPageSchema = z.object({
  revision: z.number().int(),
  /** Orders matching the filter. */
  total: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  rows: z.array(OrderRowSchema),
});
export type OrdersPage = z.infer<typeof OrdersPageSchema>;

const FacetSchema = z.object({ value: z.string(), orders: z.number().int().nonnegative() });
export type Facet = z.infer<typeof FacetSchema>;

const doc = AnalysisFileV1Schema.shape;
export const AnalysisSummarySchema = z.object({
  revision: z.number().int(),
  counts: doc.counts,
  couriers: doc.couriers,
  lists: doc.lists,
  exports: doc.exports,
  inputs: doc.inputs,
  warnings: z.array(z.string()),
  /** SKUs that stop the most orders, most first. */
  top_short: z.array(z.object({ sku: z.string(), orders: z.number().int() })),
  low_stock: z.array(z.object({ sku: z.string(), product_name: z.string(), stock_after: z.number() })),
  facets: z.object({
    courier: z.array(FacetSchema),
    country: z.array(FacetSchema),
    list: z.array(FacetSchema),
    tag: z.array(FacetSchema),
  }),
});
export type AnalysisSummary = z.infer<typeof AnalysisSummarySchema>;

export const OrderDetailSchema = z.object({
  revision: z.number().int(),
  order: AnalysedOrderSchema,
  /** Stock of each SKU the order packs, before and after the session. */
  stock: z.array(
    z.object({
      sku: z.string(),
      in_stock_file: z.boolean(),
      stock_before: z.number(),
      stock_after: z.number(),
      low: z.boolean(),
    }),
  ),
});
export type OrderDetail = z.infer<typeof OrderDetailSchema>;

const STATUS_RANK: Record<Order['status'], number> = {
  not_fulfillable: 0,
  held: 1,
  fulfillable: 2,
  removed: 3,
};

function facet(values: Iterable<string>): Facet[] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .map(([value, orders]) => ({ value, orders }))
    .sort((a, b) => b.orders - a.orders || (a.value < b.value ? -1 : 1));
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

export class AnalysisIndex {
  private readonly search: string[];
  private readonly byKey = new Map<string, number>();
  private readonly sorted = new Map<string, Int32Array>();
  private lastFilter: { key: string; matches: Int32Array } | null = null;

  constructor(
    readonly doc: AnalysisDoc,
    readonly revision: number,
  ) {
    this.search = doc.orders.map((o) => {
      const parts = [
        o.order_number,
        o.key,
        o.shipping_method,
        o.notes,
        o.email,
        o.customer_name,
        ...Object.values(o.extra),
      ];
      for (const l of o.lines) parts.push(l.sku, l.product_name);
      return parts.join('\u0001').toLowerCase();
    });
    doc.orders.forEach((o, i) => this.byKey.set(o.key, i));
  }

  get size(): number {
    return this.doc.orders.length;
  }

  summary(): AnalysisSummary {
    const orders = this.doc.orders;
    return {
      revision: this.revision,
      counts: this.doc.counts,
      couriers: this.doc.couriers,
      lists: this.doc.lists,
      exports: this.doc.exports,
      inputs: this.doc.inputs,
      warnings: this.doc.warnings,
      top_short: Object.entries(this.doc.counts.short_by_sku)
        .map(([sku, n]) => ({ sku, orders: n }))
        .sort((a, b) => b.orders - a.orders || (a.sku < b.sku ? -1 : 1))
        .slice(0, 15),
      low_stock: this.doc.skus
        .filter((s) => s.low)
        .sort((a, b) => a.stock_after - b.stock_after)
        .slice(0, 100)
        .map((s) => ({ sku: s.sku, product_name: s.product_name, stock_after: s.stock_after })),
      facets: {
        courier: facet(orders.map((o) => o.courier)),
        country: facet(orders.map((o) => o.country)),
        list: facet(orders.map((o) => o.list ?? NO_LIST)),
        tag: facet(orders.flatMap((o) => o.tags)),
      },
    };
  }

  /** The positions of the orders matching the filter, in the asked sort order. */
  matches(query: AnalysisFilter & Pick<AnalysisQuery, 'sort' | 'dir'>): Int32Array {
    const key = JSON.stringify([
      query.q,
      query.status,
      query.courier,
      query.country,
      query.list,
      query.tag,
      query.repeat,
      query.sort,
      query.dir,
    ]);
    if (this.lastFilter?.key === key) return this.lastFilter.matches;
    const order = this.sortOrder(query.sort, query.dir);
    const test = this.predicate(query);
    const out = new Int32Array(order.length);
    let n = 0;
    for (let k = 0; k < order.length; k++) {
      const i = order[k]!;
      if (test(i)) out[n++] = i;
    }
    const matches = out.slice(0, n);
    this.lastFilter = { key, matches };
    return matches;
  }

  page(query: AnalysisQuery): OrdersPage {
    const matches = this.matches(query);
    const rows: OrderRow[] = [];
    const end = Math.min(matches.length, query.offset + query.limit);
    for (let k = query.offset; k < end; k++) rows.push(rowOf(this.doc.orders[matches[k]!]!));
    return { revision: this.revision, total: matches.length, offset: query.offset, rows };
  }

  /** Order numbers matching a filter (a bulk edit on the filter). */
  orderNumbers(filter: AnalysisFilter): string[] {
    return [...this.matches({ ...filter, sort: 'order', dir: 'asc' })].map(
      (i) => this.doc.orders[i]!.order_number,
    );
  }

  detail(orderNumber: string): OrderDetail | null {
    const i = this.byKey.get(normalizeOrderNumber(orderNumber));
    if (i === undefined) return null;
    const order = this.doc.orders[i]!;
    const wanted = new Set(order.pack.map((l) => normalizeCode(l.sku)));
    const stock = this.doc.skus
      .filter((s) => wanted.has(normalizeCode(s.sku)))
      .map((s) => ({
        sku: s.sku,
        in_stock_file: s.in_stock_file,
        stock_before: s.stock_before,
        stock_after: s.stock_after,
        low: s.low,
      }));
    return { revision: this.revision, order, stock };
  }

  /**
   * Which orders of this analysis the conditions match. The orders are read as analysed (rule-added
   * lines and tags included; the customer e-mail only where analysis.json keeps it), so this is a
   * preview of what a rule or definition would touch, not a re-run.
   */
  preview(p: ConditionPreview): ConditionPreviewAnswer {
    const matcher = compileMatcher(p.conditions, p.match);
    const sample: string[] = [];
    let n = 0;
    for (const o of this.doc.orders) {
      if (o.status === 'removed' || !matcher.test(factsOf(o))) continue;
      n++;
      if (sample.length < 20) sample.push(o.order_number);
    }
    const of = this.doc.orders.filter((o) => o.status !== 'removed').length;
    return { revision: this.revision, orders: n, of, sample };
  }

  private predicate(f: AnalysisFilter): (i: number) => boolean {
    const orders = this.doc.orders;
    const words = f.q.toLowerCase().split(/\s+/).filter(Boolean);
    const status = f.status.length > 0 ? new Set<string>(f.status) : null;
    const courier = f.courier.length > 0 ? new Set(f.courier) : null;
    const country = f.country.length > 0 ? new Set(f.country) : null;
    const list = f.list.length > 0 ? new Set(f.list) : null;
    const tag = f.tag.length > 0 ? new Set(f.tag) : null;
    const repeat = f.repeat === 'any' ? null : f.repeat === 'yes';
    return (i) => {
      const o = orders[i]!;
      if (status && !status.has(o.status)) return false;
      if (courier && !courier.has(o.courier)) return false;
      if (country && !country.has(o.country)) return false;
      if (list && !list.has(o.list ?? NO_LIST)) return false;
      if (tag && !o.tags.some((t) => tag.has(t))) return false;
      if (repeat !== null && o.repeat !== repeat) return false;
      if (words.length > 0) {
        const text = this.search[i]!;
        for (const w of words) if (!text.includes(w)) return false;
      }
      return true;
    };
  }

  private sortOrder(sort: AnalysisQuery['sort'], dir: AnalysisQuery['dir']): Int32Array {
    const key = `${sort}:${dir}`;
    const known = this.sorted.get(key);
    if (known) return known;
    let order: Int32Array;
    if (dir === 'desc') {
      order = this.sortOrder(sort, 'asc').slice().reverse();
    } else {
      const orders = this.doc.orders;
      const cmp = comparator(sort);
      const idx = Array.from(orders.keys());
      // Ties keep the analysis order (priority order), so a sort never shuffles equal rows.
      idx.sort((a, b) => cmp(orders[a]!, orders[b]!) || a - b);
      order = Int32Array.from(idx);
    }
    this.sorted.set(key, order);
    return order;
  }
}

function comparator(sort: AnalysisQuery['sort']): (a: Order, b: Order) => number {
  const text = (f: (o: Order) => string) => (a: Order, b: Order) => collator.compare(f(a), f(b));
  switch (sort) {
    case 'order':
      return text((o) => o.order_number);
    case 'lines':
      return (a, b) => a.pack.length - b.pack.length;
    case 'items':
      return (a, b) => a.item_count - b.item_count;
    case 'courier':
      return text((o) => o.courier);
    case 'country':
      return text((o) => o.country);
    case 'list':
      return text((o) => o.list ?? '');
    case 'status':
      return (a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status];
    case 'tags':
      return text((o) => o.tags.join(', '));
    case 'repeat':
      return (a, b) => Number(b.repeat) - Number(a.repeat);
    case 'created_at':
      return (a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0);
  }
}

function factsOf(o: Order): OrderFacts {
  const skus: string[] = [];
  const names: string[] = [];
  for (const l of [...o.pack, ...o.lines]) {
    if (l.stock_line && l.set_sku === null && !skus.includes(l.sku)) skus.push(l.sku);
    if (l.product_name && !names.includes(l.product_name)) names.push(l.product_name);
  }
  for (const l of o.pack) if (!skus.includes(l.sku)) skus.push(l.sku);
  return {
    order_number: o.order_number,
    courier: o.courier,
    shipping_method: o.shipping_method,
    country: o.country,
    tags: o.tags,
    notes: o.notes,
    email: o.email,
    created_at: o.created_at,
    total: o.total,
    subtotal: o.subtotal,
    order_type: o.order_type,
    item_count: o.item_count,
    line_count: o.lines.filter((l) => l.stock_line).length,
    skus,
    product_names: names,
    extra: o.extra,
  };
}

function rowOf(o: Order): OrderRow {
  return {
    order_number: o.order_number,
    key: o.key,
    status: o.status,
    reasons: o.reasons,
    courier: o.courier,
    country: o.country,
    list: o.list,
    sequence: o.sequence,
    tags: o.tags,
    repeat: o.repeat,
    lines: o.pack.length,
    items: o.item_count,
    created_at: o.created_at,
  };
}
