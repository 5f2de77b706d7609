// The orders table's index over an analysis: sorting, filters and search as the Prepare page asks them.
import { describe, expect, it } from 'vitest';
import { analysisFile } from '../src/domain/analysis-file.js';
import { AnalysisIndex, AnalysisQuerySchema, NO_LIST } from '../src/domain/analysis-query.js';
import { analyse, ordersCsv, stockCsv } from './helpers/preparation.js';

async function index(): Promise<AnalysisIndex> {
  const result = await analyse({
    orders: ordersCsv([
      { order: '#1000', method: 'DHL Express', lines: [{ sku: 'MUG', name: 'Red mug' }] },
      {
        order: '#999',
        method: 'DPD',
        country: 'DE',
        tags: 'vip, gift',
        email: 'Ana.Petrova@example.com',
        customer: 'Ana Petrova',
        lines: [{ sku: 'TEA', name: 'Green tea' }],
      },
      { order: '#1001', method: 'DHL Express', lines: [{ sku: 'LAMP', name: 'Desk lamp' }] },
      {
        order: '#20',
        method: 'Speedy',
        lines: [
          { sku: 'MUG', name: 'Red mug' },
          { sku: 'TEA', qty: 2 },
        ],
      },
    ]),
    stock: stockCsv({ MUG: 5, TEA: 5, LAMP: 0 }),
  });
  const doc = analysisFile(result, {
    client: 'SHOP',
    session: 'S',
    generatedAt: '2026-01-01T00:00:00Z',
    editsApplied: 0,
    inputs: [],
    exportFiles: {},
  });
  return new AnalysisIndex(doc, 3);
}

const q = (query: Record<string, unknown>) => AnalysisQuerySchema.parse(query);
const numbers = (i: AnalysisIndex, query: Record<string, unknown>) =>
  i.page(q(query)).rows.map((r) => r.order_number);

describe('the orders index', () => {
  it('sorts order numbers as numbers, both ways, and pages', async () => {
    const i = await index();
    expect(numbers(i, {})).toEqual(['#20', '#999', '#1000', '#1001']);
    expect(numbers(i, { dir: 'desc' })).toEqual(['#1001', '#1000', '#999', '#20']);
    expect(numbers(i, { sort: 'status' })[0]).toBe('#1001');
    const page = i.page(q({ offset: 1, limit: 2 }));
    expect(page).toMatchObject({ revision: 3, total: 4, offset: 1 });
    expect(page.rows.map((r) => r.order_number)).toEqual(['#999', '#1000']);
  });

  it('filters by facets and searches every word in order number, SKU and product name', async () => {
    const i = await index();
    expect(numbers(i, { courier: ['DHL'] })).toEqual(['#1000', '#1001']);
    expect(numbers(i, { tag: ['gift'] })).toEqual(['#999']);
    expect(numbers(i, { list: [NO_LIST] })).toEqual(['#1001']);
    expect(numbers(i, { status: ['not_fulfillable'] })).toEqual(['#1001']);
    expect(numbers(i, { q: 'red mug' })).toEqual(['#20', '#1000']);
    expect(numbers(i, { q: 'TEA speedy' })).toEqual(['#20']);
    expect(numbers(i, { q: '999' })).toEqual(['#999']);
    // By customer: the export's e-mail and billing name.
    expect(numbers(i, { q: 'ana.petrova@example' })).toEqual(['#999']);
    expect(numbers(i, { q: 'petrova ana' })).toEqual(['#999']);
    expect(i.orderNumbers({ ...q({ courier: ['DHL'] }) })).toEqual(['#1000', '#1001']);
  });

  it('gives an order with its stock, the summary, and condition previews', async () => {
    const i = await index();
    const d = i.detail('1001')!;
    expect(d.order.reasons).toEqual(['LAMP: need 1, have 0']);
    expect(d.stock).toEqual([
      { sku: 'LAMP', in_stock_file: true, stock_before: 0, stock_after: 0, low: true },
    ]);
    expect(i.detail('#404')).toBeNull();
    const s = i.summary();
    expect(s.top_short).toEqual([{ sku: 'LAMP', orders: 1 }]);
    expect(s.facets.courier).toEqual([
      { value: 'DHL', orders: 2 },
      { value: 'DPD', orders: 1 },
      { value: 'Speedy', orders: 1 },
    ]);
    expect(
      i.preview({
        match: 'all',
        conditions: [{ field: 'product_name', operator: 'contains', value: 'mug' }],
      }),
    ).toEqual({ revision: 3, orders: 2, of: 4, sample: ['#1000', '#20'] });
    // A rule on the customer e-mail is previewed on the e-mail analysis.json keeps.
    expect(
      i.preview({ match: 'all', conditions: [{ field: 'email', operator: 'contains', value: 'petrova' }] }),
    ).toMatchObject({ orders: 1, sample: ['#999'] });
  });
});
