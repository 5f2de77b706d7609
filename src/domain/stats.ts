// Statistics come from immutable per-sitting records: one per lease epoch of a list (a station's
// sitting from opening the list to ending, closing or losing it), holding what that sitting did.
// Ending, resuming and ending again adds a new record for the new sitting only, so nothing is
// counted twice (the Python tool re-added a list's cumulative total at every end).
import { z } from 'zod';
import { ValidationError } from './errors.js';
import { ListTotalsSchema } from './list-metrics.js';

/**
 * `snapshot.<epoch>.<n>.sitting_start.json`, written (fenced) when a sitting starts: the list's
 * totals then, from which the sitting's record is the difference at its end.
 */
export const SittingStartSchema = z.object({
  epoch: z.number().int().positive(),
  station: z.string(),
  worker: z.string(),
  started_at: z.string(),
  totals: ListTotalsSchema,
});
export type SittingStart = z.infer<typeof SittingStartSchema>;

export const SittingRecordSchema = z.object({
  schema_version: z.literal(1),
  client: z.string(),
  session: z.string(),
  list: z.string(),
  epoch: z.number().int().positive(),
  station: z.string(),
  worker: z.string(),
  started_at: z.string(),
  ended_at: z.string(),
  /** How the sitting ended: the END command, the station closing (list paused), or another station taking over. */
  ended_by: z.enum(['end', 'close', 'takeover']),
  orders_completed: z.number().int(),
  items_packed: z.number().int(),
  packing_ms: z.number(),
  corrections: z.number().int(),
  overscans: z.number().int(),
  wrong_items: z.number().int(),
  unknowns: z.number().int(),
  // Records written before these were counted have none.
  orders_forced: z.number().int().default(0),
  orders_manual: z.number().int().default(0),
});
export type SittingRecord = z.infer<typeof SittingRecordSchema>;

const Count = z.number().int().nonnegative();
export const StatsBucketSchema = z.object({
  orders_completed: Count,
  items_packed: Count,
  packing_ms: z.number().nonnegative(),
  overscans: Count,
  unknowns: Count,
  wrong_items: Count,
  corrections: Count,
  /** Of orders_completed: completed without every item scanned (forced) / with units confirmed by hand. */
  orders_forced: Count,
  orders_manual: Count,
  sittings: Count,
});
export type StatsBucket = z.infer<typeof StatsBucketSchema>;

export const StatsReportSchema = z.object({
  totals: StatsBucketSchema,
  by_client: z.record(z.string(), StatsBucketSchema),
  by_worker: z.record(z.string(), StatsBucketSchema),
  by_day: z.record(z.string(), StatsBucketSchema),
});
export type StatsReport = z.infer<typeof StatsReportSchema>;

const empty = (): StatsBucket => ({
  orders_completed: 0,
  items_packed: 0,
  packing_ms: 0,
  overscans: 0,
  unknowns: 0,
  wrong_items: 0,
  corrections: 0,
  orders_forced: 0,
  orders_manual: 0,
  sittings: 0,
});

function add(bucket: StatsBucket, r: SittingRecord): void {
  bucket.orders_completed += r.orders_completed;
  bucket.items_packed += r.items_packed;
  bucket.packing_ms += r.packing_ms;
  bucket.overscans += r.overscans;
  bucket.unknowns += r.unknowns;
  bucket.wrong_items += r.wrong_items;
  bucket.corrections += r.corrections;
  bucket.orders_forced += r.orders_forced;
  bucket.orders_manual += r.orders_manual;
  bucket.sittings++;
}

/** The day a sitting belongs to: the date of its start as the station wrote it (its local calendar day). */
export function sittingDay(record: SittingRecord): string {
  return record.started_at.slice(0, 10);
}

export function aggregateSittings(records: readonly SittingRecord[]): StatsReport {
  const report: StatsReport = { totals: empty(), by_client: {}, by_worker: {}, by_day: {} };
  for (const r of records) {
    add(report.totals, r);
    add((report.by_client[r.client] ??= empty()), r);
    add((report.by_worker[r.worker] ??= empty()), r);
    add((report.by_day[sittingDay(r)] ??= empty()), r);
  }
  return report;
}

/**
 * A day filter of the statistics ("2026-03-01"): a real calendar day, or a ValidationError that
 * names the filter as the caller calls it (`--from` at the command line, `from` in the API).
 */
export function statsDay(value: string | null | undefined, name: string): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!date || date.toISOString().slice(0, 10) !== value)
    throw new ValidationError(
      `${name} must be a day of the calendar like 2026-03-01, not "${value.slice(0, 20)}".`,
      {
        field: name.replace(/^-+/, ''),
      },
    );
  return value;
}
