// Packing statistics by client, worker and day, from the immutable per-sitting records.
import { aggregateSittings, type StatsReport } from '../domain/stats.js';
import type { Settings } from '../domain/settings.js';
import type { Layout } from '../store/layout.js';
import { sittingRecords } from './sitting-records.js';

export interface StatsQuery {
  client?: string;
  worker?: string;
  /** Inclusive days, YYYY-MM-DD. */
  from?: string;
  to?: string;
}

export async function packingStats(
  deps: { layout: Layout; settings: Settings },
  query: StatsQuery = {},
): Promise<StatsReport & { damaged_records: string[] }> {
  const { records, damaged } = await sittingRecords(deps, query);
  return { ...aggregateSittings(records), damaged_records: damaged };
}
