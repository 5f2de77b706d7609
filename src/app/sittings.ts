// Sittings: one station's stretch of work on a list, from acquiring its lease to ending, closing or
// losing it. Each sitting writes, at its start, the list's totals into a fenced file; its statistics
// record is the difference to the totals at its end. A sitting that ended without writing its record
// (the station crashed or was taken over) gets it from the next holder, whose recovered state is
// exactly where the crashed sitting's accepted journal ends.
import { listTotals, totalsDelta, type ListTotals } from '../domain/list-metrics.js';
import type { ScanState } from '../domain/scan-state.js';
import type { SittingRecord, SittingStart } from '../domain/stats.js';
import type { Layout } from '../store/layout.js';
import type { ListIds, RecoveredList } from '../store/list-workspace.js';
import { sittingRecorded, writeSittingRecord } from '../store/stats-records.js';

/**
 * Writes the statistics records that earlier sittings of this list could not write themselves
 * (`earlier`: as the list's recovery found them, oldest first). Each sitting ends where the next
 * one started, the last where the recovered state is.
 */
export async function recordEarlierSittings(
  layout: Layout,
  ids: ListIds,
  earlier: RecoveredList['earlierSittings'],
  recovered: ScanState,
): Promise<number> {
  const now = listTotals(recovered);
  let written = 0;
  for (let i = 0; i < earlier.length; i++) {
    const { start, lastEventAt } = earlier[i]!;
    if (
      await sittingRecorded(layout, ids.client, { session: ids.session, list: ids.list, epoch: start.epoch })
    )
      continue;
    const end = earlier[i + 1]?.start.totals ?? now;
    const record = sittingRecord(ids, start, end, lastEventAt ?? start.started_at, 'takeover');
    if (await writeSittingRecord(layout, record)) written++;
  }
  return written;
}

/** What one sitting did: the list's totals at its end minus those at its start. */
export function sittingRecord(
  ids: { client: string; session: string; list: string },
  start: SittingStart,
  end: ListTotals,
  endedAt: string,
  endedBy: SittingRecord['ended_by'],
  elapsedMs?: number,
): SittingRecord {
  const delta = totalsDelta(start.totals, end);
  // Order times come from the events' wall-clock stamps, which a clock change while the list is held
  // moves; the sitting cannot have packed for longer than it lasted on the monotonic clock.
  if (elapsedMs !== undefined)
    delta.packing_ms = Math.max(0, Math.min(delta.packing_ms, Math.round(elapsedMs)));
  return {
    schema_version: 1,
    ...ids,
    epoch: start.epoch,
    station: start.station,
    worker: start.worker,
    started_at: start.started_at,
    ended_at: endedAt,
    ended_by: endedBy,
    orders_completed: delta.orders_done,
    items_packed: delta.items_done,
    packing_ms: delta.packing_ms,
    corrections: delta.corrections,
    overscans: delta.overscans,
    wrong_items: delta.wrong_items,
    unknowns: delta.unknowns,
    orders_forced: delta.forced,
    orders_manual: delta.manual_orders,
  };
}
