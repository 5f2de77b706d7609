// The overview of one packing list for a shift lead or a packer: every order with its state, its
// lines and who packed them when, searchable by order number, SKU or product name, a page at a time
// (a 50,000-order list is never sent whole); and one order's scan history from the journal.
// Pure: built from the scan state and from journal records the caller read.
import { z } from 'zod';
import { normalizeCode, normalizeOrderNumber } from './normalize.js';
import type { IndexedOrder, PackingListIndex } from './packing-list.js';
import { ScanEventBodySchema, type ScanEvent } from './scan-events.js';
import type { OrderWork, ScanState } from './scan-state.js';

/** What the history needs of a journal record (journal-record.ts; not imported: the web reads this file). */
export interface JournalRecordLike {
  seq: number;
  id: string;
  at: string;
  station: string;
  worker: string;
  event: unknown;
}

/** What the overview calls an order: `done_manual` has units confirmed by hand, `forced` was force-completed. */
export const ORDER_STATES = ['to_do', 'open', 'paused', 'skipped', 'done', 'done_manual', 'forced'] as const;
export type OrderState = (typeof ORDER_STATES)[number];

export const ORDER_STATE_LABELS: Record<OrderState, string> = {
  to_do: 'To do',
  open: 'Open',
  paused: 'Started, paused',
  skipped: 'Skipped',
  done: 'Done',
  done_manual: 'Done, confirmed by hand',
  forced: 'Forced',
};

const OrderStateSchema = z.enum(ORDER_STATES);

export const OverviewLineSchema = z.object({
  sku: z.string(),
  product_name: z.string(),
  packed: z.number().int().nonnegative(),
  required: z.number().int().positive(),
});

export const OverviewOrderSchema = z.object({
  number: z.string(),
  /** 1-based position in the list. */
  position: z.number().int().positive(),
  courier: z.string(),
  state: OrderStateSchema,
  packed: z.number().int().nonnegative(),
  required: z.number().int().nonnegative(),
  lines: z.array(OverviewLineSchema),
  /** Everyone who scanned or confirmed in this order, in the order they first did. */
  workers: z.array(z.string()),
  opened_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  completed_by: z.string().nullable(),
  skips: z.number().int().nonnegative(),
  reopenings: z.number().int().nonnegative(),
});
export type OverviewOrder = z.infer<typeof OverviewOrderSchema>;

export const OverviewQuerySchema = z.object({
  /** Order number, SKU or product name (part of it); empty: every order. */
  q: z.string().trim().max(100).default(''),
  state: z.enum(['all', 'left', ...ORDER_STATES]).default('all'),
  offset: z.coerce.number().int().nonnegative().max(10_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type OverviewQuery = z.infer<typeof OverviewQuerySchema>;

/** `GET /api/clients/:client/sessions/:session/lists/:list/orders` */
export const ListOverviewSchema = z.object({
  client: z.string(),
  session: z.string(),
  list: z.string(),
  /** `station`: the live state of the station in this server that holds the list; `journal`: read from the share. */
  source: z.enum(['station', 'journal']),
  ended_at: z.string().nullable(),
  /** The open order, if any. */
  current: z.string().nullable(),
  counts: z.record(OrderStateSchema, z.number().int().nonnegative()),
  total: z.number().int().nonnegative(),
  /** Orders that match the search and state filter; `orders` is the page of them from `offset`. */
  matched: z.number().int().nonnegative(),
  query: OverviewQuerySchema,
  orders: z.array(OverviewOrderSchema),
});
export type ListOverview = z.infer<typeof ListOverviewSchema>;

export const HistoryEntrySchema = z.object({
  seq: z.number().int().positive(),
  at: z.string(),
  station: z.string(),
  worker: z.string(),
  type: z.string(),
  /** What happened, in words. */
  what: z.string(),
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

export const LinePackSchema = z.object({
  worker: z.string(),
  station: z.string(),
  at: z.string(),
  count: z.number().int().positive(),
  manual: z.boolean(),
});

/** `GET /api/clients/:client/sessions/:session/lists/:list/orders/:order` */
export const OrderHistorySchema = z.object({
  client: z.string(),
  session: z.string(),
  list: z.string(),
  order: OverviewOrderSchema,
  metadata: z.array(z.object({ label: z.string(), value: z.string() })),
  /** Per line: the units that count now, who packed each and when (taken-back units are left out). */
  packed_by: z.array(z.object({ sku: z.string(), packs: z.array(LinePackSchema) })),
  history: z.array(HistoryEntrySchema),
});
export type OrderHistory = z.infer<typeof OrderHistorySchema>;

export function orderState(work: OrderWork | undefined, current: string | null): OrderState {
  if (!work) return 'to_do';
  if (work.status === 'completed') return work.forced ? 'forced' : work.manual ? 'done_manual' : 'done';
  if (work.key === current || work.status === 'open') return 'open';
  if (work.status === 'skipped') return 'skipped';
  return work.opened_at ? 'paused' : 'to_do';
}

function overviewOrder(state: ScanState, order: IndexedOrder): OverviewOrder {
  const work = state.orders.get(order.key);
  const lines = [...order.skus.values()].map((s) => ({
    sku: s.sku,
    product_name: s.product_name,
    packed: work?.packed.get(s.key) ?? 0,
    required: s.required,
  }));
  return {
    number: order.order.order_number,
    position: order.position + 1,
    courier: order.order.courier,
    state: orderState(work, state.current),
    packed: work?.packed_items ?? 0,
    required: order.requiredItems,
    lines,
    workers: work ? [...work.workers] : [],
    opened_at: work?.opened_at ?? null,
    completed_at: work?.completed_at ?? null,
    completed_by: work?.completed_by ?? null,
    skips: work?.skips ?? 0,
    reopenings: work?.reopenings.length ?? 0,
  };
}

/** A search matches an order by its number, or one of its lines by SKU or product name. */
function matcher(q: string): ((order: IndexedOrder) => boolean) | null {
  if (q === '') return null;
  const orderKey = normalizeOrderNumber(q);
  const codeKey = normalizeCode(q);
  const words = q.toLowerCase();
  return (order) => {
    if (orderKey !== '' && order.key.includes(orderKey)) return true;
    for (const s of order.skus.values()) {
      if (codeKey !== '' && s.key.includes(codeKey)) return true;
      if (s.product_name.toLowerCase().includes(words)) return true;
    }
    return false;
  };
}

/**
 * One page of the list's orders in list order, with counts per state over the whole list. One pass
 * over the orders with a few map lookups each; only the page's orders are shaped for the answer.
 */
export function listOverview(
  state: ScanState,
  ids: { client: string; session: string; list: string },
  query: OverviewQuery,
  source: ListOverview['source'],
): ListOverview {
  const counts = Object.fromEntries(ORDER_STATES.map((s) => [s, 0])) as Record<OrderState, number>;
  const matches = matcher(query.q);
  const page: OverviewOrder[] = [];
  let matched = 0;
  for (const order of state.index.orders) {
    const orderStateNow = orderState(state.orders.get(order.key), state.current);
    counts[orderStateNow]++;
    if (query.state === 'left') {
      if (orderStateNow === 'done' || orderStateNow === 'done_manual' || orderStateNow === 'forced') continue;
    } else if (query.state !== 'all' && query.state !== orderStateNow) continue;
    if (matches && !matches(order)) continue;
    if (matched >= query.offset && page.length < query.limit) page.push(overviewOrder(state, order));
    matched++;
  }
  return {
    ...ids,
    source,
    ended_at: state.ended_at,
    current: state.current ? (state.index.byKey.get(state.current)?.order.order_number ?? null) : null,
    counts,
    total: state.index.totalOrders,
    matched,
    query,
    orders: page,
  };
}

/** The order a typed or scanned number means, or null. */
export function findOrder(index: PackingListIndex, text: string): IndexedOrder | null {
  return index.byKey.get(normalizeOrderNumber(text)) ?? null;
}

/** The text a journal line must contain to be about `orderKey` (a cheap test before decoding it). */
export function orderNeedle(orderKey: string): string {
  return `:${JSON.stringify(orderKey)}`;
}

/** Whether a journal record is about the order (its own events, or another order replacing it). */
export function recordConcerns(record: JournalRecordLike, orderKey: string): boolean {
  const data = (record.event as { data?: Record<string, unknown> } | null)?.data;
  return data?.order === orderKey || data?.switched_from === orderKey;
}

function skuName(order: IndexedOrder, skuKey: string): string {
  return order.skus.get(skuKey)?.sku ?? skuKey;
}

function eventText(order: IndexedOrder, event: ScanEvent): string {
  const own = 'order' in event.data && event.data.order === order.key;
  switch (event.type) {
    case 'order_opened':
      return own ? 'opened' : `paused: order ${event.data.order} was opened instead`;
    case 'item_scanned':
      return `scanned ${skuName(order, event.data.sku)}${
        normalizeCode(event.data.code) === event.data.sku ? '' : ` (barcode ${event.data.code})`
      }`;
    case 'item_confirmed':
      return `confirmed ${event.data.count} × ${skuName(order, event.data.sku)} by hand${
        event.data.reason ? ` (${event.data.reason})` : ''
      }`;
    case 'scan_undone':
      return `undid ${event.data.count} × ${skuName(order, event.data.sku)}`;
    case 'overscan_refused':
      return `too many ${skuName(order, event.data.sku)}: refused`;
    case 'wrong_item':
      return `wrong item ${event.data.sku} (barcode ${event.data.code}): refused`;
    case 'unknown_barcode':
      return `unknown barcode ${event.data.code}: refused`;
    case 'order_force_completed':
      return `force-completed, missing ${
        Object.entries(event.data.missing)
          .map(([sku, n]) => `${n} × ${skuName(order, sku)}`)
          .join(', ') || 'nothing'
      }`;
    case 'order_skipped':
      return 'skipped';
    case 'order_reopened':
      return own
        ? 'reopened (scanned again from zero)'
        : `paused: order ${event.data.order} was reopened instead`;
    case 'list_ended':
      return 'paused: the list was ended';
    case 'list_reopened':
      return 'list reopened';
    case 'barcode_mapped':
      return `mapped the unknown barcode ${event.data.code} to ${skuName(order, event.data.sku)}`;
  }
}

function entryMeta(record: JournalRecordLike) {
  return { seq: record.seq, at: record.at, station: record.station, worker: record.worker };
}

/**
 * The order's history in journal order, and who packed the units that count now: a unit taken back
 * by undo, or every unit before a reopening, no longer counts.
 */
export function orderHistory(
  state: ScanState,
  order: IndexedOrder,
  records: JournalRecordLike[],
  ids: { client: string; session: string; list: string },
  metadata: Array<{ label: string; value: string }>,
): OrderHistory {
  const packs = new Map<string, z.infer<typeof LinePackSchema>[]>();
  const history: HistoryEntry[] = [];
  for (const record of records) {
    if (!recordConcerns(record, order.key)) continue;
    const parsed = ScanEventBodySchema.safeParse(record.event);
    // A record this version cannot read is shown as what it is, not left out of the history.
    if (!parsed.success) {
      history.push({ ...entryMeta(record), type: 'unreadable', what: 'a record this packdesk cannot read' });
      continue;
    }
    const event: ScanEvent = {
      id: record.id,
      at: record.at,
      station: record.station,
      worker: record.worker,
      ...parsed.data,
    };
    history.push({
      ...entryMeta(record),
      type: event.type,
      what: eventText(order, event),
    });
    const who = { worker: record.worker, station: record.station, at: record.at };
    if (event.type === 'item_scanned' || event.type === 'item_confirmed') {
      const count = event.type === 'item_confirmed' ? event.data.count : 1;
      const list = packs.get(event.data.sku) ?? [];
      list.push({ ...who, count, manual: event.type === 'item_confirmed' });
      packs.set(event.data.sku, list);
    } else if (event.type === 'scan_undone') {
      let left = event.data.count;
      const list = packs.get(event.data.sku) ?? [];
      while (left > 0 && list.length > 0) {
        const last = list[list.length - 1]!;
        const taken = Math.min(left, last.count);
        last.count -= taken;
        left -= taken;
        if (last.count === 0) list.pop();
      }
    } else if (event.type === 'order_reopened' && event.data.order === order.key) packs.clear();
  }
  return {
    ...ids,
    order: overviewOrder(state, order),
    metadata,
    packed_by: [...order.skus.values()].map((s) => ({ sku: s.sku, packs: packs.get(s.key) ?? [] })),
    history,
  };
}
