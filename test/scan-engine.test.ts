// One test (or a few) per row of DESIGN §6, driven through decide → apply like a station. After
// every test the journal is replayed into a fresh state, which must equal the live one.
import { afterEach, describe, expect, it } from 'vitest';
import { CorruptFileError } from '../src/domain/errors.js';
import { normalizeCode, normalizeOrderNumber } from '../src/domain/normalize.js';
import { parseStationInput } from '../src/domain/scan-commands.js';
import { apply } from '../src/domain/scan-engine.js';
import { restoreScanState, snapshotScanState } from '../src/domain/scan-state.js';
import { makeList, TestStation, type StationOptions } from './helpers/packing-lists.js';

const LIST = makeList({
  '#1001': [
    ['CR-00012-M', 2, 'Rose Face Cream 50ml'],
    ['SET-WINTER', 1, 'Gift set winter'],
  ],
  '#1002': [['07', 1, 'Argan Lip Balm']],
  'ORD-7': [
    ['AB-1', 1],
    ['ab_1', 1],
  ],
});

let stations: TestStation[] = [];
function station(options: StationOptions = {}): TestStation {
  const s = new TestStation(LIST, options);
  stations.push(s);
  return s;
}
afterEach(() => {
  for (const s of stations) expect(snapshotScanState(s.replayed())).toEqual(s.snapshot());
  stations = [];
});

describe('normalisation', () => {
  it('order numbers keep letters, digits, - and _, case-insensitively', () => {
    expect(normalizeOrderNumber('#1001')).toBe('1001');
    expect(normalizeOrderNumber(' ord-7 ')).toBe(normalizeOrderNumber('ORD-7'));
    expect(normalizeOrderNumber('A_B/1')).toBe('a_b1');
  });
  it('SKUs and barcodes ignore case and punctuation', () => {
    expect(normalizeCode('SKU-1A')).toBe(normalizeCode('sku 1a'));
    expect(normalizeCode('SKU_1A')).toBe('sku1a');
  });
});

describe('no open order', () => {
  it('a scan matching an order opens it and shows its items', () => {
    const s = station();
    const o = s.send('1001');
    expect(o.kind).toBe('order_opened');
    expect(o.order).toBe('#1001');
    expect(o.order_required).toBe(3);
    expect(o.lines).toEqual([
      { sku: 'CR-00012-M', product_name: 'Rose Face Cream 50ml', packed: 0, required: 2 },
      { sku: 'SET-WINTER', product_name: 'Gift set winter', packed: 0, required: 1 },
    ]);
    expect(s.state.current).toBe('1001');
    expect(s.work('1001')).toMatchObject({ status: 'open', opened_at: s.journal[0]!.at, workers: ['ana'] });
  });

  it('order numbers match case-insensitively and with # or spaces', () => {
    const s = station();
    expect(s.send('ord-7').kind).toBe('order_opened');
    expect(s.state.current).toBe('ord-7');
  });

  it('a completed order says "already completed" and is not reopened by scanning', () => {
    const s = station();
    s.send('#1002');
    expect(s.send('07').kind).toBe('order_complete');
    const o = s.send('#1002');
    expect(o.kind).toBe('already_completed');
    expect(o.message).toContain('!REOPEN');
    expect(s.state.current).toBeNull();
  });

  it('an unknown order says "order not found" and records nothing', () => {
    const s = station();
    const o = s.send('#9999');
    expect(o.kind).toBe('order_not_found');
    expect(o.message).toContain('#9999');
    expect(s.journal).toHaveLength(0);
  });

  it('an item scanned before its order is "order not found", with a hint to scan the order first', () => {
    const s = station();
    const o = s.send('CR-00012-M');
    expect(o.kind).toBe('order_not_found');
    expect(o.message).toContain('Scan the order');
  });
});

describe('open order, item still needed', () => {
  it('counts +1 and the last needed item completes the order at once', () => {
    const s = station();
    s.send('#1001');
    let o = s.send('cr00012m');
    expect(o).toMatchObject({
      kind: 'item_ok',
      sku: 'CR-00012-M',
      packed: 1,
      required: 2,
      order_packed: 1,
      order_required: 3,
    });
    o = s.send('SET-WINTER');
    expect(o).toMatchObject({ kind: 'item_ok', order_packed: 2 });
    o = s.send('CR-00012-M');
    expect(o).toMatchObject({ kind: 'order_complete', packed: 2, required: 2, order_packed: 3 });
    expect(s.work('1001')).toMatchObject({
      status: 'completed',
      completed_by: 'ana',
      forced: false,
      scans: 3,
    });
    expect(s.state.current).toBeNull();
    expect(s.state.completed_orders).toBe(1);
    expect(s.state.packed_items).toBe(3);
  });

  it('lines of one SKU spelled differently are summed', () => {
    const s = station();
    s.send('ORD-7');
    expect(s.send('AB1')).toMatchObject({ kind: 'item_ok', packed: 1, required: 2 });
    expect(s.send('ab-1')).toMatchObject({ kind: 'order_complete' });
  });

  it('scans through the barcode mapping, which may change while the list is open', () => {
    const s = station({ skuLookup: new Map([[normalizeCode('4006381333931'), 'CR-00012-M']]) });
    s.send('1001');
    expect(s.send('4006381333931')).toMatchObject({ kind: 'item_ok', sku: 'CR-00012-M', packed: 1 });
    s.options.skuLookup = new Map([[normalizeCode('5900000000001'), 'SET-WINTER']]);
    expect(s.send('4006381333931').kind).toBe('unknown_barcode');
    expect(s.send('5900000000001')).toMatchObject({ kind: 'item_ok', sku: 'SET-WINTER' });
  });
});

describe('open order, item already fully packed', () => {
  it('refuses the over-scan (count unchanged), with its own outcome, and records it', () => {
    const s = station();
    s.send('#1001');
    s.send('SET-WINTER');
    const o = s.send('SET-WINTER');
    expect(o).toMatchObject({ kind: 'overscan', packed: 1, required: 1, order_packed: 1 });
    expect(s.work('1001')!.packed.get('setwinter')).toBe(1);
    expect(s.work('1001')!.overscans).toBe(1);
    expect(s.journal.at(-1)!.type).toBe('overscan_refused');
  });
});

describe('open order, barcode not in this order', () => {
  it('a product of the list that this order lacks is a wrong item, recorded', () => {
    const s = station();
    s.send('#1001');
    const o = s.send('07');
    expect(o.kind).toBe('wrong_item');
    expect(o.order_packed).toBe(0);
    expect(s.work('1001')).toMatchObject({ wrong_items: 1, rejected_codes: ['07'] });
    expect(s.state.current).toBe('1001');
  });

  it('a mapped barcode whose SKU is not in this order is a wrong item', () => {
    const s = station({ skuLookup: new Map([[normalizeCode('111'), 'OTHER-SKU']]) });
    s.send('#1001');
    expect(s.send('111')).toMatchObject({ kind: 'wrong_item', sku: 'OTHER-SKU' });
  });

  it('a barcode nobody knows is an unknown barcode, recorded', () => {
    const s = station();
    s.send('#1001');
    const o = s.send('XYZ-404');
    expect(o.kind).toBe('unknown_barcode');
    expect(s.work('1001')).toMatchObject({ unknowns: 1, wrong_items: 0, rejected_codes: ['XYZ-404'] });
    expect(s.journal.at(-1)!.type).toBe('unknown_barcode');
  });
});

describe("open order, another order's barcode", () => {
  it('switches when nothing is packed yet; the first order is paused, not lost', () => {
    const s = station();
    s.send('#1001');
    s.send('XYZ'); // an unknown scan is recorded on #1001 but packs nothing
    const o = s.send('#1002');
    expect(o.kind).toBe('order_opened');
    expect(s.state.current).toBe('1002');
    expect(s.work('1001')).toMatchObject({ status: 'paused', unknowns: 1 });
  });

  it('refuses with "finish or skip first" once something is packed', () => {
    const s = station();
    s.send('#1001');
    s.send('SET-WINTER');
    const o = s.send('#1002');
    expect(o.kind).toBe('finish_current_first');
    expect(o.message).toContain('!SKIP');
    expect(s.state.current).toBe('1001');
  });

  it('the open order scanned again just says it is open', () => {
    const s = station();
    s.send('#1001');
    expect(s.send('1001').kind).toBe('already_open');
  });
});

describe('commands', () => {
  it('undo takes back the last scan of the open order, newest first', () => {
    const s = station();
    s.send('#1001');
    s.send('CR-00012-M');
    s.send('SET-WINTER');
    expect(s.send('!undo')).toMatchObject({ kind: 'undone', sku: 'SET-WINTER', packed: 0, order_packed: 1 });
    expect(s.send('!UNDO')).toMatchObject({ kind: 'undone', sku: 'CR-00012-M', packed: 0, order_packed: 0 });
    expect(s.send('!UNDO').kind).toBe('nothing_to_undo');
    expect(s.work('1001')!.corrections).toBe(2);
  });

  it('undo with no open order points to reopen', () => {
    const s = station();
    expect(s.send('!UNDO')).toMatchObject({ kind: 'no_open_order' });
  });

  it('confirm by hand (whole lines allowed) counts like scans, is marked manual, and completes as manual', () => {
    const s = station({ manualConfirm: 'any_count' });
    s.send('#1001');
    s.send('SET-WINTER');
    const o = s.send('!CONFIRM cr-00012-m unreadable');
    expect(o).toMatchObject({ kind: 'order_complete_manual', packed: 2, order_packed: 3 });
    expect(o.message).toContain('2 items of 3 confirmed by hand');
    expect(s.work('1001')).toMatchObject({ status: 'completed', manual: true, manual_confirms: 1, scans: 1 });
    expect(s.journal.at(-1)).toMatchObject({
      type: 'item_confirmed',
      data: { order: '1001', sku: 'cr00012m', count: 2, reason: 'UNREADABLE' },
    });
  });

  it('by default confirms one unit at a time, each with a reason', () => {
    const s = station();
    s.send('#1001');
    expect(s.send('!CONFIRM CR-00012-M').kind).toBe('invalid_command'); // no reason
    expect(s.send('!CONFIRM CR-00012-M 2 UNREADABLE').kind).toBe('confirm_not_allowed');
    expect(s.send('!CONFIRM CR-00012-M UNREADABLE')).toMatchObject({ kind: 'confirmed_manually', packed: 1 });
    expect(s.send('!CONFIRM UNREADABLE').kind).toBe('invalid_command'); // two lines still missing
    s.send('CR-00012-M');
    // The last unit scanned, an earlier one by hand: the order still counts as confirmed by hand.
    expect(s.send('!CONFIRM no-barcode')).toMatchObject({ kind: 'order_complete_manual', sku: 'SET-WINTER' });
    expect(s.work('1001')).toMatchObject({ manual: true, manual_confirms: 2 });
  });

  it('a reopened order scanned again is an ordinary completion', () => {
    const s = station();
    s.send('#1002');
    s.send('!CONFIRM 07 UNREADABLE');
    expect(s.work('1002')).toMatchObject({ status: 'completed', manual: true });
    expect(s.send('!REOPEN 1002').kind).toBe('reopened');
    expect(s.send('07').kind).toBe('order_complete');
    expect(s.work('1002')).toMatchObject({ status: 'completed', manual: false });
  });

  it('refuses every manual confirmation when the client does not allow them', () => {
    const s = station({ manualConfirm: 'off' });
    s.send('#1002');
    expect(s.send('!CONFIRM 07 UNREADABLE').kind).toBe('confirm_not_allowed');
    expect(s.journal.map((e) => e.type)).toEqual(['order_opened']);
  });

  it('confirm refuses more than is missing and SKUs not in the order', () => {
    const s = station({ manualConfirm: 'any_count' });
    s.send('#1001');
    expect(s.send('!CONFIRM CR-00012-M 3 UNREADABLE').kind).toBe('nothing_to_confirm');
    expect(s.send('!CONFIRM 07 UNREADABLE').kind).toBe('wrong_item');
    expect(s.work('1001')!.packed_items).toBe(0);
  });

  it('force-complete is refused when the client does not allow it', () => {
    const s = station({ allowForceComplete: false });
    s.send('#1001');
    const o = s.send('!FORCE');
    expect(o.kind).toBe('force_not_allowed');
    expect(s.state.current).toBe('1001');
    expect(s.journal.map((e) => e.type)).toEqual(['order_opened']);
  });

  it('force-complete, when allowed, completes the order and records what was not scanned', () => {
    const s = station({ allowForceComplete: true });
    s.send('#1001');
    s.send('CR-00012-M');
    expect(s.send('!FORCE')).toMatchObject({ kind: 'force_completed', order_packed: 1, order_required: 3 });
    expect(s.work('1001')).toMatchObject({ status: 'completed', forced: true });
    expect(s.journal.at(-1)!.data).toEqual({ order: '1001', missing: { cr00012m: 1, setwinter: 1 } });
    expect(s.state.completed_orders).toBe(1);
  });

  it('skip parks an order; packing another and resuming never mixes their work', () => {
    const s = station();
    s.send('#1001');
    s.send('CR-00012-M');
    s.send('XYZ');
    expect(s.send('!SKIP').kind).toBe('skipped');
    expect(s.work('1001')!.status).toBe('skipped');
    const firstScanA = s.work('1001')!.first_scan_at;
    s.send('#1002');
    s.send('07');
    const resumed = s.send('#1001');
    expect(resumed).toMatchObject({ kind: 'order_opened', order_packed: 1 });
    expect(resumed.message).toContain('resumed');
    expect(resumed.lines![0]).toMatchObject({ sku: 'CR-00012-M', packed: 1 });
    expect(s.work('1001')).toMatchObject({ scans: 1, unknowns: 1, skips: 1, first_scan_at: firstScanA });
    expect(s.work('1002')).toMatchObject({ scans: 1, unknowns: 0, status: 'completed' });
    s.send('CR-00012-M');
    expect(s.send('SET-WINTER').kind).toBe('order_complete');
    const packedA = s.journal
      .filter((e) => e.type === 'item_scanned' && e.data.order === '1001')
      .map((e) => (e.data as { sku: string }).sku);
    expect(packedA).toEqual(['cr00012m', 'cr00012m', 'setwinter']);
    expect(s.work('1001')!.packed).toEqual(
      new Map([
        ['cr00012m', 2],
        ['setwinter', 1],
      ]),
    );
  });

  it('reopen of a completed order is audited (who, when, where) and starts it over', () => {
    const s = station({ worker: 'ana' });
    s.send('#1002');
    s.send('07');
    const completedAt = s.work('1002')!.completed_at;
    s.options.worker = 'lead-max';
    const o = s.send('!REOPEN #1002');
    expect(o).toMatchObject({ kind: 'reopened', order_packed: 0 });
    expect(s.work('1002')).toMatchObject({ status: 'open', packed_items: 0, completed_at: null });
    expect(s.work('1002')!.reopenings).toEqual([
      { at: s.journal.at(-1)!.at, worker: 'lead-max', station: 'ST1', previous_completed_at: completedAt },
    ]);
    expect(s.state.completed_orders).toBe(0);
    expect(s.state.packed_items).toBe(0);
    expect(s.send('07').kind).toBe('order_complete');
    expect(s.state.completed_orders).toBe(1);
  });

  it('reopen refuses orders that are not completed, unknown ones, and while another is in progress', () => {
    const s = station();
    expect(s.send('!REOPEN 1001').kind).toBe('not_completed');
    expect(s.send('!REOPEN 5555').kind).toBe('order_not_found');
    s.send('1002');
    s.send('07');
    s.send('1001');
    s.send('SET-WINTER');
    expect(s.send('!REOPEN 1002').kind).toBe('finish_current_first');
  });

  it('end pauses the open order and the next sitting resumes it', () => {
    const s = station();
    s.send('#1001');
    s.send('SET-WINTER');
    const asked = s.send('!END');
    expect(asked).toMatchObject({ kind: 'end_needs_confirm', order_required: 3 });
    expect(asked.message).toContain('3 orders of 3 not done');
    expect(s.journal.at(-1)!.type).toBe('item_scanned');
    const o = s.send('!END');
    expect(o.kind).toBe('ended');
    expect(o.message).toContain('0 of 3 orders');
    expect(s.state.current).toBeNull();
    expect(s.work('1001')).toMatchObject({ status: 'paused', open_since: null });
    expect(s.work('1001')!.active_ms).toBeGreaterThan(0);
    expect(s.send('1001')).toMatchObject({ kind: 'order_opened', order_packed: 1 });
  });

  it('an end asked about is cancelled by any other input in between', () => {
    const s = station();
    expect(s.send('!END').kind).toBe('end_needs_confirm');
    expect(s.send('#1002').kind).toBe('order_opened');
    expect(s.send('!END').kind).toBe('end_needs_confirm');
    expect(s.state.ended_at).toBeNull();
  });

  it('records the workers of each order', () => {
    const s = station({ worker: 'ana' });
    s.send('#1001');
    s.send('SET-WINTER');
    s.options.worker = 'ivo';
    s.send('CR-00012-M');
    expect(s.work('1001')!.workers).toEqual(['ana', 'ivo']);
    expect(s.journal.map((e) => e.worker)).toEqual(['ana', 'ana', 'ivo']);
  });
});

describe('odd input', () => {
  it('a pasted page is refused as a scan, not recorded', () => {
    const s = station();
    s.send('#1001');
    const o = s.send('x'.repeat(5000));
    expect(o.kind).toBe('unknown_barcode');
    expect(o.message).toContain('too long');
    expect(s.journal).toHaveLength(1);
  });
});

describe('command words', () => {
  it('parses the documented words, case-insensitively, and refuses others', () => {
    expect(parseStationInput('  ')).toBeNull();
    expect(parseStationInput('!undo')).toEqual({ kind: 'undo' });
    expect(parseStationInput('!Force')).toEqual({ kind: 'force_complete' });
    expect(parseStationInput('!SKIP')).toEqual({ kind: 'skip' });
    expect(parseStationInput('!END')).toEqual({ kind: 'end' });
    expect(parseStationInput('!REOPEN #1001')).toEqual({ kind: 'reopen', order: '#1001' });
    expect(parseStationInput('!CONFIRM SKU 1 2')).toEqual({
      kind: 'confirm',
      sku: 'SKU 1',
      count: 2,
      reason: null,
    });
    expect(parseStationInput('!CONFIRM SKU 1 2 no-barcode')).toMatchObject({
      count: 2,
      reason: 'NO-BARCODE',
    });
    expect(parseStationInput('!CONFIRM')).toEqual({ kind: 'confirm', sku: null, count: null, reason: null });
    expect(parseStationInput('!REOPEN')).toMatchObject({ kind: 'invalid_command' });
    expect(parseStationInput('!DANCE')).toMatchObject({ kind: 'invalid_command' });
    expect(parseStationInput('#1001')).toEqual({ kind: 'scan', text: '#1001' });
  });

  it('an unknown command word changes nothing and says which words exist', () => {
    const s = station();
    const o = s.send('!DANCE');
    expect(o.kind).toBe('invalid_command');
    expect(o.message).toContain('!UNDO');
    expect(s.journal).toHaveLength(0);
  });
});

describe('replay and snapshots', () => {
  it('apply refuses an event that does not fit, and leaves the state unchanged', () => {
    const s = station();
    s.send('#1001');
    s.send('SET-WINTER');
    const before = s.snapshot();
    const stray = { ...s.journal.at(-1)!, id: 'stray' } as const;
    expect(() => apply(s.state, stray)).toThrow(CorruptFileError);
    expect(() =>
      apply(s.state, { ...stray, type: 'item_scanned', data: { order: '1002', sku: '07', code: '07' } }),
    ).toThrow(/not the open order/);
    expect(s.snapshot()).toEqual(before);
  });

  it('snapshot + the events after it equals the live state', () => {
    const s = station();
    s.send('#1001');
    s.send('CR-00012-M');
    const cut = s.journal.length;
    const snap = JSON.parse(JSON.stringify(snapshotScanState(s.replayed())));
    s.send('!SKIP');
    s.send('#1002');
    s.send('07');
    const restored = restoreScanState(s.index, snap);
    for (const e of s.journal.slice(cut)) apply(restored, e);
    expect(snapshotScanState(restored)).toEqual(s.snapshot());
  });

  it('a snapshot of another list is refused', () => {
    const s = station();
    s.send('#1001');
    const other = new TestStation(makeList({ A: [['X', 1]] }));
    expect(() => restoreScanState(other.index, s.snapshot())).toThrow(CorruptFileError);
  });
});
