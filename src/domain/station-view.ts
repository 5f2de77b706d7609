// What a packing station shows: the lease, the open order with its lines, progress, what to scan
// next, and the last outcome. One shape for the API's GET, the scan answer and live events, and for
// the terminal station; built by one function, stationView.
import { z } from 'zod';
import { ManualConfirmRule } from './client-config.js';
import { orderDetails } from './order-details.js';
import { StationOutcomeSchema } from './scan-outcomes.js';
import type { ScanState } from './scan-state.js';

/** An engine outcome, or the station's own: the lease is gone, or the scan was already recorded. */
export const StationOutcomeViewSchema = StationOutcomeSchema;
export type StationOutcomeView = z.infer<typeof StationOutcomeViewSchema>;

export const StationLineSchema = z.object({
  sku: z.string(),
  product_name: z.string(),
  packed: z.number().int().nonnegative(),
  required: z.number().int().nonnegative(),
});
export type StationLine = z.infer<typeof StationLineSchema>;

export const StationLeaseSchema = z.object({
  epoch: z.number().int(),
  state: z.enum(['held', 'lost', 'released']),
  message: z.string().nullable(),
});

/** The one shape of a station's state: the API contract (src/contract/station.ts) re-exports it. */
export const StationStateSchema = z.object({
  station: z.string(),
  worker: z.string(),
  client: z.string(),
  session: z.string(),
  list: z.string(),
  lease: StationLeaseSchema,
  order: z
    .object({
      number: z.string(),
      lines: z.array(StationLineSchema),
      packed: z.number().int().nonnegative(),
      required: z.number().int().nonnegative(),
      courier: z.string(),
      /** What the list carries about the order besides its items (notes, tags, country, box, repeat…), as text. */
      details: z.array(z.object({ label: z.string(), value: z.string() })),
    })
    .nullable(),
  progress: z.object({
    orders_done: z.number().int().nonnegative(),
    orders_total: z.number().int().nonnegative(),
    items_done: z.number().int().nonnegative(),
    items_total: z.number().int().nonnegative(),
  }),
  /** With no order open: the first orders of the list not yet done, so the packer knows what to scan. */
  next_orders: z.array(z.object({ number: z.string(), state: z.enum(['to_do', 'paused', 'skipped']) })),
  /** The client's rules, so the screen offers only the commands that are allowed. */
  rules: z.object({
    allow_force_complete: z.boolean(),
    manual_confirm: ManualConfirmRule,
    map_unknown_barcodes: z.boolean(),
  }),
  last: StationOutcomeViewSchema.nullable(),
});
export type StationState = z.infer<typeof StationStateSchema>;

/** What a station knows besides its list's state. */
export interface StationFacts {
  station: string;
  worker: string;
  client: string;
  session: string;
  list: string;
  epoch: number;
  /** Why the station lost its lease, or null while it has not. */
  lost: string | null;
  /** The station let go of the list: ended (`ended`) or closed. */
  closed: boolean;
  ended: boolean;
  rules: StationState['rules'];
  last: StationOutcomeView | null;
}

/**
 * Orders before `doneBefore` are all completed. It only moves forward while orders get completed in
 * list order, so an idle answer does not walk 45,000 done orders each time; its owner keeps it
 * between views.
 */
export interface NextOrdersCursor {
  doneBefore: number;
}

/** The first orders not yet done. */
function nextOrders(state: ScanState, cursor: NextOrdersCursor, limit = 5): StationState['next_orders'] {
  const orders = state.index.orders;
  const done = (i: number) => state.orders.get(orders[i]!.key)?.status === 'completed';
  // A reopened order is not done any more: look from the start again.
  if (cursor.doneBefore > 0 && !done(cursor.doneBefore - 1)) cursor.doneBefore = 0;
  while (cursor.doneBefore < orders.length && done(cursor.doneBefore)) cursor.doneBefore++;
  const next: StationState['next_orders'] = [];
  for (let i = cursor.doneBefore; i < orders.length && next.length < limit; i++) {
    const work = state.orders.get(orders[i]!.key);
    if (work?.status === 'completed') continue;
    next.push({
      number: orders[i]!.order.order_number,
      state: work?.status === 'skipped' ? 'skipped' : work?.opened_at ? 'paused' : 'to_do',
    });
  }
  return next;
}

/**
 * The station's view. Built from the scan state's running counters and the open order only (not the
 * list's totals, which walk every touched order), so a scan's answer costs the same on the first
 * order of a 50,000-order list as on the last.
 */
export function stationView(facts: StationFacts, state: ScanState, cursor: NextOrdersCursor): StationState {
  const open = state.current ? state.index.byKey.get(state.current) : undefined;
  const work = open ? state.orders.get(open.key) : undefined;
  const lines = open
    ? [...open.skus.values()].map((s) => ({
        sku: s.sku,
        product_name: s.product_name,
        packed: work?.packed.get(s.key) ?? 0,
        required: s.required,
      }))
    : [];
  const holding = facts.lost === null && !facts.closed;
  return {
    station: facts.station,
    worker: facts.worker,
    client: facts.client,
    session: facts.session,
    list: facts.list,
    lease: {
      epoch: facts.epoch,
      state: facts.lost !== null ? 'lost' : holding ? 'held' : 'released',
      message:
        facts.lost ??
        (facts.ended
          ? 'This list was ended here; its reports are written.'
          : holding
            ? null
            : 'This station closed the list.'),
    },
    order: open
      ? {
          number: open.order.order_number,
          courier: open.order.courier,
          details: orderDetails(open.order.metadata),
          lines,
          packed: lines.reduce((n, l) => n + l.packed, 0),
          required: lines.reduce((n, l) => n + l.required, 0),
        }
      : null,
    progress: {
      orders_done: state.completed_orders,
      orders_total: state.index.totalOrders,
      items_done: state.packed_items,
      items_total: state.index.totalItems,
    },
    next_orders: open ? [] : nextOrders(state, cursor),
    rules: facts.rules,
    last: facts.last,
  };
}
