import { promises as fs } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../src/domain/errors.js';
import { readTabularFile } from '../src/store/tabular-file.js';
import { buildZip, deflatedEntry, zerosDeflated } from './helpers/zip-builder.js';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tabular-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function write(name: string, data: string | Buffer): Promise<string> {
  const file = path.join(dir, name);
  await fs.writeFile(file, data);
  return file;
}

/** windows-1251 for ASCII + Cyrillic, as a Russian/Bulgarian Excel saves CSV. */
function cp1251(text: string): Buffer {
  return Buffer.from(
    [...text].map((ch) => {
      const c = ch.codePointAt(0)!;
      if (c < 0x80) return c;
      if (c >= 0x410 && c <= 0x44f) return c - 0x410 + 0xc0;
      if (c === 0x401) return 0xa8;
      if (c === 0x451) return 0xb8;
      throw new Error(`not in cp1251 test table: ${ch}`);
    }),
  );
}

async function rejection(p: Promise<unknown>): Promise<ValidationError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ValidationError);
  return err as ValidationError;
}

describe('CSV', () => {
  it.each([
    [',', 'comma'],
    [';', 'semicolon'],
    ['\t', 'tab'],
    ['|', 'pipe'],
  ])('detects the %s delimiter (%s)', async (d) => {
    const file = await write(
      `d-${d === '\t' ? 'tab' : d === '|' ? 'pipe' : d === ';' ? 'semi' : 'comma'}.csv`,
      [`Order${d}SKU${d}Qty`, `#1001${d}CR-1${d}2`, `#1002${d}LB-7${d}1`].join('\r\n'),
    );
    const t = await readTabularFile(file);
    expect(t.delimiter).toBe(d);
    expect(t.headers).toEqual(['Order', 'SKU', 'Qty']);
    expect(t.rows).toEqual([
      { row: 2, values: { Order: '#1001', SKU: 'CR-1', Qty: '2' } },
      { row: 3, values: { Order: '#1002', SKU: 'LB-7', Qty: '1' } },
    ]);
  });

  it('does not split on commas inside quotes when the file is semicolon-separated', async () => {
    const file = await write(
      'quoted.csv',
      'Name;Price;Note\n"Cream, 50ml";"19,90";"a;b"\n"Balm";"9,90";""\n',
    );
    const t = await readTabularFile(file);
    expect(t.delimiter).toBe(';');
    expect(t.rows[0]!.values).toEqual({ Name: 'Cream, 50ml', Price: '19,90', Note: 'a;b' });
  });

  it('reads UTF-8 with a BOM without putting the BOM into the first header', async () => {
    const file = await write(
      'bom.csv',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Артикул,Количество\nКР-1,3\n')]),
    );
    const t = await readTabularFile(file);
    expect(t.encoding).toBe('utf-8-bom');
    expect(t.headers).toEqual(['Артикул', 'Количество']);
    expect(t.rows[0]!.values['Артикул']).toBe('КР-1');
  });

  it('reads windows-1251 (Cyrillic Excel) when the bytes are not UTF-8', async () => {
    const file = await write('cp1251.csv', cp1251('Заказ;Артикул;Название\n1001;КР-1;Крем для лица Ёлка\n'));
    const t = await readTabularFile(file);
    expect(t.encoding).toBe('windows-1251');
    expect(t.rows[0]!.values).toEqual({ Заказ: '1001', Артикул: 'КР-1', Название: 'Крем для лица Ёлка' });
  });

  it('reports rows by the number Excel shows, skipping blank lines but counting them, and keeps multi-line cells', async () => {
    const file = await write('rows.csv', 'a,b\n1,x\n\n2,"two\nlines"\n ,  \n3,y\n');
    const t = await readTabularFile(file);
    expect(t.rows.map((r) => r.row)).toEqual([2, 4, 6]);
    expect(t.rows[1]!.values.b).toBe('two\nlines');
  });

  it('trims cells and fills missing trailing cells with empty strings', async () => {
    const file = await write('short.csv', ' Order , SKU ,Qty\n 1001 , A \n');
    const t = await readTabularFile(file);
    expect(t.headers).toEqual(['Order', 'SKU', 'Qty']);
    expect(t.rows[0]!.values).toEqual({ Order: '1001', SKU: 'A', Qty: '' });
  });

  it('refuses an empty file, naming it', async () => {
    const err = await rejection(readTabularFile(await write('empty.csv', '')));
    expect(err.message).toContain('empty.csv is empty');
  });

  it('refuses a file of blank lines: no header row', async () => {
    const err = await rejection(readTabularFile(await write('blank.csv', '\n ,,\n\n')));
    expect(err.message).toMatch(/blank\.csv has no header row/);
  });

  it('refuses duplicate headers, naming both columns', async () => {
    const err = await rejection(readTabularFile(await write('dup.csv', 'SKU,Qty,sku\nA,1,B\n')));
    expect(err.message).toContain('dup.csv');
    expect(err.message).toContain('"sku" appears twice (columns A and C)');
  });

  it('refuses an empty header in the middle of the header row', async () => {
    const err = await rejection(readTabularFile(await write('gap.csv', 'SKU,,Qty\nA,1,2\n')));
    expect(err.message).toContain('empty header in column B');
  });

  it('refuses a value in a column that has no header, naming the row', async () => {
    const err = await rejection(readTabularFile(await write('extra.csv', 'SKU,Qty\nA,1\nB,2,oops\n')));
    expect(err.message).toContain('extra.csv, row 3');
    expect(err.details).toMatchObject({ row: 3, column: 'C' });
  });

  it('says when a file does not exist', async () => {
    await expect(readTabularFile(path.join(dir, 'nope.csv'))).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('nope.csv was not found'),
    });
  });
});

describe('XLSX', () => {
  it('reads the first worksheet with Excel row numbers and cell text', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Orders');
    wb.addWorksheet('Other').addRow(['ignored']);
    ws.addRow(['Order_Number', 'SKU', 'Quantity', 'Note', 'Date']);
    ws.addRow([
      1001,
      'CR-1',
      2,
      { richText: [{ text: 'fra' }, { text: 'gile' }] },
      new Date(Date.UTC(2026, 1, 16)),
    ]);
    ws.addRow([]);
    ws.addRow(['#1002', 'LB-7', { formula: '1+1', result: 2 }, null, null]);
    ws.getCell('A5').value = 4006381333931;
    ws.getCell('B5').value = 'EAN';
    ws.getCell('C5').value = 1;
    ws.getCell('D5').value = 0.1 + 0.2;
    const file = path.join(dir, 'list.xlsx');
    await wb.xlsx.writeFile(file);
    const t = await readTabularFile(file);
    expect(t.format).toBe('xlsx');
    expect(t.sheet).toBe('Orders');
    expect(t.headers).toEqual(['Order_Number', 'SKU', 'Quantity', 'Note', 'Date']);
    expect(t.rows).toEqual([
      {
        row: 2,
        values: { Order_Number: '1001', SKU: 'CR-1', Quantity: '2', Note: 'fragile', Date: '2026-02-16' },
      },
      { row: 4, values: { Order_Number: '#1002', SKU: 'LB-7', Quantity: '2', Note: '', Date: '' } },
      { row: 5, values: { Order_Number: '4006381333931', SKU: 'EAN', Quantity: '1', Note: '0.3', Date: '' } },
    ]);
  });

  it('refuses a workbook with duplicate headers', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('S').addRow(['SKU', 'SKU']);
    const file = path.join(dir, 'dup.xlsx');
    await wb.xlsx.writeFile(file);
    const err = await rejection(readTabularFile(file));
    expect(err.message).toContain('dup.xlsx: the header "SKU" appears twice');
  });

  it('refuses an empty workbook: no header row', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('S');
    const file = path.join(dir, 'nothing.xlsx');
    await wb.xlsx.writeFile(file);
    const err = await rejection(readTabularFile(file));
    expect(err.message).toContain('nothing.xlsx has no header row');
  });

  it('refuses a zip that is not a workbook', async () => {
    const file = await write('photos.xlsx', buildZip([deflatedEntry('photo.txt', 'hello')]));
    const err = await rejection(readTabularFile(file));
    expect(err.message).toContain('photos.xlsx is a zip archive, not an Excel workbook');
  });

  it('refuses a text file renamed to .xlsx', async () => {
    const err = await rejection(readTabularFile(await write('fake.xlsx', 'Order,SKU\n1,A\n')));
    expect(err.message).toContain('fake.xlsx is not a real Excel .xlsx file');
  });

  it('refuses an old .xls (Excel 97-2003) file with a way out', async () => {
    const ole = Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(504),
    ]);
    const err = await rejection(readTabularFile(await write('old.xls', ole)));
    expect(err.message).toContain('save it as .xlsx or CSV');
  });

  it('refuses a truncated workbook as damaged', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('S').addRow(['SKU']);
    const full = Buffer.from(await wb.xlsx.writeBuffer());
    const err = await rejection(
      readTabularFile(await write('cut.xlsx', full.subarray(0, Math.floor(full.length / 2)))),
    );
    expect(err.message).toContain('cut.xlsx is damaged');
  });

  it('refuses a 1 GB decompression bomb in well under a second, before inflating it', async () => {
    const zeros = await zerosDeflated(1024);
    const bomb = buildZip([
      deflatedEntry('[Content_Types].xml', '<Types/>'),
      deflatedEntry('xl/workbook.xml', '<workbook/>'),
      // The CRC is never checked: the archive must be refused before anything is inflated.
      { name: 'xl/worksheets/sheet1.xml', compressed: zeros, uncompressedSize: 1024 * 1024 * 1024, crc: 0 },
    ]);
    const file = await write('bomb.xlsx', bomb);
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const err = await rejection(readTabularFile(file));
    const elapsed = performance.now() - started;
    expect(err.message).toMatch(
      /bomb\.xlsx was refused: the part "xl\/worksheets\/sheet1\.xml" would expand \d+ times/,
    );
    expect(elapsed).toBeLessThan(500);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024);
  });

  it('refuses a bomb that lies about its size, with bounded memory', async () => {
    // 64 MB of zeros declared as 900 KB: the directory looks harmless, the stream is not.
    const zeros = await zerosDeflated(64);
    const liar = buildZip([
      deflatedEntry('[Content_Types].xml', '<Types/>'),
      deflatedEntry('xl/workbook.xml', '<workbook/>'),
      { name: 'xl/worksheets/sheet1.xml', compressed: zeros, uncompressedSize: 900 * 1024, crc: 0 },
    ]);
    const err = await rejection(readTabularFile(await write('liar.xlsx', liar)));
    expect(err.message).toContain(
      'liar.xlsx was refused: the part "xl/worksheets/sheet1.xml" expands to more than it declares',
    );
  });

  it('refuses a workbook that would expand beyond the total limit even at a modest ratio', async () => {
    const parts = Array.from({ length: 3 }, (_, i) => ({
      name: `xl/media/image${i}.bin`,
      compressed: Buffer.alloc(1024 * 1024),
      uncompressedSize: 90 * 1024 * 1024,
      crc: 0,
    }));
    const big = buildZip([
      deflatedEntry('[Content_Types].xml', '<Types/>'),
      deflatedEntry('xl/workbook.xml', '<workbook/>'),
      ...parts,
    ]);
    const err = await rejection(readTabularFile(await write('huge.xlsx', big)));
    expect(err.message).toMatch(/huge\.xlsx was refused: it would expand to 270 MB \(the limit is 200 MB\)/);
  });
});

describe('a UTF-8 file with one bad byte', () => {
  it('stays UTF-8 and says which rows hold the bad bytes, instead of reading the whole file as windows-1251', async () => {
    const { parseTabular } = await import('../src/store/tabular-file.js');
    const good = Buffer.from('barcode,sku\n111,SKU-Ä1\n222,SKU-Ö2\n', 'utf8');
    const bad = Buffer.concat([good, Buffer.from([0x33, 0x33, 0x33, 0x2c, 0x53, 0xff, 0x0a])]);
    const table = await parseTabular(bad, 'map.csv');
    expect(table.encoding).toBe('utf-8');
    expect(table.rows.map((r) => r.values.sku)).toEqual(['SKU-Ä1', 'SKU-Ö2', 'S\uFFFD']);
    expect(table.warnings?.[0]).toMatch(/row 4\b/);
    // A real windows-1251 file (no UTF-8 letters at all) is still read as one.
    const cyrillic = Buffer.from([...Buffer.from('barcode,sku\n111,'), 0xc4, 0x31, 0x0a]);
    const ru = await parseTabular(cyrillic, 'ru.csv');
    expect(ru.encoding).toBe('windows-1251');
    expect(ru.rows[0]!.values.sku).toBe('Д1');
    expect(ru.warnings).toBeUndefined();
  });
});
