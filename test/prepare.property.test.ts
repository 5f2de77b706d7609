// Properties of the fulfilment analysis over random orders, stock, sets, rules and edits: stock is
// never over-allocated, final stock is exactly stock minus what ships, every order either ships whole
// or says why not, each shipping order is on exactly one list, and the write-off export is what ships.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyseFulfilment } from '../src/domain/fulfilment-analysis.js';
import { normalizeCode, normalizeOrderNumber } from '../src/domain/normalize.js';
import { packingListOrders } from '../src/domain/prepared-list.js';
import type { PreparationEdit } from '../src/domain/preparation-edits.js';
import { defaultPreparationSettings, PreparationSettingsSchema } from '../src/domain/preparation-settings.js';
import type { ShopifyOrder } from '../src/domain/shopify-orders.js';
import type { StockTable } from '../src/domain/stock-table.js';

const SKUS = ['A', 'B', 'C', '07', '7', 'D-1', 'SET1', 'SET2'];
const METHODS = ['DHL Express', 'DPD', 'Speedy', '', 'Pickup'];

const lineArb = fc.record({
  sku: fc.oneof(fc.constantFrom(...SKUS), fc.constant('')),
  quantity: fc.integer({ min: 1, max: 4 }),
});
const orderArb = fc.record({
  lines: fc.array(lineArb, { minLength: 1, maxLength: 4 }),
  method: fc.constantFrom(...METHODS),
  created: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: null }),
  total: fc.integer({ min: 0, max: 300 }),
});
const scenarioArb = fc.record({
  orders: fc.array(orderArb, { minLength: 1, maxLength: 30 }),
  stock: fc.dictionary(fc.constantFrom('A', 'B', 'C', '07', 'D-1', 'GIFT'), fc.integer({ min: 0, max: 12 })),
  nested: fc.boolean(),
  rules: fc.boolean(),
  edits: fc.array(
    fc.record({
      kind: fc.constantFrom(
        'hold',
        'release',
        'remove',
        'set_quantity',
        'undo',
        'hold_many',
        'release_many',
        'tag_many',
      ),
      order: fc.nat(29),
      qty: fc.nat(3),
    }),
    { maxLength: 6 },
  ),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function build(s: Scenario) {
  const orders: ShopifyOrder[] = s.orders.map((o, i) => ({
    order_number: `#${1000 + i}`,
    key: normalizeOrderNumber(`#${1000 + i}`),
    file: 'orders.csv',
    row: i + 2,
    shipping_method: o.method,
    country: i % 2 ? 'BG' : 'DE',
    created_at: '',
    created_ms: o.created,
    tags: i % 3 === 0 ? ['vip'] : [],
    notes: '',
    email: '',
    customer_name: '',
    total: o.total,
    subtotal: null,
    extra: {},
    lines: o.lines.map((l) => ({
      sku: l.sku,
      product_name: '',
      quantity: l.quantity,
      stock_line: l.sku !== '',
      source: 'export' as const,
      set_sku: null,
    })),
  }));
  const stock: StockTable = {
    file: 'stock.csv',
    warnings: [],
    bySku: new Map(
      Object.entries(s.stock).map(([sku, n], i) => [
        normalizeCode(sku),
        { sku, product_name: '', stock: n, row: i + 2 },
      ]),
    ),
  };
  const sets = [
    {
      sku: 'SET1',
      components: [
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 1 },
      ],
    },
    {
      sku: 'SET2',
      components: s.nested
        ? [
            { sku: 'SET1', quantity: 1 },
            { sku: 'C', quantity: 1 },
          ]
        : [{ sku: 'C', quantity: 3 }],
    },
  ];
  const settings = PreparationSettingsSchema.parse({
    ...defaultPreparationSettings(),
    rules: s.rules
      ? [
          {
            name: 'gift',
            conditions: [{ field: 'total', operator: 'greater_than', value: 200 }],
            actions: [{ type: 'add_item', sku: 'GIFT', quantity: 1 }],
          },
          {
            name: 'vip',
            conditions: [{ field: 'tags', operator: 'equals', value: 'vip' }],
            actions: [{ type: 'set_list', list: 'VIP' }],
          },
          {
            name: 'pickup',
            conditions: [{ field: 'shipping_method', operator: 'equals', value: 'pickup' }],
            actions: [{ type: 'hold' }],
          },
        ]
      : [],
  });
  const edits: PreparationEdit[] = s.edits.map((e, i) => {
    const number = `#${1000 + (e.order % s.orders.length)}`;
    const change: PreparationEdit['change'] =
      e.kind === 'undo'
        ? { type: 'undo', undoes: Math.max(1, i) }
        : e.kind === 'set_quantity'
          ? { type: 'set_quantity', order: number, sku: 'A', quantity: e.qty }
          : e.kind === 'tag_many'
            ? { type: 'tag_many', orders: [number], tag: 'gift' }
            : e.kind === 'hold_many' || e.kind === 'release_many'
              ? // A bulk edit on this order and the next one (the same order twice when there is only one).
                { type: e.kind, orders: [number, `#${1000 + ((e.order + 1) % s.orders.length)}`] }
              : { type: e.kind as 'hold' | 'release' | 'remove', order: number };
    return { schema_version: 1, seq: i + 1, at: '', by: { station: 'T', worker: 'w' }, change };
  });
  return { orders, stock, sets, settings, edits };
}

describe('fulfilment analysis properties', () => {
  it('never over-allocates, recomputes final stock exactly, explains every refusal, lists every shipment once', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const input = build(s);
        const r = analyseFulfilment({ ...input, repeats: { orderKeys: new Set(), emails: new Set() } });
        const shipped = new Map<string, number>();
        for (const o of r.orders) {
          if (o.status === 'fulfillable') {
            expect(o.reasons).toEqual([]);
            for (const l of o.pack)
              shipped.set(normalizeCode(l.sku), (shipped.get(normalizeCode(l.sku)) ?? 0) + l.quantity);
          } else {
            expect(o.reasons.length).toBeGreaterThan(0);
          }
          // What is packed never contains a set: sets are expanded to components all the way down.
          for (const l of o.pack) expect(['SET1', 'SET2']).not.toContain(l.sku);
        }
        for (const sku of r.skus) {
          const k = normalizeCode(sku.sku);
          expect(sku.allocated).toBe(shipped.get(k) ?? 0);
          if (sku.in_stock_file) {
            expect(sku.allocated).toBeLessThanOrEqual(sku.stock_before);
            expect(sku.stock_after).toBe(sku.stock_before - sku.allocated);
          } else expect(sku.allocated).toBe(0);
        }
        const onLists = r.lists.flatMap((l) => l.orders.map((o) => o.order_number));
        expect(new Set(onLists).size).toBe(onLists.length);
        expect(onLists.sort()).toEqual(
          r.orders
            .filter((o) => o.status === 'fulfillable')
            .map((o) => o.order_number)
            .sort(),
        );
        for (const l of r.lists) {
          const places = l.orders.map((_, i) => i + 1);
          expect(l.orders.map((o) => o.sequence)).toEqual(places);
          expect(packingListOrders(l).map((o) => o.metadata.sequence)).toEqual(places);
        }
        const writeOff = new Map(r.exports[0]!.rows.map((row) => [normalizeCode(row.sku), row.quantity]));
        expect(writeOff).toEqual(new Map([...shipped].filter(([, n]) => n > 0)));
        // Deterministic: the same inputs give the same analysis.
        expect(analyseFulfilment({ ...input, repeats: { orderKeys: new Set(), emails: new Set() } })).toEqual(
          r,
        );
      }),
      { numRuns: 400 },
    );
  });
});
