// What a label shows, whichever way its list was made: prepared lists (typed metadata) and imported
// lists (strings in the file's own spelling) give the same label; numbering survives a regenerated list.
import { describe, expect, it } from 'vitest';
import { orderLabelFields } from '../src/domain/label-fields.js';
import { assignNumbers, mergeNumberings } from '../src/domain/label-numbering.js';
import { normalizeOrderNumber } from '../src/domain/normalize.js';
import { listBarcodeText, orderBarcodeText, parseListBarcode } from '../src/domain/order-barcode.js';
import { parseStationInput } from '../src/domain/scan-commands.js';
import { STATION_COMMAND_KEYS } from '../src/domain/station-keys.js';
import type { PackingListOrder } from '../src/domain/packing-list.js';

function order(metadata: PackingListOrder['metadata'], number = '#1001'): PackingListOrder {
  return {
    order_number: number,
    courier: ' DHL ',
    items: [
      { sku: 'CR-1', product_name: 'Cream', quantity: 2 },
      { sku: 'SET-W', product_name: 'Set', quantity: 1 },
      { sku: 'CR-1', product_name: 'Cream', quantity: 3 },
    ],
    metadata,
  };
}

describe('label fields', () => {
  it('reads a prepared order: sequence, country, tags array, created_at; items are the sum of quantities', () => {
    const f = orderLabelFields(
      order({
        sequence: 7,
        country: 'BG',
        tags: ['VIP', 'Priority'],
        created_at: '2026-02-16 09:12:03 +0200',
        repeat: true,
      }),
      0,
      '2026-12-02T08:00:00Z',
    );
    expect(f).toMatchObject({
      barcode: '1001',
      sequence: 7,
      courier: 'DHL',
      date: '16/02/26',
      items: 6,
      country: 'BG',
      tags: ['VIP', 'Priority'],
    });
  });

  it('reads an imported order whose columns are strings in other spellings', () => {
    const f = orderLabelFields(
      order({
        Tags: 'VIP, Priority,',
        'Shipping Country': 'DE',
        'Created at': '2026-03-01T10:00:00Z',
        Seq: '12',
      }),
      4,
      '2026-12-02T08:00:00Z',
    );
    expect(f).toMatchObject({ sequence: 12, country: 'DE', tags: ['VIP', 'Priority'], date: '01/03/26' });
  });

  it('falls back to the list position and the list date, and leaves out what is missing or unreadable', () => {
    const f = orderLabelFields(
      order({ sequence: 'first', country: '', tags: 42 }),
      4,
      '2026-12-02T08:00:00Z',
    );
    expect(f).toMatchObject({ sequence: 5, country: null, tags: [], date: '02/12/26' });
  });

  it('encodes the order number exactly as a scan of it is normalised, and refuses what Code 128 cannot carry', () => {
    for (const n of ['#1001', 'ORD-00012', ' a_b-C ', '000123', 'SHOP-2026-0000012345'])
      expect(orderBarcodeText(n)).toBe(normalizeOrderNumber(n));
    expect(() => orderBarcodeText('Заказ-7')).toThrow(/Code 128/);
    expect(() => orderBarcodeText('###')).toThrow(/no letters or digits/);
  });
});

describe('label numbering', () => {
  it('keeps printed numbers when the list is regenerated, and numbers new orders after the highest', () => {
    const first = assignNumbers(
      [
        { key: 'a', sequence: 1 },
        { key: 'b', sequence: 2 },
        { key: 'c', sequence: 3 },
      ],
      new Map(),
    );
    expect(first.added).toEqual({ a: 1, b: 2, c: 3 });
    const recorded = mergeNumberings([
      { format_version: 1, list: 'DHL', created_at: 'x', numbers: first.added },
    ]);
    // Regenerated: b removed, order reversed, d new with a sequence that is already printed on a.
    const again = assignNumbers(
      [
        { key: 'd', sequence: 1 },
        { key: 'c', sequence: 2 },
        { key: 'a', sequence: 3 },
      ],
      recorded,
    );
    expect(Object.fromEntries(again.numbers)).toEqual({ a: 1, c: 3, d: 4 });
    expect(again.added).toEqual({ d: 4 });
  });

  it('lets the earliest record win when two records disagree', () => {
    const merged = mergeNumberings([
      { format_version: 1, list: 'L', created_at: '1', numbers: { a: 1 } },
      { format_version: 1, list: 'L', created_at: '2', numbers: { a: 9, b: 2 } },
    ]);
    expect(Object.fromEntries(merged)).toEqual({ a: 1, b: 2 });
  });
});

describe('sheet codes', () => {
  it('round-trips a list code, in any case of the word, and tells it from order numbers and commands', () => {
    const code = listBarcodeText({ client: 'SHOP', session: '2026-12-02_101010_pc1_ab12', list: 'DHL.2' });
    expect(parseListBarcode(code)).toEqual({
      client: 'SHOP',
      session: '2026-12-02_101010_pc1_ab12',
      list: 'DHL.2',
    });
    expect(parseListBarcode(code.replace('!LIST', '!list'))).not.toBeNull();
    expect(parseListBarcode('1001')).toBeNull();
    expect(parseListBarcode('!UNDO')).toBeNull();
  });

  it('prints only words the station reads as the same command a person types', () => {
    for (const c of STATION_COMMAND_KEYS.filter((c) => !c.needsOrder && c.word !== '!PAUSE')) {
      const input = parseStationInput(c.word);
      expect(input?.kind, c.word).not.toBe('invalid_command');
      expect(input?.kind, c.word).not.toBe('scan');
    }
  });
});
