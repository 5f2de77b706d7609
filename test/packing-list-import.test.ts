import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPackingList, listNameFromFile } from '../src/app/import-packing-list.js';
import { ValidationError } from '../src/domain/errors.js';
import { buildPackingListIndex } from '../src/domain/packing-list.js';
import type { ColumnMapping } from '../src/domain/packing-list-import.js';
import { buildZip, deflatedEntry, zerosDeflated } from './helpers/zip-builder.js';
import { cp1251 } from './helpers/encodings.js';

const COLUMNS: ColumnMapping = {
  order_number: 'Order_Number',
  sku: 'SKU',
  product_name: 'Product_Name',
  quantity: 'Quantity',
  courier: 'Courier',
};
const NOW = new Date('2026-02-16T08:30:00.000Z');

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'plimport-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function write(name: string, data: string | Buffer): Promise<string> {
  const file = path.join(dir, name);
  await fs.writeFile(file, data);
  return file;
}

async function refused(file: string, columns = COLUMNS): Promise<ValidationError> {
  const err = await importPackingList(file, { columns, now: NOW }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ValidationError);
  return err as ValidationError;
}

const CSV_ROWS = [
  ['Order_Number', 'SKU', 'Product_Name', 'Quantity', 'Courier', 'Destination_Country'],
  ['#1001', 'CR-00012-M', 'Rose Face Cream 50ml', '2', 'DHL', 'BG'],
  ['#1001', 'SET-WINTER', 'Gift set winter', '1', '', ''],
  ['#1002', '07', 'Argan Lip Balm', '1', 'Speedy', 'DE'],
];

describe('good files', () => {
  it('CSV with semicolons and a BOM: lines grouped into orders, other columns kept as metadata', async () => {
    const text = CSV_ROWS.map((r) => r.join(';')).join('\r\n');
    const file = await write(
      'DHL orders.csv',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
    );
    const { list, warnings } = await importPackingList(file, { columns: COLUMNS, now: NOW });
    expect(warnings).toEqual([]);
    expect(list).toMatchObject({
      format_version: 1,
      list_name: 'DHL_orders',
      created_at: NOW.toISOString(),
      source: { format: 'csv', file: 'DHL orders.csv', encoding: 'utf-8-bom', delimiter: ';' },
    });
    expect(list.orders).toEqual([
      {
        order_number: '#1001',
        courier: 'DHL',
        items: [
          { sku: 'CR-00012-M', product_name: 'Rose Face Cream 50ml', quantity: 2 },
          { sku: 'SET-WINTER', product_name: 'Gift set winter', quantity: 1 },
        ],
        metadata: { Destination_Country: 'BG' },
      },
      {
        order_number: '#1002',
        courier: 'Speedy',
        items: [{ sku: '07', product_name: 'Argan Lip Balm', quantity: 1 }],
        metadata: { Destination_Country: 'DE' },
      },
    ]);
  });

  it('CSV in windows-1251 with the client’s own (Cyrillic) column names', async () => {
    const columns: ColumnMapping = {
      order_number: 'Заказ',
      sku: 'Артикул',
      product_name: 'Название',
      quantity: 'Количество',
      courier: 'Курьер',
    };
    const file = await write(
      'cyr.csv',
      cp1251('Заказ\tАртикул\tНазвание\tКоличество\tКурьер\n1001\tКР-1\tКрем\t3\tСпиди\n'),
    );
    const { list } = await importPackingList(file, { columns, now: NOW });
    expect(list.source.encoding).toBe('windows-1251');
    expect(list.orders[0]).toMatchObject({
      order_number: '1001',
      courier: 'Спиди',
      items: [{ sku: 'КР-1', product_name: 'Крем', quantity: 3 }],
    });
  });

  it('XLSX (numbers as order numbers and quantities), headers matched ignoring case and underscores', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('List');
    ws.addRow(['order number', 'sku', 'Product Name', 'QUANTITY', 'courier', 'Notes']);
    ws.addRow([1001, 'CR-1', 'Cream', 2, 'DHL', 'fragile']);
    ws.addRow([1001, 'LB-7', 'Balm', 1.0, 'DHL', null]);
    const file = path.join(dir, 'list.xlsx');
    await wb.xlsx.writeFile(file);
    const { list } = await importPackingList(file, {
      columns: COLUMNS,
      now: NOW,
      listName: 'DHL-2026-02-16',
    });
    expect(list.list_name).toBe('DHL-2026-02-16');
    expect(list.source).toMatchObject({ format: 'xlsx', sheet: 'List' });
    expect(list.orders).toEqual([
      {
        order_number: '1001',
        courier: 'DHL',
        items: [
          { sku: 'CR-1', product_name: 'Cream', quantity: 2 },
          { sku: 'LB-7', product_name: 'Balm', quantity: 1 },
        ],
        metadata: { Notes: 'fragile' },
      },
    ]);
  });

  it("the Shopify Tool's JSON: orders, items and metadata, its 'nan' blanks cleaned", async () => {
    const shopify = {
      session_id: '2026-02-16_1',
      created_at: '2026-02-16T07:00:00',
      total_orders: 2,
      orders: [
        {
          order_number: '#1001',
          order_type: 'Multi',
          courier: 'DHL',
          shipping_provider: 'DHL',
          destination_country: 'BG',
          tags: ['VIP', 'Priority'],
          notes: 'nan',
          items: [
            { sku: 'CR-00012-M', quantity: 2, product_name: 'Rose Face Cream 50ml', status_note: '' },
            { sku: 'SET-WINTER', quantity: '1', product_name: 'Gift set winter' },
          ],
        },
        { order_number: '#1003', courier: 'DHL', items: [] },
        {
          order_number: 1002,
          shipping_provider: 'Speedy',
          tags: ['nan'],
          items: [{ sku: '07', quantity: 1.0, product_name: 'Argan Lip Balm' }],
        },
      ],
    };
    const file = await write('DHL.json', JSON.stringify(shopify));
    const { list, warnings } = await importPackingList(file, { columns: COLUMNS, now: NOW });
    expect(list.source.format).toBe('shopify-json');
    expect(list.created_at).toBe('2026-02-16T07:00:00');
    expect(list.orders).toHaveLength(2);
    expect(list.orders[0]).toMatchObject({
      order_number: '#1001',
      courier: 'DHL',
      items: [
        { sku: 'CR-00012-M', quantity: 2 },
        { sku: 'SET-WINTER', quantity: 1 },
      ],
      metadata: { order_type: 'Multi', destination_country: 'BG', tags: ['VIP', 'Priority'], notes: '' },
    });
    expect(list.orders[1]).toMatchObject({ order_number: '1002', courier: 'Speedy', metadata: { tags: [] } });
    expect(warnings).toEqual(['Order #1003 has no items and was left out (nothing to pack).']);
  });

  it('a workbook with the wrong extension is still read as a workbook', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('List');
    ws.addRow(['Order_Number', 'SKU', 'Product_Name', 'Quantity', 'Courier']);
    ws.addRow(['A-1', 'X', 'x', 1, 'DHL']);
    const file = await write('misnamed.json', Buffer.from(await wb.xlsx.writeBuffer()));
    const { list } = await importPackingList(file, { columns: COLUMNS, now: NOW });
    expect(list.source.format).toBe('xlsx');
    expect(list.orders[0]!.order_number).toBe('A-1');
  });

  it("packdesk's own JSON round-trips", async () => {
    const csv = await write('rt.csv', CSV_ROWS.map((r) => r.join(',')).join('\n'));
    const { list } = await importPackingList(csv, { columns: COLUMNS, now: NOW });
    const file = await write('rt.json', JSON.stringify(list));
    const again = await importPackingList(file, { columns: COLUMNS, now: NOW });
    expect(again.list.orders).toEqual(list.orders);
    expect(again.list.source.format).toBe('packdesk-json');
  });

  it('warns when two SKUs of one order scan as the same code', async () => {
    const file = await write(
      'collide.csv',
      'Order_Number,SKU,Product_Name,Quantity,Courier\n1,AB-1,x,1,DHL\n1,ab_1,y,2,DHL\n',
    );
    const { list, warnings } = await importPackingList(file, { columns: COLUMNS, now: NOW });
    expect(warnings[0]).toContain('"AB-1" and "ab_1" scan as the same code');
    expect(buildPackingListIndex(list).orders[0]!.skus.get('ab1')!.required).toBe(3);
  });

  it('makes safe list names from file names', () => {
    expect(listNameFromFile('DHL orders (16.02).xlsx')).toBe('DHL_orders_16.02');
    expect(listNameFromFile('CON.csv')).toBe('list_CON');
    expect(listNameFromFile('###.csv')).toBe('list');
  });
});

describe('bad files: a clear error, nothing imported', () => {
  it('a missing column is named, with the columns the file does have', async () => {
    const file = await write('nocourier.csv', 'Order_Number,SKU,Product_Name,Quantity\n1,A,x,1\n');
    const err = await refused(file);
    expect(err.message).toContain('nocourier.csv is missing the column "Courier" (courier)');
    expect(err.message).toContain('Its columns are: "Order_Number", "SKU", "Product_Name", "Quantity"');
  });

  it('text in quantity names file, row and column; the good rows are not imported either', async () => {
    const rows = [
      ...CSV_ROWS,
      ['#1003', 'X-1', 'Thing', 'two', 'DHL', 'BG'],
      ['#1004', 'X-2', 'Thing', '0', 'DHL', 'BG'],
    ];
    const file = await write('qty.csv', rows.map((r) => r.join(',')).join('\n'));
    const err = await refused(file);
    expect(err.message).toContain('qty.csv was not imported: 2 problems');
    expect(err.message).toContain('row 5, column "Quantity": "two" is not a whole number');
    expect(err.message).toContain('row 6, column "Quantity": the quantity must be at least 1');
    expect(err.details.problems).toEqual([
      { file: 'qty.csv', row: 5, column: 'Quantity', message: '"two" is not a whole number' },
      { file: 'qty.csv', row: 6, column: 'Quantity', message: 'the quantity must be at least 1 (it is 0)' },
    ]);
  });

  it('empty SKU, empty order number and a conflicting courier are row errors', async () => {
    const file = await write(
      'rows.csv',
      'Order_Number,SKU,Product_Name,Quantity,Courier\n1,,x,1,DHL\n,B,x,1,DHL\n2,C,x,1,DHL\n2,D,x,1,DPD\n',
    );
    const err = await refused(file);
    expect(err.details.problems).toEqual([
      { file: 'rows.csv', row: 2, column: 'SKU', message: 'the SKU is empty' },
      { file: 'rows.csv', row: 3, column: 'Order_Number', message: 'the order number is empty' },
      {
        file: 'rows.csv',
        row: 5,
        column: 'Courier',
        message:
          'order 2 has courier "DHL" on an earlier line and "DPD" here; an order ships with one courier',
      },
    ]);
  });

  it('an order without any courier is an error at its first row', async () => {
    const file = await write('nocour.csv', 'Order_Number,SKU,Product_Name,Quantity,Courier\n1,A,x,1,\n');
    const err = await refused(file);
    expect(err.message).toContain('row 2, column "Courier": order 1 has no courier');
  });

  it('an empty file', async () => {
    const err = await refused(await write('empty.csv', ''));
    expect(err.message).toContain('empty.csv is empty');
  });

  it('a header without any orders', async () => {
    const err = await refused(await write('header.csv', 'Order_Number,SKU,Product_Name,Quantity,Courier\n'));
    expect(err.message).toContain('header.csv has no orders to pack');
  });

  it('a zip that is not an xlsx', async () => {
    const err = await refused(await write('archive.xlsx', buildZip([deflatedEntry('readme.txt', 'hi')])));
    expect(err.message).toContain('archive.xlsx is a zip archive, not an Excel workbook');
  });

  it('a 1 GB decompression bomb is refused quickly', async () => {
    const zeros = await zerosDeflated(1024);
    const bomb = buildZip([
      deflatedEntry('[Content_Types].xml', '<Types/>'),
      deflatedEntry('xl/workbook.xml', '<workbook/>'),
      { name: 'xl/worksheets/sheet1.xml', compressed: zeros, uncompressedSize: 1024 ** 3, crc: 0 },
    ]);
    const file = await write('orders.xlsx', bomb);
    const started = performance.now();
    const err = await refused(file);
    expect(performance.now() - started).toBeLessThan(500);
    expect(err.message).toContain('orders.xlsx was refused');
  });

  it('JSON that is broken, or not a packing list', async () => {
    expect((await refused(await write('broken.json', '{"orders": ['))).message).toContain(
      'broken.json is not valid JSON',
    );
    expect((await refused(await write('other.json', '{"mappings": {}}'))).message).toContain(
      'other.json is not a packing list',
    );
  });

  it('Shopify JSON problems are named by order and field', async () => {
    const file = await write(
      'bad-shopify.json',
      JSON.stringify({
        orders: [
          { order_number: '#1', items: [{ sku: 'A', quantity: 1 }] },
          { order_number: '#2', courier: 'DHL', items: [{ sku: 'B', quantity: 'lots' }] },
        ],
      }),
    );
    const err = await refused(file);
    expect(err.details.problems).toEqual([
      {
        file: 'bad-shopify.json',
        row: 'orders[1] (order #2).items[0]',
        column: 'quantity',
        message: '"lots" is not a whole number',
      },
      {
        file: 'bad-shopify.json',
        row: 'orders[0] (order #1)',
        column: 'courier',
        message: 'order #1 has no courier',
      },
    ]);
  });

  it('packdesk JSON that fails its schema names the field', async () => {
    const err = await refused(
      await write(
        'pd.json',
        JSON.stringify({
          format_version: 1,
          list_name: 'x',
          created_at: 'now',
          source: { format: 'csv', file: 'a', imported_at: 'now' },
          orders: [
            { order_number: '1', courier: 'DHL', items: [{ sku: 'A', product_name: '', quantity: -1 }] },
          ],
        }),
      ),
    );
    expect(err.message).toContain('orders[0].items[0].quantity');
  });

  it('two orders that scan as the same number are refused in packdesk JSON', async () => {
    const order = (n: string) => ({
      order_number: n,
      courier: 'DHL',
      items: [{ sku: 'A', product_name: '', quantity: 1 }],
      metadata: {},
    });
    const err = await refused(
      await write(
        'dupe.json',
        JSON.stringify({
          format_version: 1,
          list_name: 'x',
          created_at: 'now',
          source: { format: 'csv', file: 'a', imported_at: 'now' },
          orders: [order('#1001'), order('1001')],
        }),
      ),
    );
    expect(err.message).toContain('scan as the same order number');
  });
});

describe('size', () => {
  function listOf(n: number) {
    const orders = Array.from({ length: n }, (_, i) => ({
      order_number: `#${100000 + i}`,
      courier: 'DHL',
      items: [
        { sku: `SKU-${i % 997}`, product_name: 'x', quantity: 1 },
        { sku: `SKU-${(i * 7) % 991}-B`, product_name: 'y', quantity: 2 },
      ],
      metadata: {},
    }));
    return {
      format_version: 1 as const,
      list_name: 'big',
      created_at: '',
      source: { format: 'csv' as const, file: 'big.csv', imported_at: '' },
      orders,
    };
  }
  // How long opening takes is measured by `npm run bench` (list open at 50,000 orders), not asserted here:
  // timings in tests fail on a busy machine without saying anything about the code.
  it('indexes a 50,000-order list completely', () => {
    const index = buildPackingListIndex(listOf(50_000));
    expect(index.totalOrders).toBe(50_000);
    expect(index.totalItems).toBe(150_000);
    expect(index.byKey.get('149999')!.order.order_number).toBe('#149999');
  });
});
