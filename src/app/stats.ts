// Packing statistics by client, worker and day, from the immutable per-sitting records.
import { aggregateSittings, type StatsReport } from '../domain/stats.js';
import type { Settings } from '../domain/settings.js';
import { assertClientId } from '../domain/ids.js';
import { openDataRoot } from '../store/data-root.js';
import type { Layout } from '../store/layout.js';
import { readSittings } from '../store/stats-records.js';

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
  await openDataRoot(deps.layout, deps.settings.network.connectionTimeoutMs);
  const read = await readSittings(deps.layout, query.client ? [assertClientId(query.client)] : undefined);
  const records = read.records.filter(
    (r) =>
      (!query.worker || r.worker === query.worker) &&
      (!query.from || r.started_at.slice(0, 10) >= query.from) &&
      (!query.to || r.started_at.slice(0, 10) <= query.to),
  );
  return { ...aggregateSittings(records), damaged_records: read.damaged };
}
