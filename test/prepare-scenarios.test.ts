// The fulfilment analysis on small exports a shift lead would recognise: who gets the stock, why an
// order cannot ship, which list it goes on. Each test reads real CSV bytes through packdesk's reader.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../src/domain/errors.js';
import { packingListOrders } from '../src/domain/prepared-list.js';
import { cp1251 } from './helpers/encodings.js';
import { analyse, edit, order, ordersCsv, stockCsv } from './helpers/preparation.js';

describe('allocation', () => {
  it('serves multi-line orders before single-line ones, then the oldest first', async () => {
    const r = await analyse({
      orders: ordersCsv([
        { order: '#1001', created: '2026-02-16 08:00:00 +0200', lines: [{ sku: 'A' }] },
        { order: '#1002', created: '2026-02-16 09:00:00 +0200', lines: [{ sku: 'A' }, { sku: 'B' }] },
        { order: '#1003', created: '2026-02-16 07:00:00 +0200', lines: [{ sku: 'A' }] },
      ]),
      stock: stockCsv({ A: 2, B: 5 }),
    });
    expect(order(r, '#1002').status).toBe('fulfillable');
    // #1003 is older than #1001, so it gets the last A.
    expect(order(r, '#1003').status).toBe('fulfillable');
    expect(order(r, '#1001').status).toBe('not_fulfillable');
    expect(order(r, '#1001').reasons).toEqual(['A: need 1, have 0']);
  });

  it('fails the whole order when one item is missing, and keeps its stock for others', async () => {
    const r = await analyse({
      orders: ordersCsv([
        { order: '#1', lines: [{ sku: 'CR-00012-M', qty: 3 }, { sku: 'LIP' }] },
        { order: '#2', lines: [{ sku: 'CR-00012-M', qty: 2 }] },
      ]),
      stock: stockCsv({ 'CR-00012-M': 2, LIP: 5 }),
    });
    expect(order(r, '#1').status).toBe('not_fulfillable');
    expect(order(r, '#1').reasons).toEqual(['CR-00012-M: need 3, have 2']);
    expect(order(r, '#2').status).toBe('fulfillable');
    const cream = r.skus.find((s) => s.sku === 'CR-00012-M')!;
    expect(cream).toMatchObject({ stock_before: 2, allocated: 2, stock_after: 0, missing: 3 });
    expect(r.skus.find((s) => s.sku === 'LIP')).toMatchObject({ allocated: 0, stock_after: 5 });
  });

  it('ships when stock is exactly enough and leaves zero', async () => {
    const r = await analyse({
      orders: ordersCsv([
        { order: '#1', lines: [{ sku: 'A', qty: 2 }] },
        { order: '#2', lines: [{ sku: 'A', qty: 3 }] },
      ]),
      stock: stockCsv({ A: 5 }),
    });
    expect(r.counts.fulfillable).toBe(2);
    expect(r.skus[0]).toMatchObject({ stock_after: 0, low: true });
  });

  it('names a SKU that is not in the stock file', async () => {
    const r = await analyse({
      orders: ordersCsv([{ order: '#1', lines: [{ sku: 'GHOST', qty: 2 }] }]),
      stock: stockCsv({ A: 1 }),
    });
    expect(order(r, '#1').reasons).toEqual(['GHOST: not in the stock file']);
    expect(r.counts.short_by_sku).toEqual({ GHOST: 1 });
  });

  it('refuses a stock file with the same SKU twice, naming both rows, and reads nothing', async () => {
    const err = await analyse({
      orders: ordersCsv([{ order: '#1', lines: [{ sku: 'A' }] }]),
      stock: stockCsv({ A: 1, B: 2, a: 3 }),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as Error).message).toContain(
      'stock.csv, row 4, column "Артикул": SKU a is listed twice (rows 2 and 4)',
    );
  });

  it('keeps SKU-less lines (tips, protection) as non-stock lines that never stop an order', async () => {
    const r = await analyse({
      orders: ordersCsv([
        {
          order: '#1',
          lines: [{ sku: 'A' }, { sku: '', name: 'Tip' }, { sku: '', name: 'Shipping protection', qty: 2 }],
        },
        { order: '#2', lines: [{ sku: '', name: 'Tip only' }] },
      ]),
      stock: stockCsv({ A: 1 }),
    });
    const one = order(r, '#1');
    expect(one.status).toBe('fulfillable');
    expect(one.item_count).toBe(1);
    expect(one.lines.filter((l) => !l.stock_line).map((l) => l.product_name)).toEqual([
      'Tip',
      'Shipping protection',
    ]);
    const list = r.lists.find((l) => l.name === 'DHL')!;
    expect(packingListOrders(list)[0]!.items).toEqual([{ sku: 'A', product_name: 'Склад A', quantity: 1 }]);
    expect(order(r, '#2')).toMatchObject({
      status: 'not_fulfillable',
      reasons: ['nothing to pack: no line has a SKU'],
    });
  });

  it('expands sets (nested too) into components and allocates those', async () => {
    const r = await analyse({
      orders: ordersCsv([
        { order: '#1', lines: [{ sku: 'SET-WINTER' }] },
        { order: '#2', lines: [{ sku: 'SET-BIG' }] },
      ]),
      stock: stockCsv({ 'CR-00012-M': 3, 5171: 4, BAG: 1 }),
      sets: 'Set_SKU,Component_SKU,Component_Quantity\nSET-WINTER,CR-00012-M,1\nSET-WINTER,5171,2\nSET-BIG,SET-WINTER,2\nSET-BIG,BAG,1\n',
    });
    expect(order(r, '#1').status).toBe('fulfillable');
    expect(order(r, '#1').pack.map((l) => [l.sku, l.quantity, l.set_sku])).toEqual([
      ['CR-00012-M', 1, 'SET-WINTER'],
      ['5171', 2, 'SET-WINTER'],
    ]);
    // SET-BIG = 2 × (1 cream + 2 shampoo) + bag: 2 cream left, 2 shampoo left, so it cannot ship.
    expect(order(r, '#2').reasons).toEqual(['5171: need 4, have 2']);
    expect(r.exports[0]!.rows).toEqual([
      { sku: '5171', product_name: 'Склад 5171', quantity: 2 },
      { sku: 'CR-00012-M', product_name: 'Склад CR-00012-M', quantity: 1 },
    ]);
  });

  it("takes a sets file's definition of a set over the client's own, and keeps the client's other sets", async () => {
    const r = await analyse({
      orders: ordersCsv([
        { order: '#1', lines: [{ sku: 'set-gift' }] },
        { order: '#2', lines: [{ sku: 'SET-TRAVEL' }] },
      ]),
      stock: stockCsv({ OLD: 5, NEW: 5, MINI: 5 }),
      settings: {
        sets: [
          { sku: 'SET-GIFT', components: [{ sku: 'OLD', quantity: 1 }] },
          { sku: 'SET-TRAVEL', components: [{ sku: 'MINI', quantity: 3 }] },
        ],
      },
      // Same set as the client's SET-GIFT (compared as the scanner compares), defined anew.
      sets: 'Set_SKU,Component_SKU,Component_Quantity\nset-gift,NEW,2\n',
    });
    expect(order(r, '#1').pack.map((l) => [l.sku, l.quantity])).toEqual([['NEW', 2]]);
    expect(order(r, '#2').pack.map((l) => [l.sku, l.quantity])).toEqual([['MINI', 3]]);
    expect(r.skus.find((s) => s.sku === 'OLD')).toMatchObject({ allocated: 0, stock_after: 5 });
  });

  it('refuses sets that contain a cycle', async () => {
    const err = await analyse({
      orders: ordersCsv([{ order: '#1', lines: [{ sku: 'S1' }] }]),
      stock: stockCsv({ A: 1 }),
      sets: 'Set_SKU,Component_SKU,Component_Quantity\nS1,S2,1\nS2,S1,1\n',
    }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/cycle \(S1 → S2 → S1\)/);
  });

  it('sorts #999 before #1000 when the rest is equal', async () => {
    const r = await analyse({
      orders: ordersCsv([
        { order: '#1000', lines: [{ sku: 'A' }] },
        { order: '#999', lines: [{ sku: 'A' }] },
      ]),
      stock: stockCsv({ A: 1 }),
    });
    expect(order(r, '#999').status).toBe('fulfillable');
    expect(order(r, '#1000').status).toBe('not_fulfillable');
  });

  it('keeps leading zeros, drops a spreadsheet .0, and compares SKUs as the scanner does', async () => {
    const r = await analyse({
      orders: ordersCsv([
        { order: '#1', lines: [{ sku: '07' }] },
        { order: '#2', lines: [{ sku: '7' }] },
        { order: '#3', lines: [{ sku: '5170.0' }] },
        { order: '#4', lines: [{ sku: 'cr 00012 m' }] },
      ]),
      stock: stockCsv({ '07': 1, 5170: 1, 'CR-00012-M': 1 }),
    });
    expect(order(r, '#1').status).toBe('fulfillable');
    expect(order(r, '#2').reasons).toEqual(['7: not in the stock file']);
    expect(order(r, '#3').status).toBe('fulfillable');
    expect(order(r, '#3').pack[0]!.sku).toBe('5170');
    expect(order(r, '#4').status).toBe('fulfillable');
  });
});

describe('reading the files', () => {
  it("takes each order's shipping method from its own first line, never from the order above", async () => {
    const r = await analyse({
      orders: ordersCsv([
        {
          order: '#1001',
          method: 'DHL Express Worldwide',
          country: 'DE',
          lines: [{ sku: 'A' }, { sku: 'B' }],
        },
        { order: '#1002', method: '', country: '', lines: [{ sku: 'A' }] },
      ]),
      stock: stockCsv({ A: 5, B: 5 }),
    });
    expect(order(r, '#1002')).toMatchObject({ courier: 'Unknown', country: '' });
    expect(r.lists.map((l) => l.name).sort()).toEqual(['DHL', 'Unknown']);
    expect(r.warnings.join('\n')).toContain('"(no shipping method)" (1)');
  });

  it('reads a cp1251 stock file separated by ";"', async () => {
    const text =
      'Артикул;Име;Наличност\r\nCR-00012-M;Крем за лице Роза 50мл;14\r\n07;Балсам за устни Арган;0\r\n';
    const r = await analyse({
      orders: ordersCsv([{ order: '#1', lines: [{ sku: 'CR-00012-M', qty: 2 }] }]),
      stock: cp1251(text),
    });
    expect(order(r, '#1').status).toBe('fulfillable');
    expect(packingListOrders(r.lists[0]!)[0]!.items[0]!.product_name).toBe('Крем за лице Роза 50мл');
  });

  it('merges several exports and takes an order in two of them once', async () => {
    const monday = ordersCsv([
      { order: '#1', lines: [{ sku: 'A' }] },
      { order: '#2', lines: [{ sku: 'A', qty: 2 }] },
    ]);
    const tuesday = ordersCsv([
      { order: '#2', lines: [{ sku: 'A', qty: 2 }] },
      { order: '#3', lines: [{ sku: 'A' }] },
    ]);
    const r = await analyse({ orders: [monday, tuesday], stock: stockCsv({ A: 10 }) });
    expect(r.counts.orders_total).toBe(3);
    expect(r.skus[0]!.allocated).toBe(4);
    expect(r.warnings.join('\n')).toMatch(/1 order\(s\) are in more than one export file \(#2\)/);
  });

  it('names file, row and column for a bad quantity, and lists the columns a file has when one is missing', async () => {
    const bad = ordersCsv([{ order: '#1', lines: [{ sku: 'A' }] }]).replace(
      ',1,Product A,',
      ',1.5,Product A,',
    );
    const err = (await analyse({ orders: bad, stock: stockCsv({ A: 1 }) }).catch(
      (e: unknown) => e,
    )) as ValidationError;
    expect(err.message).toContain(
      'orders_1.csv, row 2, column "Lineitem quantity": "1.5" is not a whole number',
    );
    const noSku = 'Name,Lineitem quantity\n#1,1\n';
    const err2 = (await analyse({ orders: noSku, stock: stockCsv({ A: 1 }) }).catch(
      (e: unknown) => e,
    )) as ValidationError;
    expect(err2.message).toContain('has no column "Lineitem sku"');
    expect(err2.message).toContain('Its columns are: Name, Lineitem quantity');
    const stockBad = (await analyse({
      orders: ordersCsv([{ order: '#1', lines: [{ sku: 'A' }] }]),
      stock: stockCsv({ A: 'lots' }),
    }).catch((e: unknown) => e)) as ValidationError;
    expect(stockBad.message).toContain('stock.csv, row 2, column "Наличност": "lots" is not a whole number');
    const empty = (await analyse({ orders: '', stock: stockCsv({ A: 1 }) }).catch(
      (e: unknown) => e,
    )) as ValidationError;
    expect(empty.message).toContain('orders_1.csv is empty');
  });
});

describe('field lengths', () => {
  it('shortens a long product name visibly, refuses an over-long SKU and a huge row with its row', async () => {
    const r = await analyse({
      orders: ordersCsv([
        { order: '#1', notes: 'n'.repeat(3000), lines: [{ sku: 'A', name: 'x'.repeat(1000) }] },
      ]),
      stock: stockCsv({ A: 1 }),
    });
    const o = order(r, '#1');
    expect(o.lines[0]!.product_name).toHaveLength(500);
    expect(o.lines[0]!.product_name.endsWith('…')).toBe(true);
    expect(o.notes).toHaveLength(2000);
    expect(r.warnings.join('\n')).toContain('2 text(s) were longer than packdesk keeps');
    const long = (await analyse({
      orders: ordersCsv([{ order: '#1', lines: [{ sku: 'S'.repeat(250) }] }]),
      stock: stockCsv({ A: 1 }),
    }).catch((e: unknown) => e)) as ValidationError;
    expect(long.message).toContain(
      'orders_1.csv, row 2, column "Lineitem sku": the SKU is longer than 200 characters',
    );
    const huge = (await analyse({
      orders: ordersCsv([{ order: '#1', lines: [{ sku: 'A', name: 'x'.repeat(1_000_000) }] }]),
      stock: stockCsv({ A: 1 }),
    }).catch((e: unknown) => e)) as ValidationError;
    expect(huge.message).toMatch(/orders_1\.csv near row 2: a row is longer than 64 KB/);
  });

  it('keeps the customer e-mail and name within the field limits, the name from billing else shipping', async () => {
    const long = `${'x'.repeat(300)}@example.com`;
    const r = await analyse({
      orders: [
        ordersCsv([
          { order: '#1', email: 'Ann@Example.com', customer: 'Ann Lee', lines: [{ sku: 'A' }] },
          { order: '#2', email: long, lines: [{ sku: 'A' }] },
        ]),
        // An export with only a shipping name: the name comes from there.
        'Name,Email,Lineitem quantity,Lineitem sku,Shipping Name\n#3,bo@example.com,1,A,Bo Ray\n',
      ],
      stock: stockCsv({ A: 5 }),
    });
    expect(order(r, '#1')).toMatchObject({ email: 'Ann@Example.com', customer_name: 'Ann Lee' });
    expect(order(r, '#2').email).toHaveLength(200);
    expect(order(r, '#2').email.endsWith('…')).toBe(true);
    expect(order(r, '#3')).toMatchObject({ email: 'bo@example.com', customer_name: 'Bo Ray' });
  });
});

describe('repeats', () => {
  it('flags an order whose customer e-mail was packed before only when the client asks for it', async () => {
    const files = {
      orders: ordersCsv([
        { order: '#7', email: 'ANN@example.com', lines: [{ sku: 'A' }] },
        { order: '#8', email: 'bo@example.com', lines: [{ sku: 'A' }] },
      ]),
      stock: stockCsv({ A: 5 }),
      packedEmails: ['ann@example.com'],
    };
    const byNumber = await analyse(files);
    expect([order(byNumber, '#7').repeat, order(byNumber, '#8').repeat]).toEqual([false, false]);
    const byEmail = await analyse({ ...files, settings: { repeat_by_email: true } });
    expect([order(byEmail, '#7').repeat, order(byEmail, '#8').repeat]).toEqual([true, false]);
  });
});

describe('rules', () => {
  it('holds an order, with the rule as the reason, and frees its stock', async () => {
    const r = await analyse({
      orders: ordersCsv([
        { order: '#1', notes: 'Please HOLD until Friday', lines: [{ sku: 'A' }, { sku: 'B' }] },
        { order: '#2', lines: [{ sku: 'A' }] },
      ]),
      stock: stockCsv({ A: 1, B: 1 }),
      settings: {
        rules: [
          {
            name: 'Customer asked to wait',
            conditions: [{ field: 'notes', operator: 'contains', value: 'hold' }],
            actions: [{ type: 'hold' }],
          },
        ],
      },
    });
    expect(order(r, '#1')).toMatchObject({
      status: 'held',
      reasons: ['held by rule "Customer asked to wait"'],
    });
    expect(order(r, '#2').status).toBe('fulfillable');
  });

  it('adds a gift that takes stock like any line', async () => {
    const r = await analyse({
      orders: ordersCsv([
        { order: '#1', total: '120.00', lines: [{ sku: 'A' }] },
        { order: '#2', total: '130.00', lines: [{ sku: 'A' }] },
        { order: '#3', total: '20.00', lines: [{ sku: 'A' }] },
      ]),
      stock: stockCsv({ A: 5, GIFT: 1 }),
      settings: {
        rules: [
          {
            name: 'Gift over 100',
            conditions: [{ field: 'total', operator: 'greater_than', value: 100 }],
            actions: [
              { type: 'add_item', sku: 'GIFT', quantity: 1 },
              { type: 'add_tag', tag: 'gift' },
            ],
          },
        ],
      },
    });
    expect(order(r, '#1').status).toBe('fulfillable');
    expect(order(r, '#1').tags).toEqual(['gift']);
    expect(order(r, '#2').reasons).toEqual(['GIFT: need 1, have 0']);
    expect(order(r, '#3').pack.map((l) => l.sku)).toEqual(['A']);
  });

  it('routes orders to a named list, and matches text literally', async () => {
    const r = await analyse({
      orders: ordersCsv([
        { order: '#1', tags: 'wholesale, B2B', lines: [{ sku: 'A' }] },
        { order: '#2', tags: 'retail', lines: [{ sku: 'A' }] },
        { order: '#3', tags: 'Express (EU)', lines: [{ sku: 'A' }] },
      ]),
      stock: stockCsv({ A: 5 }),
      settings: {
        rules: [
          {
            name: 'Wholesale',
            conditions: [{ field: 'tags', operator: 'equals', value: 'wholesale' }],
            actions: [{ type: 'set_list', list: 'Wholesale' }],
          },
          {
            name: 'Express',
            conditions: [{ field: 'tags', operator: 'contains', value: '(eu)' }],
            actions: [{ type: 'set_list', list: 'Express' }],
          },
        ],
      },
    });
    expect(order(r, '#1').list).toBe('Wholesale');
    expect(order(r, '#2').list).toBe('DHL');
    expect(order(r, '#3').list).toBe('Express');
  });

  it('puts orders on lists by definition, leaves excluded SKUs off, and numbers each list 1…N', async () => {
    const r = await analyse({
      orders: ordersCsv([
        { order: '#10', country: 'DE', lines: [{ sku: 'A' }, { sku: 'PROTECT' }] },
        { order: '#9', country: 'BG', lines: [{ sku: 'A' }] },
        { order: '#11', country: 'BG', lines: [{ sku: 'A' }, { sku: 'B' }] },
        { order: '#12', country: 'BG', lines: [{ sku: 'PROTECT' }] },
      ]),
      stock: stockCsv({ A: 9, B: 9, PROTECT: 9 }),
      settings: {
        packing_lists: [
          {
            name: 'Abroad',
            filters: [{ field: 'country', operator: 'not_equals', value: 'BG' }],
            exclude_skus: ['protect'],
          },
          {
            name: 'Singles',
            filters: [{ field: 'order_type', operator: 'equals', value: 'single' }],
            exclude_skus: ['PROTECT'],
          },
          { name: 'Rest' },
        ],
      },
    });
    const byName = Object.fromEntries(r.lists.map((l) => [l.name, packingListOrders(l)]));
    expect(
      byName.Abroad!.map((o) => [o.order_number, o.items.map((i) => i.sku), o.metadata.sequence]),
    ).toEqual([['#10', ['A'], 1]]);
    expect(byName.Singles!.map((o) => [o.order_number, o.metadata.sequence])).toEqual([['#9', 1]]);
    expect(byName.Rest!.map((o) => o.order_number)).toEqual(['#11']);
    expect(r.warnings.join('\n')).toContain('1 fulfillable order(s) have only excluded SKUs');
  });

  it('refuses a rule with an invalid regular expression when it is saved', async () => {
    const { PreparationSettingsSchema } = await import('../src/domain/preparation-settings.js');
    const parsed = PreparationSettingsSchema.safeParse({
      rules: [
        {
          name: 'x',
          conditions: [{ field: 'notes', operator: 'matches', value: '(' }],
          actions: [{ type: 'hold' }],
        },
      ],
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.path).toEqual(['rules', 0, 'conditions', 0, 'value']);
    expect(parsed.error!.issues[0]!.message).toMatch(/not a valid regular expression/);
  });
});

describe('edits before packing', () => {
  const files = {
    orders: ordersCsv([
      { order: '#1', lines: [{ sku: 'A', qty: 2 }, { sku: 'B' }] },
      { order: '#2', lines: [{ sku: 'A', qty: 2 }] },
    ]),
    stock: stockCsv({ A: 2, B: 1 }),
  };

  it('recomputes final stock after a hold, a release, a quantity change and an undo', async () => {
    const base = await analyse(files);
    expect([order(base, '#1').status, order(base, '#2').status]).toEqual(['fulfillable', 'not_fulfillable']);
    const held = await analyse({ ...files, edits: [edit(1, { type: 'hold', order: '1' })] });
    expect(order(held, '#1')).toMatchObject({ status: 'held', reasons: ['held by lead'] });
    // Held from a page where nobody chose a worker: the reason names the station, not "unknown".
    const anonymous = {
      ...edit(1, { type: 'hold', order: '1' }),
      by: { station: 'LEAD-PC', worker: 'unknown' },
    };
    expect(order(await analyse({ ...files, edits: [anonymous] }), '#1').reasons).toEqual([
      'held at station LEAD-PC',
    ]);
    expect(order(held, '#2').status).toBe('fulfillable');
    expect(held.skus.find((s) => s.sku === 'A')!.stock_after).toBe(0);
    // Released after #2 took the stock: it takes what is left, which is not enough.
    const released = await analyse({
      ...files,
      edits: [edit(1, { type: 'hold', order: '#1' }), edit(2, { type: 'release', order: '#1' })],
    });
    expect(order(released, '#1').reasons).toEqual(['A: need 2, have 0']);
    const smaller = await analyse({
      ...files,
      edits: [edit(1, { type: 'set_quantity', order: '#1', sku: 'a', quantity: 1 })],
    });
    expect(order(smaller, '#1').item_count).toBe(2);
    expect(smaller.skus.find((s) => s.sku === 'A')!.stock_after).toBe(1);
    const undone = await analyse({
      ...files,
      edits: [
        edit(1, { type: 'set_quantity', order: '#1', sku: 'A', quantity: 1 }),
        edit(2, { type: 'undo', undoes: 1 }),
      ],
    });
    expect(undone.skus).toEqual(base.skus);
    const removed = await analyse({ ...files, edits: [edit(1, { type: 'remove', order: '#1' })] });
    expect(removed.counts).toMatchObject({ orders_total: 1, removed: 1, fulfillable: 1 });
  });

  it('a bulk hold is one record that one undo takes back; a bulk tag is seen by the rules', async () => {
    const base = await analyse(files);
    const held = await analyse({ ...files, edits: [edit(1, { type: 'hold_many', orders: ['#1', '2'] })] });
    expect(held.counts).toMatchObject({ held: 2, fulfillable: 0 });
    expect(held.skus.find((s) => s.sku === 'A')!.stock_after).toBe(2);
    const undone = await analyse({
      ...files,
      edits: [edit(1, { type: 'hold_many', orders: ['#1', '#2'] }), edit(2, { type: 'undo', undoes: 1 })],
    });
    expect(undone.orders).toEqual(base.orders);
    const rule = {
      name: 'hold gifts',
      conditions: [{ field: 'tags', operator: 'equals', value: 'gift' }],
      actions: [{ type: 'hold' }],
    };
    const tagged = await analyse({
      ...files,
      settings: { rules: [rule] },
      edits: [edit(1, { type: 'tag_many', orders: ['#2'], tag: 'gift' })],
    });
    expect(order(tagged, '#2')).toMatchObject({ status: 'held', tags: ['gift'] });
    expect(order(tagged, '#2').reasons).toEqual(['held by rule "hold gifts"']);
    expect(order(tagged, '#1').tags).toEqual([]);
  });
});
