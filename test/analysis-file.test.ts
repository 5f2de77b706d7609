// analysis.json as a prepared session stores it: version 3 stores each order as a row and each line
// as [product, quantity] over one products table, leaves out what most orders do not have (reasons,
// tags, pack = the stock lines), and reading it gives back every order whole, exactly as the analysis
// had it. Files written by version 1 (every field of every order) and version 2 (an object per order
// without its empty fields) still read the same.
import { describe, expect, it } from 'vitest';
import {
  analysisFile,
  AnalysisFileSchema,
  ANALYSIS_FILE_VERSION,
  ORDER_COLUMNS,
} from '../src/domain/analysis-file.js';
import type { AnalysedLine, AnalysedOrder, AnalysisResult } from '../src/domain/fulfilment-analysis.js';
import { preparedFiles } from '../src/app/prepare-session.js';
import { contentBytes, discardContent } from '../src/store/file-content.js';
import { defaultPreparationSettings } from '../src/domain/preparation-settings.js';
import { analyse, edit, ordersCsv, stockCsv } from './helpers/preparation.js';

async function mixedDay(): Promise<AnalysisResult> {
  return analyse({
    orders: ordersCsv([
      { order: '#1', lines: [{ sku: 'A' }, { sku: 'B', qty: 2 }] },
      // A set, a SKU-less tip, tags and notes: the fields version 2 keeps.
      {
        order: '#2',
        tags: 'VIP, wholesale',
        notes: 'call first',
        lines: [{ sku: 'SET-1' }, { sku: '', name: 'Tip' }],
      },
      { order: '#3', lines: [{ sku: 'MISSING' }] },
      { order: '#4', total: '200', lines: [{ sku: 'A' }, { sku: '', name: 'Shipping protection' }] },
      { order: '#5', lines: [{ sku: 'B', qty: 3 }] },
    ]),
    stock: stockCsv({ A: 5, B: 4, C: 3, GIFT: 10 }),
    sets: 'Set_SKU,Component_SKU,Component_Quantity\nSET-1,A,1\nSET-1,C,2\n',
    settings: {
      rules: [
        {
          name: 'Gift',
          conditions: [{ field: 'total', operator: 'greater_than', value: 150 }],
          actions: [{ type: 'add_item', sku: 'GIFT', quantity: 1 }],
        },
      ],
    },
    edits: [edit(1, { type: 'hold', order: '#1', reason: 'customer called' })],
  });
}

const meta = {
  client: 'M',
  session: 'S1',
  generatedAt: '2026-12-06T10:00:00Z',
  editsApplied: 1,
  inputs: [],
  exportFiles: { writeoff: ['exports/writeoff.xlsx', 'exports/writeoff.csv'] },
};

async function storedText(result: AnalysisResult): Promise<string> {
  const { files } = await preparedFiles(result, {
    client: meta.client,
    session: meta.session,
    now: meta.generatedAt,
    settings: defaultPreparationSettings(),
    inputs: [],
    edits: [],
  });
  // The other files (the workbook is being made already) are not wanted: released as a failed write would.
  await Promise.all(
    files.filter((f) => f.path !== 'analysis/analysis.json').map((f) => discardContent(f.data)),
  );
  return (await contentBytes(files.find((f) => f.path === 'analysis/analysis.json')!.data)).toString('utf8');
}

/** An order as version 2 (packdesk of 2026-12-06) stored it, to read files sessions of then hold. */
function version2Order(o: AnalysedOrder): Record<string, unknown> {
  const line = (l: AnalysedLine) => ({
    sku: l.sku,
    product_name: l.product_name,
    quantity: l.quantity,
    ...(l.stock_line ? {} : { stock_line: false }),
    ...(l.source === 'export' ? {} : { source: l.source }),
    ...(l.set_sku === null ? {} : { set_sku: l.set_sku }),
  });
  const stockLines = o.lines.filter((l) => l.stock_line);
  const packIsStockLines =
    o.pack.length === stockLines.length &&
    o.pack.every((p, i) => JSON.stringify(p) === JSON.stringify(stockLines[i]));
  return {
    order_number: o.order_number,
    key: o.key,
    status: o.status,
    courier: o.courier,
    shipping_method: o.shipping_method,
    country: o.country,
    created_at: o.created_at,
    total: o.total,
    subtotal: o.subtotal,
    order_type: o.order_type,
    item_count: o.item_count,
    repeat: o.repeat,
    list: o.list,
    sequence: o.sequence,
    lines: o.lines.map(line),
    ...(o.reasons.length > 0 ? { reasons: o.reasons } : {}),
    ...(o.short.length > 0 ? { short: o.short } : {}),
    ...(o.tags.length > 0 ? { tags: o.tags } : {}),
    ...(o.notes !== '' ? { notes: o.notes } : {}),
    ...(o.email !== '' ? { email: o.email } : {}),
    ...(o.customer_name !== '' ? { customer_name: o.customer_name } : {}),
    ...(Object.keys(o.extra).length > 0 ? { extra: o.extra } : {}),
    ...(packIsStockLines ? {} : { pack: o.pack.map(line) }),
  };
}

type Row = [string, ...unknown[]];
interface Stored {
  schema_version: number;
  order_columns: string[];
  products: Array<[string, string]>;
  orders: Row[];
}

describe('analysis.json', () => {
  it('is written compactly and reads back with every order whole', async () => {
    const result = await mixedDay();
    const text = await storedText(result);
    const stored = JSON.parse(text) as Stored;
    expect(stored.schema_version).toBe(ANALYSIS_FILE_VERSION);
    expect(stored.order_columns).toEqual([...ORDER_COLUMNS]);
    const row = (order: string) => stored.orders.find((o) => o[0] === order)!;
    const product = (at: unknown) => stored.products[at as number];
    const col = (name: (typeof ORDER_COLUMNS)[number]) => ORDER_COLUMNS.indexOf(name);
    // Each product once, however many lines name it.
    expect(new Set(stored.products.map((p) => JSON.stringify(p))).size).toBe(stored.products.length);
    const plain = row('#5');
    expect(plain[col('more')]).toEqual({});
    expect(plain[col('lines')]).toEqual([[stored.products.findIndex((p) => p[0] === 'B'), 3]]);
    expect(product((plain[col('lines')] as number[][])[0]![0])).toEqual(['B', 'Product B']);
    // The set order keeps its pack (components), and its tip is marked as no stock line.
    const set = row('#2');
    const more = set[col('more')] as {
      pack: Array<[number, number, object?]>;
      tags: string[];
      notes: string;
    };
    expect(more.tags).toEqual(['VIP', 'wholesale']);
    expect(more.notes).toBe('call first');
    expect(more.pack.map(([p, q, marks]) => [product(p), q, marks])).toEqual([
      [['A', ''], 1, { set_sku: 'SET-1' }],
      [['C', ''], 2, { set_sku: 'SET-1' }],
    ]);
    const tip = (set[col('lines')] as Array<[number, number, object?]>).find(
      ([p]) => product(p)![1] === 'Tip',
    )!;
    expect(tip[2]).toEqual({ stock_line: false });
    expect(row('#3')[col('more')]).toMatchObject({ reasons: ['MISSING: not in the stock file'] });
    const read = AnalysisFileSchema.parse(JSON.parse(text));
    expect(read.orders).toEqual(result.orders);
    expect(read.orders.find((o) => o.order_number === '#4')!.lines.at(-1)).toEqual({
      sku: 'GIFT',
      product_name: '',
      quantity: 1,
      stock_line: true,
      source: 'rule',
      set_sku: null,
    });
    expect(read.counts).toEqual(result.counts);
    expect(read.skus).toEqual(result.skus);
  });

  it('reads version 1 (every field of every order) and version 2 (an object per order) files the same', async () => {
    const result = await mixedDay();
    const v1 = JSON.parse(JSON.stringify({ ...analysisFile(result, meta), schema_version: 1 })) as unknown;
    const read = AnalysisFileSchema.parse(v1);
    expect(read.schema_version).toBe(1);
    expect(read.orders).toEqual(result.orders);
    const v2 = JSON.parse(
      JSON.stringify({
        ...analysisFile(result, meta),
        schema_version: 2,
        orders: result.orders.map(version2Order),
      }),
    ) as unknown;
    expect(AnalysisFileSchema.parse(v2)).toEqual({ ...read, schema_version: 2 });
    const v3 = AnalysisFileSchema.parse(JSON.parse(await storedText(result)));
    expect({ ...v3, schema_version: 1, generated_at: '', edits_applied: 0 }).toEqual({
      ...read,
      generated_at: '',
      edits_applied: 0,
    });
  });

  it('keeps the customer, and reads files written before it was kept with none', async () => {
    const result = await mixedDay();
    const stored = JSON.parse(await storedText(result)) as Stored;
    const five = stored.orders.find((o) => o[0] === '#5')!;
    expect(five[ORDER_COLUMNS.indexOf('email')]).toBe('c5@example.com');
    expect(five[ORDER_COLUMNS.indexOf('customer_name')]).toBe('');
    const v2 = JSON.parse(
      JSON.stringify({
        ...analysisFile(result, meta),
        schema_version: 2,
        orders: result.orders.map(version2Order),
      }),
    ) as { orders: Array<Record<string, unknown>> };
    for (const o of v2.orders) delete o.email;
    const older = AnalysisFileSchema.parse(v2);
    expect(older.orders.map((o) => [o.email, o.customer_name])).toEqual(result.orders.map(() => ['', '']));
    const v1 = JSON.parse(JSON.stringify({ ...analysisFile(result, meta), schema_version: 1 })) as {
      orders: Array<Record<string, unknown>>;
    };
    for (const o of v1.orders) {
      delete o.email;
      delete o.customer_name;
    }
    expect(AnalysisFileSchema.parse(v1).orders[0]).toMatchObject({ email: '', customer_name: '' });
  });

  it('refuses a version it does not know, other columns, and a line naming no product', async () => {
    const text = await storedText(await mixedDay());
    const stored = JSON.parse(text) as Stored;
    expect(AnalysisFileSchema.safeParse(stored).success).toBe(true);
    expect(AnalysisFileSchema.safeParse({ ...stored, schema_version: 4 }).success).toBe(false);
    expect(
      AnalysisFileSchema.safeParse({ ...stored, order_columns: [...stored.order_columns].reverse() }).success,
    ).toBe(false);
    const lines = ORDER_COLUMNS.indexOf('lines');
    const broken = JSON.parse(text) as Stored;
    broken.orders[0]![lines] = [[stored.products.length, 1]];
    const read = AnalysisFileSchema.safeParse(broken);
    expect(read.success).toBe(false);
    expect(read.error?.issues.some((i) => /not in products/.test(i.message))).toBe(true);
  });
});
