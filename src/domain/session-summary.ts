// session_summary.json and the rows of packing_completed.xlsx, computed from a list's scan state.
import { activeMs, listTotals, perHour } from './list-metrics.js';
import type { OrderWork, ScanState } from './scan-state.js';

export interface WorkerFigures {
  worker: string;
  orders_completed: number;
  items_packed: number;
  packing_ms: number;
  orders_per_hour: number | null;
  items_per_hour: number | null;
}

export interface SessionSummary {
  schema_version: 1;
  client: string;
  session: string;
  list: string;
  generated_at: string;
  status: 'completed' | 'in_progress';
  orders_total: number;
  orders_completed: number;
  orders_forced: number;
  /** Completed with units confirmed by hand instead of scanned. */
  orders_manual: number;
  orders_skipped: number;
  items_total: number;
  items_packed: number;
  packing_ms: number;
  orders_per_hour: number | null;
  items_per_hour: number | null;
  avg_ms_per_order: number | null;
  avg_ms_to_first_scan: number | null;
  corrections: number;
  overscans: number;
  wrong_items: number;
  unknown_scans: number;
  manual_confirms: number;
  workers: WorkerFigures[];
}

const average = (values: number[]): number | null =>
  values.length === 0 ? null : Math.round(values.reduce((a, b) => a + b, 0) / values.length);

export function summarizeList(
  state: ScanState,
  ids: { client: string; session: string; list: string },
  generatedAt: string,
): SessionSummary {
  const totals = listTotals(state, generatedAt);
  const completed: OrderWork[] = [];
  let skipped = 0;
  const firstScan: number[] = [];
  const byWorker = new Map<string, WorkerFigures>();
  for (const work of state.orders.values()) {
    if (work.status === 'skipped') skipped++;
    if (work.opened_at && work.first_scan_at)
      firstScan.push(Date.parse(work.first_scan_at) - Date.parse(work.opened_at));
    if (work.status !== 'completed') continue;
    completed.push(work);
    const name = work.completed_by ?? 'unknown';
    const figures = byWorker.get(name) ?? {
      worker: name,
      orders_completed: 0,
      items_packed: 0,
      packing_ms: 0,
      orders_per_hour: null,
      items_per_hour: null,
    };
    figures.orders_completed++;
    figures.items_packed += work.packed_items;
    figures.packing_ms += activeMs(work);
    byWorker.set(name, figures);
  }
  const workers = [...byWorker.values()]
    .map((w) => ({
      ...w,
      orders_per_hour: perHour(w.orders_completed, w.packing_ms),
      items_per_hour: perHour(w.items_packed, w.packing_ms),
    }))
    .sort((a, b) => a.worker.localeCompare(b.worker));
  const completedItems = completed.reduce((sum, w) => sum + w.packed_items, 0);
  const completedMs = completed.reduce((sum, w) => sum + activeMs(w), 0);
  return {
    schema_version: 1,
    ...ids,
    generated_at: generatedAt,
    status: totals.orders_done === totals.orders_total ? 'completed' : 'in_progress',
    orders_total: totals.orders_total,
    orders_completed: totals.orders_done,
    orders_forced: totals.forced,
    orders_manual: totals.manual_orders,
    orders_skipped: skipped,
    items_total: totals.items_total,
    items_packed: totals.items_done,
    packing_ms: totals.packing_ms,
    orders_per_hour: perHour(completed.length, completedMs),
    items_per_hour: perHour(completedItems, completedMs),
    avg_ms_per_order: average(completed.map((w) => activeMs(w))),
    avg_ms_to_first_scan: average(firstScan),
    corrections: totals.corrections,
    overscans: totals.overscans,
    wrong_items: totals.wrong_items,
    unknown_scans: totals.unknowns,
    manual_confirms: totals.manual_confirms,
    workers,
  };
}

export interface CompletedReportRow {
  order_number: string;
  courier: string;
  status:
    | 'Completed'
    | 'Completed (forced)'
    | 'Completed (confirmed by hand)'
    | 'In progress'
    | 'Skipped'
    | 'Not started';
  items_packed: number;
  items_required: number;
  completed_at: string | null;
  worker: string | null;
  metadata: Record<string, unknown>;
}

/** One row per order of the list, in list order, each with its own completion time. */
export function completedReportRows(state: ScanState): CompletedReportRow[] {
  return state.index.orders.map((indexed) => {
    const work = state.orders.get(indexed.key);
    const status: CompletedReportRow['status'] = !work
      ? 'Not started'
      : work.status === 'completed'
        ? work.forced
          ? 'Completed (forced)'
          : work.manual
            ? 'Completed (confirmed by hand)'
            : 'Completed'
        : work.status === 'skipped'
          ? 'Skipped'
          : work.opened_at
            ? 'In progress'
            : 'Not started';
    return {
      order_number: indexed.order.order_number,
      courier: indexed.order.courier,
      status,
      items_packed: work?.packed_items ?? 0,
      items_required: indexed.requiredItems,
      completed_at: work?.status === 'completed' ? work.completed_at : null,
      worker: work?.status === 'completed' ? work.completed_by : (work?.workers.at(-1) ?? null),
      metadata: indexed.order.metadata,
    };
  });
}
