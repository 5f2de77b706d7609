// A workbook made in the worker thread (the compiled module, as the CLI and the server run it) is the
// workbook made in place, part for part; and when its rows fail, or the worker is sent what it cannot
// write, the caller gets an error instead of a workbook, and nothing keeps running.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readZipDirectory } from '../src/store/zip-inspect.js';
import type * as OffThread from '../src/store/xlsx-off-thread.js';
import type { CellValue, SheetSpec } from '../src/store/xlsx-writer.js';
import { buildXlsx } from '../src/store/xlsx-writer.js';

const compiled = path.resolve('dist/src/store/xlsx-off-thread.js');

async function offThread(): Promise<typeof OffThread> {
  // The worker exists only in the build: without it the workbook would be made in place.
  expect(existsSync(path.resolve('dist/src/store/xlsx-worker.js')), 'run "npm run build" first').toBe(true);
  return (await import(pathToFileURL(compiled).href)) as typeof OffThread;
}

function parts(zip: Buffer): Map<string, string> {
  return new Map(
    readZipDirectory(zip, 'test.xlsx').map((e) => {
      const at = e.localHeaderOffset;
      const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
      return [e.name, inflateRawSync(zip.subarray(start, start + e.compressedSize)).toString('utf8')];
    }),
  );
}

const STATUSES = ['Fulfillable', 'Not fulfillable', 'Held'];

/** More rows than several messages carry, repeating texts, blanks, numbers and hostile text. */
function sheets(): SheetSpec[] {
  function* rows(): Generator<CellValue[]> {
    for (let i = 0; i < 9_001; i++)
      yield [
        `#${1000 + i}`,
        STATUSES[i % 3]!,
        i % 5 === 0 ? '' : `courier ${i % 4}`,
        i,
        i % 11 === 0 ? '=cmd|x' : `A & <b> ${i}`,
        i % 13 === 0,
      ];
  }
  return [
    {
      name: 'Orders',
      columns: [
        { header: 'Order' },
        { header: 'Status', shared: true },
        { header: 'Courier', width: 12, shared: true },
        { header: 'N' },
        { header: 'Text' },
        { header: 'Flag' },
      ],
      rows: rows(),
      mark: (row) => (row[1] === 'Not fulfillable' ? 'bad' : row[1] === 'Held' ? 'warn' : 'none'),
    },
    { name: 'Empty', columns: [{ header: 'X' }], rows: [] },
    { name: 'Small', columns: [{ header: 'X', shared: true }], rows: [['one'], [' two '], ['one']] },
  ];
}

describe('workbook made in a worker thread', () => {
  it('is the workbook made in place, part for part', async () => {
    const { buildXlsxOffThread } = await offThread();
    const [worker, inPlace] = await Promise.all([buildXlsxOffThread(sheets()), buildXlsx(sheets())]);
    const got = parts(worker);
    expect([...got.keys()]).toEqual([...parts(inPlace).keys()]);
    expect(got).toEqual(parts(inPlace));
    expect(got.get('xl/worksheets/sheet1.xml')).toContain('<row r="9002">');
    expect(got.get('xl/sharedStrings.xml')).toContain('<si><t xml:space="preserve"> two </t></si>');
  });

  it('ends with the error of rows that cannot be made', async () => {
    const { buildXlsxOffThread } = await offThread();
    function* failing(): Generator<CellValue[]> {
      for (let i = 0; i < 5_000; i++) yield [i];
      throw new Error('the analysis has no row 5000');
    }
    const spec: SheetSpec = { name: 'S', columns: [{ header: 'N' }], rows: failing() };
    await expect(buildXlsxOffThread([spec])).rejects.toThrow('the analysis has no row 5000');
  });

  it('refuses a cell it cannot write, as an error', async () => {
    const { buildXlsxOffThread } = await offThread();
    // A value no caller can pass in TypeScript, sent as if one had: the worker checks what it gets.
    const odd = [[1n]] as unknown as CellValue[][];
    const spec: SheetSpec = { name: 'S', columns: [{ header: 'N' }], rows: odd };
    await expect(buildXlsxOffThread([spec])).rejects.toThrow(/rows of cell values/);
  });
});
