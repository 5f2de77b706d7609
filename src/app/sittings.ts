// Sittings: one station's stretch of work on a list, from acquiring its lease to ending, closing or
// losing it. Each sitting writes, at its start, the list's totals into a fenced file; its statistics
// record is the difference to the totals at its end. A sitting that ended without writing its record
// (the station crashed or was taken over) gets it from the next holder, whose recovered state is
// exactly where the crashed sitting's accepted journal ends.
import path from 'node:path';
import { listTotals, totalsDelta, type ListTotals } from '../domain/list-metrics.js';
import type { ScanState } from '../domain/scan-state.js';
import { SittingStartSchema, type SittingRecord, type SittingStart } from '../domain/stats.js';
import type { Layout } from '../store/layout.js';
import { parseJsonText } from '../store/json-file.js';
import { readIfExists } from '../store/lease/fs-util.js';
import { sittingRecorded, writeSittingRecord } from '../store/stats-records.js';
import type { AcceptedJournal } from '../store/lease/fenced-writes.js';
import type { ListLease } from './open-list.js';

export const sittingStartName = 'sitting_start';

/**
 * Writes the statistics records that earlier sittings of this list could not write themselves.
 * `accepted` is the part of the journal recovery read (since the newest snapshot): a sitting that
 * ended without its record started after that snapshot, because every opening records the sittings
 * before it before it writes any snapshot of its own.
 */
export async function recordEarlierSittings(
  layout: Layout,
  lease: ListLease,
  recovered: ScanState,
  accepted: AcceptedJournal,
): Promise<number> {
  const starts: SittingStart[] = [];
  for (const name of accepted.snapshots.filter((n) => n.endsWith(`.${sittingStartName}.json`))) {
    const text = await readIfExists(path.join(lease.journalDir, name));
    const parsed = text === null ? null : parseJsonText(text, SittingStartSchema);
    // A torn or damaged start file: that sitting's figures cannot be told apart from the next one's;
    // they stay in the list's totals.
    if (parsed?.ok) starts.push(parsed.value);
  }
  starts.sort((a, b) => a.epoch - b.epoch);
  const now = listTotals(recovered);
  let written = 0;
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i]!;
    if (start.epoch >= lease.epoch) continue;
    const ids = { session: lease.session, list: lease.list, epoch: start.epoch };
    if (await sittingRecorded(layout, lease.client, ids)) continue;
    const end = starts.slice(i + 1).find((s) => s.epoch < lease.epoch)?.totals ?? now;
    const lastAt = lastEventAt(accepted.entries, start.epoch) ?? start.started_at;
    const record = sittingRecord(
      { client: lease.client, session: lease.session, list: lease.list },
      start,
      end,
      lastAt,
      'takeover',
    );
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

function lastEventAt(entries: { epoch: number; line: string }[], epoch: number): string | null {
  for (let i = entries.length - 1; i >= 0; i--) {
    if (entries[i]!.epoch !== epoch) continue;
    const match = /"at":"([^"]+)"/.exec(entries[i]!.line);
    return match ? match[1]! : null;
  }
  return null;
}
