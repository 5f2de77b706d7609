// The working state of one packing list at a station: per-order work (so skipping and resuming never
// mixes orders) plus counters. Only orders someone touched have an entry, so the state grows with the
// work done, and nothing is ever copied per event. It round-trips through a JSON snapshot; recovery
// is a snapshot plus the journal events after it (see scan-engine.ts).
import { z } from 'zod';
import { CorruptFileError } from './errors.js';
import type { PackingListIndex } from './packing-list.js';

export type OrderStatus = 'open' | 'paused' | 'skipped' | 'completed';

/** One packing action that undo can take back. */
export interface PackEntry {
  sku: string;
  count: number;
  manual: boolean;
  event: string;
}

export interface Reopening {
  at: string;
  worker: string;
  station: string;
  /** When it had been completed before this reopening. */
  previous_completed_at: string | null;
}

export interface OrderWork {
  key: string;
  status: OrderStatus;
  /** SKU key → units packed. */
  packed: Map<string, number>;
  packed_items: number;
  /** Undo stack of this order only. */
  stack: PackEntry[];
  opened_at: string | null;
  first_scan_at: string | null;
  completed_at: string | null;
  completed_by: string | null;
  forced: boolean;
  /** Completed with at least one unit confirmed by hand (not forced). */
  manual: boolean;
  /** Time the order was open, summed over every time it was open (paused/skipped time excluded). */
  active_ms: number;
  /** Set while the order is open: when this stretch began. */
  open_since: string | null;
  scans: number;
  manual_confirms: number;
  corrections: number;
  overscans: number;
  wrong_items: number;
  unknowns: number;
  /** Last few rejected codes (wrong or unknown), for the screen; the journal has them all. */
  rejected_codes: string[];
  skips: number;
  workers: string[];
  reopenings: Reopening[];
}

export const REJECTED_CODES_KEPT = 20;

export interface ScanState {
  index: PackingListIndex;
  /** Key of the open order, if any. */
  current: string | null;
  orders: Map<string, OrderWork>;
  completed_orders: number;
  /** Units packed over all orders (completed or not). */
  packed_items: number;
  events_applied: number;
  last_event_id: string | null;
  last_event_at: string | null;
  ended_at: string | null;
}

export function createScanState(index: PackingListIndex): ScanState {
  return {
    index,
    current: null,
    orders: new Map(),
    completed_orders: 0,
    packed_items: 0,
    events_applied: 0,
    last_event_id: null,
    last_event_at: null,
    ended_at: null,
  };
}

export function newOrderWork(key: string): OrderWork {
  return {
    key,
    status: 'paused',
    packed: new Map(),
    packed_items: 0,
    stack: [],
    opened_at: null,
    first_scan_at: null,
    completed_at: null,
    completed_by: null,
    forced: false,
    manual: false,
    active_ms: 0,
    open_since: null,
    scans: 0,
    manual_confirms: 0,
    corrections: 0,
    overscans: 0,
    wrong_items: 0,
    unknowns: 0,
    rejected_codes: [],
    skips: 0,
    workers: [],
    reopenings: [],
  };
}

// ---- snapshot (packing_state.json body) ----

const PackEntrySchema = z.object({
  sku: z.string(),
  count: z.number().int().positive(),
  manual: z.boolean(),
  event: z.string(),
});

const OrderWorkSnapshotSchema = z.object({
  key: z.string(),
  status: z.enum(['open', 'paused', 'skipped', 'completed']),
  packed: z.record(z.string(), z.number().int().nonnegative()),
  packed_items: z.number().int().nonnegative(),
  stack: z.array(PackEntrySchema),
  opened_at: z.string().nullable(),
  first_scan_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  completed_by: z.string().nullable(),
  forced: z.boolean(),
  // Snapshots written before manual completions were told apart have none.
  manual: z.boolean().default(false),
  active_ms: z.number().nonnegative(),
  open_since: z.string().nullable(),
  scans: z.number().int().nonnegative(),
  manual_confirms: z.number().int().nonnegative(),
  corrections: z.number().int().nonnegative(),
  overscans: z.number().int().nonnegative(),
  wrong_items: z.number().int().nonnegative(),
  unknowns: z.number().int().nonnegative(),
  rejected_codes: z.array(z.string()),
  skips: z.number().int().nonnegative(),
  workers: z.array(z.string()),
  reopenings: z.array(
    z.object({
      at: z.string(),
      worker: z.string(),
      station: z.string(),
      previous_completed_at: z.string().nullable(),
    }),
  ),
});

export const SCAN_SNAPSHOT_VERSION = 1;

export const ScanSnapshotSchema = z.object({
  snapshot_version: z.literal(SCAN_SNAPSHOT_VERSION),
  list_name: z.string(),
  total_orders: z.number().int().nonnegative(),
  total_items: z.number().int().nonnegative(),
  current: z.string().nullable(),
  completed_orders: z.number().int().nonnegative(),
  packed_items: z.number().int().nonnegative(),
  events_applied: z.number().int().nonnegative(),
  last_event_id: z.string().nullable(),
  last_event_at: z.string().nullable(),
  ended_at: z.string().nullable(),
  orders: z.array(OrderWorkSnapshotSchema),
});

export type ScanSnapshot = z.infer<typeof ScanSnapshotSchema>;

/** A plain-JSON copy of the state (the index is not included: it is rebuilt from the list). */
export function snapshotScanState(state: ScanState): ScanSnapshot {
  return {
    snapshot_version: SCAN_SNAPSHOT_VERSION,
    list_name: state.index.list.list_name,
    total_orders: state.index.totalOrders,
    total_items: state.index.totalItems,
    current: state.current,
    completed_orders: state.completed_orders,
    packed_items: state.packed_items,
    events_applied: state.events_applied,
    last_event_id: state.last_event_id,
    last_event_at: state.last_event_at,
    ended_at: state.ended_at,
    orders: [...state.orders.values()].map((w) => ({
      ...w,
      packed: Object.fromEntries(w.packed),
      stack: w.stack.map((e) => ({ ...e })),
      rejected_codes: [...w.rejected_codes],
      workers: [...w.workers],
      reopenings: w.reopenings.map((r) => ({ ...r })),
    })),
  };
}

/** Rebuilds a state from a snapshot taken of the same list. Throws when the snapshot does not fit it. */
export function restoreScanState(index: PackingListIndex, snapshot: ScanSnapshot): ScanState {
  const mismatch = (why: string) =>
    new CorruptFileError(
      `The saved packing state does not belong to this packing list: ${why}. Replay the journal instead.`,
      { why },
    );
  if (snapshot.total_orders !== index.totalOrders || snapshot.total_items !== index.totalItems) {
    throw mismatch(
      `it counts ${snapshot.total_orders} orders / ${snapshot.total_items} items, the list ${index.totalOrders} / ${index.totalItems}`,
    );
  }
  const state = createScanState(index);
  // A snapshot is believed only as far as the list it describes allows: an edited file claiming more
  // packed than the list holds is refused, and the journal is replayed instead.
  let completed = 0;
  let packedTotal = 0;
  for (const o of snapshot.orders) {
    const indexed = index.byKey.get(o.key);
    if (!indexed) throw mismatch(`order "${o.key}" is not in the list`);
    let packed = 0;
    for (const [sku, n] of Object.entries(o.packed)) {
      const line = indexed.skus.get(sku);
      if (!line) throw mismatch(`order "${o.key}" has no SKU "${sku}"`);
      if (!Number.isSafeInteger(n) || n < 0 || n > line.required)
        throw mismatch(`order "${o.key}" claims ${n} of ${line.required} units of ${sku}`);
      packed += n;
    }
    if (packed !== o.packed_items)
      throw mismatch(`order "${o.key}" counts ${o.packed_items} units, its SKUs ${packed}`);
    if (o.status === 'completed') completed++;
    packedTotal += packed;
  }
  if (completed !== snapshot.completed_orders || packedTotal !== snapshot.packed_items)
    throw mismatch(
      `it claims ${snapshot.completed_orders} orders and ${snapshot.packed_items} units done, its orders add up to ${completed} and ${packedTotal}`,
    );
  if (snapshot.current !== null && !index.byKey.has(snapshot.current))
    throw mismatch(`the open order "${snapshot.current}" is not in the list`);
  for (const o of snapshot.orders) {
    state.orders.set(o.key, {
      ...o,
      packed: new Map(Object.entries(o.packed)),
      stack: o.stack.map((e) => ({ ...e })),
      rejected_codes: [...o.rejected_codes],
      workers: [...o.workers],
      reopenings: o.reopenings.map((r) => ({ ...r })),
    });
  }
  state.current = snapshot.current;
  state.completed_orders = snapshot.completed_orders;
  state.packed_items = snapshot.packed_items;
  state.events_applied = snapshot.events_applied;
  state.last_event_id = snapshot.last_event_id;
  state.last_event_at = snapshot.last_event_at;
  state.ended_at = snapshot.ended_at;
  return state;
}
