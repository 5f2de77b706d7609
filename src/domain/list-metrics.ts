// Figures of one packing list derived from its scan state: what reports, stats records and the
// session list show. Pure; the same numbers everywhere because they come from one place.
import { z } from 'zod';
import type { OrderWork, ScanState } from './scan-state.js';

const count = z.number().int();

/** A list's figures at one moment; also what a sitting's start file holds. */
export const ListTotalsSchema = z.object({
  orders_total: count,
  orders_done: count,
  items_total: count,
  items_done: count,
  /** Time orders were open at a station (paused and skipped time excluded), in ms. */
  packing_ms: z.number(),
  corrections: count,
  overscans: count,
  wrong_items: count,
  unknowns: count,
  manual_confirms: count,
  forced: count,
  /** Completed orders with units confirmed by hand (not forced). Start files written before it was counted have none. */
  manual_orders: count.default(0),
});
export type ListTotals = z.infer<typeof ListTotalsSchema>;

export function listTotals(state: ScanState, now?: string): ListTotals {
  const totals: ListTotals = {
    orders_total: state.index.totalOrders,
    orders_done: state.completed_orders,
    items_total: state.index.totalItems,
    items_done: state.packed_items,
    packing_ms: 0,
    corrections: 0,
    overscans: 0,
    wrong_items: 0,
    unknowns: 0,
    manual_confirms: 0,
    forced: 0,
    manual_orders: 0,
  };
  for (const work of state.orders.values()) {
    totals.packing_ms += activeMs(work, now);
    totals.corrections += work.corrections;
    totals.overscans += work.overscans;
    totals.wrong_items += work.wrong_items;
    totals.unknowns += work.unknowns;
    totals.manual_confirms += work.manual_confirms;
    if (work.forced && work.status === 'completed') totals.forced++;
    if (work.manual && work.status === 'completed') totals.manual_orders++;
  }
  return totals;
}

/** Time an order has been open, counting the stretch still running when `now` is given. */
export function activeMs(work: OrderWork, now?: string): number {
  if (work.open_since && now)
    return work.active_ms + Math.max(0, Date.parse(now) - Date.parse(work.open_since));
  return work.active_ms;
}

/** The differences between two readings of the same list: what one sitting did. */
export function totalsDelta(before: ListTotals, after: ListTotals): ListTotals {
  const delta = { ...after };
  for (const key of Object.keys(after) as (keyof ListTotals)[]) {
    if (key === 'orders_total' || key === 'items_total') continue;
    delta[key] = after[key] - before[key];
  }
  return delta;
}

export function perHour(count: number, ms: number): number | null {
  return ms > 0 ? Math.round((count / (ms / 3_600_000)) * 10) / 10 : null;
}
