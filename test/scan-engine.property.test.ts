// Random scan sequences against random small lists: whatever packers do, the engine never packs more
// than required, completes exactly the fully packed (or force-completed) orders, and the journal
// alone rebuilds the live state.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeCode } from '../src/domain/normalize.js';
import { restoreScanState, snapshotScanState, type ScanState } from '../src/domain/scan-state.js';
import { makeList, TestStation, type OrderSpec } from './helpers/packing-lists.js';

const SKU_POOL = ['CR-1', 'cr 2', 'LB_7', 'SET-W', '07', 'Gift.Box'];
const ORDER_NUMBERS = ['#1001', '#1002', 'ORD-3', 'b_4', '1005'];

const listArb = fc
  .uniqueArray(fc.constantFrom(...ORDER_NUMBERS), { minLength: 1, maxLength: ORDER_NUMBERS.length })
  .chain((orders) =>
    fc.tuple(
      fc.constant(orders),
      fc.array(
        fc.uniqueArray(fc.tuple(fc.constantFrom(...SKU_POOL), fc.integer({ min: 1, max: 3 })), {
          minLength: 1,
          maxLength: 3,
          selector: (t) => t[0],
        }),
        {
          minLength: orders.length,
          maxLength: orders.length,
        },
      ),
    ),
  )
  .map(([orders, items]) => Object.fromEntries(orders.map((o, i) => [o, items[i]!])) as OrderSpec);

const variant = (text: string) =>
  fc.constantFrom(text, text.toLowerCase(), text.toUpperCase(), ` ${text} `, text.replace(/[-_.]/g, ''));

const inputArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...ORDER_NUMBERS).chain(variant) },
  { weight: 8, arbitrary: fc.constantFrom(...SKU_POOL).chain(variant) },
  { weight: 2, arbitrary: fc.constantFrom('BC-100', 'BC-200') }, // mapped barcodes
  { weight: 1, arbitrary: fc.constantFrom('NOPE-1', '#9999', '???') },
  { weight: 2, arbitrary: fc.constant('!UNDO') },
  { weight: 1, arbitrary: fc.constantFrom(...SKU_POOL).map((s) => `!CONFIRM ${s} UNREADABLE`) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...SKU_POOL), fc.integer({ min: 1, max: 3 }), fc.constantFrom('', ' no-barcode'))
      .map(([s, n, reason]) => `!CONFIRM ${s} ${n}${reason}`),
  },
  { weight: 1, arbitrary: fc.constantFrom('!CONFIRM', '!CONFIRM SCANNER-FAILS') },
  { weight: 1, arbitrary: fc.constant('!FORCE') },
  { weight: 1, arbitrary: fc.constant('!SKIP') },
  { weight: 1, arbitrary: fc.constantFrom(...ORDER_NUMBERS).map((o) => `!REOPEN ${o}`) },
  { weight: 1, arbitrary: fc.constant('!END') },
);

function checkInvariants(state: ScanState): void {
  let completed = 0;
  let packedAll = 0;
  let open = 0;
  for (const order of state.index.orders) {
    const work = state.orders.get(order.key);
    let packed = 0;
    for (const line of order.skus.values()) {
      const n = work?.packed.get(line.key) ?? 0;
      expect(n).toBeLessThanOrEqual(line.required);
      expect(n).toBeGreaterThanOrEqual(0);
      packed += n;
    }
    expect(work?.packed_items ?? 0).toBe(packed);
    packedAll += packed;
    const isCompleted = work?.status === 'completed';
    // Completed exactly when every item is packed (scanned or confirmed by hand) or it was forced.
    expect(isCompleted).toBe(packed === order.requiredItems || (work?.forced ?? false));
    if (isCompleted) completed++;
    if (work?.status === 'open') {
      open++;
      expect(state.current).toBe(order.key);
    }
  }
  expect(open).toBe(state.current === null ? 0 : 1);
  expect(state.completed_orders).toBe(completed);
  expect(state.packed_items).toBe(packedAll);
}

describe('scan engine properties', () => {
  it('random sequences: never over-packed, completion exact, journal replay equals live state', () => {
    fc.assert(
      fc.property(
        listArb,
        fc.array(inputArb, { maxLength: 60 }),
        fc.boolean(),
        fc.constantFrom('off', 'one_unit', 'any_count' as const),
        (spec, inputs, allowForce, manualConfirm) => {
          const station = new TestStation(makeList(spec), {
            allowForceComplete: allowForce,
            manualConfirm,
            skuLookup: new Map([
              [normalizeCode('BC-100'), 'CR-1'],
              [normalizeCode('BC-200'), 'NOT-IN-LIST'],
            ]),
          });
          for (const line of inputs) {
            const before = snapshotScanState(station.state);
            const journalBefore = station.journal.length;
            const outcome = station.send(line);
            if (outcome.kind === 'overscan') {
              const key = station.state.current!;
              expect(station.state.orders.get(key)!.packed).toEqual(
                new Map(Object.entries(before.orders.find((o) => o.key === key)!.packed)),
              );
            }
            if (outcome.kind === 'force_not_allowed') expect(allowForce).toBe(false);
            if (outcome.kind === 'force_completed') expect(allowForce).toBe(true);
            if (outcome.kind === 'confirmed_manually') expect(manualConfirm).not.toBe('off');
            if (outcome.kind === 'order_complete_manual') {
              expect(manualConfirm).not.toBe('off');
              expect(station.journal.at(-1)!.type).toMatch(/item_(confirmed|scanned)/);
            }
            if (station.journal.length === journalBefore) {
              // No event means nothing changed.
              expect(snapshotScanState(station.state)).toEqual(before);
            }
            checkInvariants(station.state);
          }
          const replayed = station.replayed();
          expect(snapshotScanState(replayed)).toEqual(station.snapshot());
          const restored = restoreScanState(station.index, JSON.parse(JSON.stringify(station.snapshot())));
          expect(snapshotScanState(restored)).toEqual(station.snapshot());
        },
      ),
      { numRuns: 400 },
    );
  });
});
