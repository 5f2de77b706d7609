// The per-sitting statistics records themselves (for charts that need more than the totals, such as
// orders per hour), filtered like `packingStats`.
import { assertClientId } from '../domain/ids.js';
import type { Settings } from '../domain/settings.js';
import type { SittingRecord } from '../domain/stats.js';
import { openDataRoot } from '../store/data-root.js';
import type { Layout } from '../store/layout.js';
import { readSittings } from '../store/stats-records.js';
import type { StatsQuery } from './stats.js';

export async function sittingRecords(
  deps: { layout: Layout; settings: Settings },
  query: StatsQuery = {},
): Promise<{ records: SittingRecord[]; damaged: string[] }> {
  await openDataRoot(deps.layout, deps.settings.network.connectionTimeoutMs);
  const read = await readSittings(deps.layout, query.client ? [assertClientId(query.client)] : undefined);
  const records = read.records.filter(
    (r) =>
      (!query.worker || r.worker === query.worker) &&
      (!query.from || r.started_at.slice(0, 10) >= query.from) &&
      (!query.to || r.started_at.slice(0, 10) <= query.to),
  );
  return { records, damaged: read.damaged };
}
