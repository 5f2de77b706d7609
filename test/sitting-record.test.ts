// A sitting's statistics use the monotonic clock as their bound: a wall clock set 3 h forward while a
// list was held (the events' time stamps jump) must not put 3 h into a 10 s sitting's packing time.
import { describe, expect, it } from 'vitest';
import { sittingRecord } from '../src/app/sittings.js';
import type { ListTotals } from '../src/domain/list-metrics.js';

const totals = (packing_ms: number, orders_done: number): ListTotals => ({
  orders_total: 5,
  orders_done,
  items_total: 10,
  items_done: orders_done * 2,
  packing_ms,
  corrections: 0,
  overscans: 0,
  wrong_items: 0,
  unknowns: 0,
  manual_confirms: 0,
  manual_orders: 0,
  forced: 0,
});

describe('sitting record', () => {
  it('never counts more packing time than the sitting lasted on the monotonic clock', () => {
    const ids = { client: 'ACME', session: 's1', list: 'DHL' };
    const start = {
      epoch: 2,
      station: 'S1',
      worker: 'Ann',
      started_at: '2026-12-02T10:00:00.000Z',
      totals: totals(60_000, 1),
    };
    const jumped = totals(60_000 + 3 * 3_600_000 + 8_000, 3);
    const record = sittingRecord(ids, start, jumped, '2026-12-02T13:00:10.000Z', 'close', 10_000);
    expect(record.packing_ms).toBe(10_000);
    expect(record.orders_completed).toBe(2);
    // Without the jump the events' own times stand.
    expect(
      sittingRecord(ids, start, totals(68_000, 3), '2026-12-02T10:00:10.000Z', 'close', 10_000).packing_ms,
    ).toBe(8_000);
  });
});
