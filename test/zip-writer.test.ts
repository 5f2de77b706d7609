// The zip packdesk writes its workbooks with: every part comes back byte for byte with the CRC-32
// its data descriptor claims (checked here against zlib's), and a spreadsheet library opens the
// workbook with every cell as written, hostile text shown as text, whether it was made in memory or
// streamed to its file.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readZipDirectory } from '../src/store/zip-inspect.js';
import { zipDeflated } from '../src/store/zip-writer.js';
import { buildXlsx, xlsxStream } from '../src/store/xlsx-writer.js';
import { writeNewFile } from '../src/store/atomic-file.js';

/** An entry's data and the CRC its data descriptor (flag bit 3: written after the data) claims. */
function entryData(zip: Buffer, name: string): { data: Buffer; crc: number } {
  const e = readZipDirectory(zip, 'test.zip').find((x) => x.name === name)!;
  const at = e.localHeaderOffset;
  expect(zip.readUInt16LE(at + 6) & 0x0008, name).toBe(0x0008);
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const descriptor = start + e.compressedSize;
  expect(zip.readUInt32LE(descriptor), name).toBe(0x08074b50);
  expect([zip.readUInt32LE(descriptor + 8), zip.readUInt32LE(descriptor + 12)], name).toEqual([
    e.compressedSize,
    e.uncompressedSize,
  ]);
  return {
    data: inflateRawSync(zip.subarray(start, descriptor)),
    crc: zip.readUInt32LE(descriptor + 4),
  };
}

describe('zip writer', () => {
  it('stores every part whole, with its CRC, whether given at once or in pieces', async () => {
    const big = Buffer.from('<row>ÄÖÜ €</row>'.repeat(400_000));
    async function* pieces() {
      for (let i = 0; i < big.length; i += 1_000_003) yield big.subarray(i, i + 1_000_003);
    }
    const zip = await zipDeflated([
      { name: 'a.xml', data: Buffer.from('<a/>') },
      { name: 'empty.txt', data: new Uint8Array(0) },
      { name: 'dir/big.xml', data: pieces() },
    ]);
    expect(readZipDirectory(zip, 'test.zip').map((e) => e.name)).toEqual([
      'a.xml',
      'empty.txt',
      'dir/big.xml',
    ]);
    for (const [name, want] of [
      ['a.xml', Buffer.from('<a/>')],
      ['empty.txt', Buffer.alloc(0)],
      ['dir/big.xml', big],
    ] as const) {
      const got = entryData(zip, name);
      expect(got.data.equals(want), name).toBe(true);
      expect(got.crc, name).toBe(crc32(want));
    }
    expect(zip.length).toBeLessThan(big.length / 20);
  });

  it('makes workbooks a spreadsheet library opens with every cell as written', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => [
      `#${1000 + i}`,
      i,
      i % 7 === 0 ? '=cmd|x' : 'A & <b>',
    ]);
    const bytes = await buildXlsx([
      { name: 'Orders', columns: [{ header: 'Order' }, { header: 'N' }, { header: 'Text' }], rows },
      { name: 'Small', columns: [{ header: 'X' }], rows: [['one'], ['two']] },
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Orders')!;
    expect(sheet.rowCount).toBe(5001);
    expect(sheet.getRow(2).values).toEqual([undefined, '#1000', 0, "'=cmd|x"]);
    expect(sheet.getRow(5001).values).toEqual([undefined, '#5999', 4999, 'A & <b>']);
    expect(wb.getWorksheet('Small')!.getRow(3).values).toEqual([undefined, 'two']);
  });

  it('writes a repeating column once, in a shared-strings table a spreadsheet library reads', async () => {
    const statuses = ['Fulfillable', 'Not fulfillable', '=HYPERLINK("x")', ' padded ', 'A & <b>\u0001'];
    const rows = Array.from({ length: 3000 }, (_, i) => [`#${1000 + i}`, statuses[i % statuses.length]!, i]);
    const bytes = await buildXlsx([
      {
        name: 'Orders',
        columns: [{ header: 'Order' }, { header: 'Status', shared: true }, { header: 'N' }],
        rows,
        mark: (row) => (row[1] === 'Not fulfillable' ? 'bad' : 'none'),
      },
    ]);
    const strings = entryData(bytes, 'xl/sharedStrings.xml').data.toString('utf8');
    expect(strings.match(/<si>/g)).toHaveLength(statuses.length);
    const sheetXml = entryData(bytes, 'xl/worksheets/sheet1.xml').data.toString('utf8');
    expect(sheetXml).not.toContain('Not fulfillable');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Orders')!;
    expect(sheet.rowCount).toBe(3001);
    expect([2, 3, 4, 5, 6, 3001].map((r) => sheet.getRow(r).getCell(2).value)).toEqual([
      'Fulfillable',
      'Not fulfillable',
      '\'=HYPERLINK("x")',
      ' padded ',
      'A & <b>',
      'A & <b>',
    ]);
    const fill = sheet.getRow(3).getCell(3).fill;
    expect(fill?.type === 'pattern' ? fill.fgColor?.argb : undefined).toBe('FFFFC7CE');
  });

  it('writes texts inline once the shared-strings table is full, every cell still as written', async () => {
    const rows = Array.from({ length: 70_000 }, (_, i) => [`t${i}`]);
    const bytes = await buildXlsx([{ name: 'S', columns: [{ header: 'Text', shared: true }], rows }]);
    expect(entryData(bytes, 'xl/sharedStrings.xml').data.toString('utf8')).toContain('uniqueCount="65536"');
    const sheetXml = entryData(bytes, 'xl/worksheets/sheet1.xml').data.toString('utf8');
    expect(sheetXml).toContain('<c r="A70001" t="inlineStr"><is><t>t69999</t></is></c>');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('S')!;
    expect([2, 65_537, 65_538, 70_001].map((r) => sheet.getRow(r).getCell(1).value)).toEqual([
      't0',
      't65535',
      't65536',
      't69999',
    ]);
  });

  it('streams a large workbook to its file, which a spreadsheet library reads with every cell as written', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'packdesk-xlsx-'));
    try {
      const rows = Array.from({ length: 60_000 }, (_, i) => [
        `#${1000 + i}`,
        i % 3 === 0 ? 'Held' : 'Fulfillable',
        i / 4,
        `${'item '.repeat(i % 9)}=SUM(A1)`,
      ]);
      const sheets = [
        {
          name: 'Orders',
          columns: [
            { header: 'Order' },
            { header: 'Status', shared: true },
            { header: 'N' },
            { header: 'Items' },
          ],
          rows,
        },
      ];
      const file = path.join(dir, 'analysis.xlsx');
      await writeNewFile(file, xlsxStream(sheets));
      const streamed = await fs.readFile(file);
      // Larger than a piece handed on at once, so it came to the file in several.
      expect(streamed.length).toBeGreaterThan(512 * 1024);
      entryData(streamed, 'xl/worksheets/sheet1.xml');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(file);
      const sheet = wb.getWorksheet('Orders')!;
      expect(sheet.rowCount).toBe(rows.length + 1);
      const cells = (r: number) => (sheet.getRow(r).values as unknown[]).slice(1);
      expect(cells(1)).toEqual(['Order', 'Status', 'N', 'Items']);
      for (const i of [0, 1, 2, 9, 29_999, 59_999])
        expect(cells(i + 2)).toEqual([
          rows[i]![0],
          rows[i]![1],
          rows[i]![2],
          // Text that would read as a formula is shown as text.
          i % 9 === 0 ? `'=SUM(A1)` : rows[i]![3],
        ]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
