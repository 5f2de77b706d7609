// analysis.json as a prepared session stores it: version 2 leaves out what most orders share (no
// reasons, no tags, pack = the stock lines), and reading it gives back every order whole, exactly as
// the analysis had it. Files written by version 1 (every field of every order) still read the same.
import { describe, expect, it } from 'vitest';
import { analysisFile, AnalysisFileSchema, ANALYSIS_FILE_VERSION } from '../src/domain/analysis-file.js';
import type { AnalysisResult } from '../src/domain/fulfilment-analysis.js';
import { preparedFiles } from '../src/app/prepare-session.js';
import { discardContent } from '../src/store/file-content.js';
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
  const data = await files.find((f) => f.path === 'analysis/analysis.json')!.data;
  if (typeof data === 'string') return data;
  if (data instanceof Uint8Array) return Buffer.from(data).toString('utf8');
  const chunks: Uint8Array[] = [];
  for await (const chunk of data) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

describe('analysis.json', () => {
  it('is written compactly and reads back with every order whole', async () => {
    const result = await mixedDay();
    const text = await storedText(result);
    const stored = JSON.parse(text) as { schema_version: number; orders: Array<Record<string, unknown>> };
    expect(stored.schema_version).toBe(ANALYSIS_FILE_VERSION);
    // A plain order carries neither empty fields nor a second copy of its lines.
    const plain = stored.orders.find((o) => o.order_number === '#5')!;
    expect(plain).not.toHaveProperty('pack');
    expect(plain).not.toHaveProperty('tags');
    expect(plain).not.toHaveProperty('reasons');
    expect(plain.lines).toEqual([{ sku: 'B', product_name: 'Product B', quantity: 3 }]);
    // The set order keeps its pack (components), and its tip is marked as no stock line.
    const set = stored.orders.find((o) => o.order_number === '#2')!;
    expect(set.pack).toEqual([
      { sku: 'A', product_name: '', quantity: 1, set_sku: 'SET-1' },
      { sku: 'C', product_name: '', quantity: 2, set_sku: 'SET-1' },
    ]);
    expect(set.lines).toContainEqual({ sku: '', product_name: 'Tip', quantity: 1, stock_line: false });
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

  it('reads a version 1 file (every field of every order) the same', async () => {
    const result = await mixedDay();
    const v1 = JSON.parse(JSON.stringify({ ...analysisFile(result, meta), schema_version: 1 })) as unknown;
    const read = AnalysisFileSchema.parse(v1);
    expect(read.schema_version).toBe(1);
    expect(read.orders).toEqual(result.orders);
    const v2 = AnalysisFileSchema.parse(JSON.parse(await storedText(result)));
    expect({ ...v2, schema_version: 1, generated_at: '', edits_applied: 0 }).toEqual({
      ...read,
      generated_at: '',
      edits_applied: 0,
    });
  });

  it('keeps the customer, and reads files written before it was kept with none', async () => {
    const result = await mixedDay();
    const text = await storedText(result);
    const stored = JSON.parse(text) as { orders: Array<Record<string, unknown>> };
    expect(stored.orders.find((o) => o.order_number === '#5')).toMatchObject({ email: 'c5@example.com' });
    expect(stored.orders.find((o) => o.order_number === '#5')).not.toHaveProperty('customer_name');
    for (const o of stored.orders) delete o.email;
    const older = AnalysisFileSchema.parse(stored);
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

  it('refuses a version it does not know', async () => {
    const v1 = JSON.parse(JSON.stringify(analysisFile(await mixedDay(), meta))) as Record<string, unknown>;
    expect(AnalysisFileSchema.safeParse({ ...v1, schema_version: 3 }).success).toBe(false);
  });
});
