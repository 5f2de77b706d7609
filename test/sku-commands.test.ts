// `packdesk sku ...` as a shift lead uses it: set, delete, list, import (CSV and XLSX), export, and
// what happens with bad input and damaged files.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../src/app/clients.js';
import { importMappings, listMappings, setMapping } from '../src/app/sku-mappings.js';
import { DEFAULT_SETTINGS } from '../src/domain/settings.js';
import { Layout } from '../src/store/layout.js';
import { runCli, runCliJson, tempDir } from './helpers/cli.js';

let dir: string;
let root: string;
let cleanup: () => Promise<void>;
let clientSeq = 0;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  root = path.join(dir, 'data');
  for (const sub of ['CLIENTS', 'SESSIONS', 'STATS'])
    await fs.mkdir(path.join(root, sub), { recursive: true });
});

/** Set-up and checks run in this process; the commands under test run as real processes. */
const app = () => ({ layout: new Layout(root), settings: DEFAULT_SETTINGS, station: 'TEST' });
afterAll(() => cleanup());

/** A fresh client per test, so tests do not depend on each other. */
async function newClient(): Promise<string> {
  const id = `C${++clientSeq}`;
  await createClient(app(), id, `Client ${id}`);
  return id;
}

interface ListOut {
  mappings: Record<string, string>;
  count: number;
  revision: number;
  warnings: string[];
}
const list = (id: string): Promise<ListOut> => listMappings(app(), id);

async function writeXlsx(file: string, rows: unknown[][]): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Sheet1');
  for (const row of rows) sheet.addRow(row);
  await workbook.xlsx.writeFile(file);
}

describe('sku set, delete, list', () => {
  it('sets, replaces through another spelling, deletes, with a rising revision and who changed it', async () => {
    const id = await newClient();
    const first = await runCliJson<{ revision: number; changed: boolean; previous: string | null }>([
      'sku',
      'set',
      id,
      'ABC-123',
      'LIP-RED',
      '--root',
      root,
    ]);
    expect(first).toMatchObject({ revision: 1, changed: true, previous: null });
    expect(await setMapping(app(), id, 'ABC-123', 'LIP-RED')).toMatchObject({ revision: 1, changed: false });
    expect(await setMapping(app(), id, 'abc123', 'LIP-PINK')).toMatchObject({
      revision: 2,
      previous: 'LIP-RED',
    });
    await setMapping(app(), id, '4006381333931', 'MASCARA');
    expect((await list(id)).mappings).toEqual({ abc123: 'LIP-PINK', '4006381333931': 'MASCARA' });
    const deleted = await runCliJson<{ revision: number; previous: string }>([
      'sku',
      'delete',
      id,
      'ABC 123',
      '--root',
      root,
    ]);
    expect(deleted).toMatchObject({ revision: 4, previous: 'LIP-PINK' });
    const after = await list(id);
    expect(after).toMatchObject({ mappings: { '4006381333931': 'MASCARA' }, count: 1, revision: 4 });
    const file = JSON.parse(
      await fs.readFile(path.join(root, 'CLIENTS', `CLIENT_${id}`, 'sku_mapping.json'), 'utf8'),
    );
    expect(file.tombstones.abc123).toMatchObject({ barcode: 'abc123', revision: 4 });
    expect(file.updated_by).toEqual(expect.any(String));
    expect(await runCliJson(['sku', 'list', id, '--root', root])).toMatchObject({
      mappings: { '4006381333931': 'MASCARA' },
      count: 1,
      revision: 4,
    });
  });

  it('refuses bad input with a clear message and changes nothing', async () => {
    const id = await newClient();
    await setMapping(app(), id, '111', 'A');
    const cases: Array<[string[], number, RegExp]> = [
      [['sku', 'set', id, '   ', 'A'], 2, /Barcode cannot be empty/],
      [['sku', 'delete', id, '999'], 3, /no SKU mapping/],
      [['sku', 'set', 'NOPE', '111', 'A'], 3, /Client NOPE does not exist/],
      [['sku', 'set', '../x', '111', 'A'], 2, /may only contain/],
    ];
    for (const [args, code, message] of cases) {
      const result = await runCli([...args, '--root', root, '--json']);
      expect(result.code, args.join(' ')).toBe(code);
      expect(result.stdout).toBe('');
      expect(JSON.parse(result.stderr).message).toMatch(message);
    }
    expect(await list(id)).toMatchObject({ mappings: { '111': 'A' }, revision: 1 });
  });
});

describe('sku import', () => {
  it('imports a semicolon CSV with other header spellings as one revision', async () => {
    const id = await newClient();
    await setMapping(app(), id, '111', 'OLD');
    const csv = path.join(dir, `${id}.csv`);
    await fs.writeFile(csv, '\ufeffProduct Barcode;Internal SKU\n111;NEW\n222;B\n\n333;C\n333;C\n');
    const result = await runCliJson<{ added: number; updated: number; unchanged: number; revision: number }>([
      'sku',
      'import',
      id,
      csv,
      '--root',
      root,
    ]);
    expect(result).toMatchObject({ added: 2, updated: 1, unchanged: 0, revision: 2 });
    expect((await list(id)).mappings).toEqual({ '111': 'NEW', '222': 'B', '333': 'C' });
  });

  it('imports an XLSX file, numbers included', async () => {
    const id = await newClient();
    const xlsx = path.join(dir, `${id}.xlsx`);
    await writeXlsx(xlsx, [
      ['EAN', 'SKU'],
      [4006381333931, 'MASCARA'],
      ['0012345678905', 'LIP-RED'],
    ]);
    await runCliJson(['sku', 'import', id, xlsx, '--root', root]);
    expect((await list(id)).mappings).toEqual({ '4006381333931': 'MASCARA', '0012345678905': 'LIP-RED' });
  });

  it('reports every bad row with its number and reason, and applies nothing', async () => {
    const id = await newClient();
    await setMapping(app(), id, '111', 'A');
    const csv = path.join(dir, `${id}-bad.csv`);
    await fs.writeFile(csv, 'barcode,sku\n222,B\n,C\n333,\n444,D\n444,E\n---,F\n555,G\n');
    const result = await runCli(['sku', 'import', id, csv, '--root', root, '--json']);
    expect(result.code).toBe(2);
    const error = JSON.parse(result.stderr);
    expect(error.message).toMatch(/4 row\(s\) cannot be imported, so nothing was imported/);
    expect(error.message).toMatch(/row 3: Barcode cannot be empty/);
    expect(error.problems).toEqual([
      { row: 3, reason: expect.stringMatching(/Barcode cannot be empty/) },
      { row: 4, reason: expect.stringMatching(/SKU cannot be empty/) },
      { row: 6, reason: expect.stringMatching(/also on row 5 with a different SKU/) },
      { row: 7, reason: expect.stringMatching(/no letters or digits/) },
    ]);
    expect(error.problems.map((p: { row: number }) => p.row)).toEqual([3, 4, 6, 7]);
    expect(await list(id)).toMatchObject({ mappings: { '111': 'A' }, revision: 1 });
  });

  it('refuses a file without barcode/sku columns, an empty file and a missing file', async () => {
    const id = await newClient();
    const noColumns = path.join(dir, 'cols.csv');
    await fs.writeFile(noColumns, 'code128,article_name\n1,2\n');
    const headerOnly = path.join(dir, 'header.csv');
    await fs.writeFile(headerOnly, 'barcode,sku\n');
    const cases: Array<[string, RegExp, number]> = [
      [noColumns, /no "barcode" and "sku" column \(found: code128, article_name\)/, 2],
      [headerOnly, /no mappings under it/, 2],
      [path.join(dir, 'missing.csv'), /was not found/, 3],
    ];
    for (const [file, message, code] of cases) {
      const result = await runCli(['sku', 'import', id, file, '--root', root, '--json']);
      expect(result.code).toBe(code);
      expect(JSON.parse(result.stderr).message).toMatch(message);
    }
    expect((await list(id)).revision).toBe(0);
  });
});

describe('sku export', () => {
  it('exports CSV and XLSX that import back to the same mappings, and will not overwrite without --force', async () => {
    const id = await newClient();
    const source = path.join(dir, `${id}-src.csv`);
    await fs.writeFile(source, 'barcode,sku\n0012345678905,"LIP, RED"\n4006381333931,MASCARA\n');
    await importMappings(app(), id, source);
    const csv = path.join(dir, `${id}-out.csv`);
    const xlsx = path.join(dir, `${id}-out.xlsx`);
    expect(await runCliJson(['sku', 'export', id, csv, '--root', root])).toMatchObject({
      format: 'csv',
      count: 2,
    });
    expect(await fs.readFile(csv, 'utf8')).toBe(
      'barcode,sku\n0012345678905,"LIP, RED"\n4006381333931,MASCARA\n',
    );
    expect(await runCliJson(['sku', 'export', id, xlsx, '--root', root])).toMatchObject({
      format: 'xlsx',
      count: 2,
    });
    const again = await runCli(['sku', 'export', id, csv, '--root', root, '--json']);
    expect(again.code).toBe(4);
    expect(JSON.parse(again.stderr).message).toMatch(/--force/);
    await runCliJson(['sku', 'export', id, csv, '--root', root, '--force']);

    const copy = await newClient();
    await runCliJson(['sku', 'import', copy, xlsx, '--root', root]);
    expect((await list(copy)).mappings).toEqual((await list(id)).mappings);
  });
});

describe('sku export of formula-looking values', () => {
  it('neutralises = + - @ in every CSV and XLSX cell, and imports back to the same mappings', async () => {
    const id = await newClient();
    const hostile: Record<string, string> = {
      "=cmd|' /C calc'!A0": 'SKU-1',
      '@SUM(A1)': '+HYPERLINK("http://evil.example")',
      '-5+5': '=1+1',
      '4006381333931': 'PLAIN',
    };
    for (const [barcode, sku] of Object.entries(hostile)) await setMapping(app(), id, barcode, sku);
    const csv = path.join(dir, `${id}-hostile.csv`);
    const xlsx = path.join(dir, `${id}-hostile.xlsx`);
    await runCliJson(['sku', 'export', id, csv, '--root', root]);
    await runCliJson(['sku', 'export', id, xlsx, '--root', root]);

    const { default: Papa } = await import('papaparse');
    const csvCells = Papa.parse<string[]>((await fs.readFile(csv, 'utf8')).trim()).data.flat();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsx);
    const xlsxCells: unknown[] = [];
    workbook.worksheets[0]!.eachRow((row) => row.eachCell((cell) => xlsxCells.push(cell.value)));
    for (const cells of [csvCells, xlsxCells]) {
      expect(cells).toHaveLength(10);
      for (const cell of cells) {
        expect(typeof cell).toBe('string');
        expect(cell as string).not.toMatch(/^[=+\-@\t\r]/);
      }
      expect(cells).toContain("'=cmd|' /C calc'!A0");
      expect(cells).toContain('PLAIN');
    }

    for (const file of [csv, xlsx]) {
      const copy = await newClient();
      await runCliJson(['sku', 'import', copy, file, '--root', root]);
      expect((await list(copy)).mappings).toEqual((await list(id)).mappings);
    }
  });
});

describe('damaged sku_mapping.json', () => {
  for (const [label, content] of [
    ['torn', '{"mappings": {"111": "A"'],
    ['empty', ''],
  ] as const) {
    it(`a ${label} file is never read as "no mappings": the last good backup is used, with a warning, and the next change repairs it`, async () => {
      const id = await newClient();
      await setMapping(app(), id, '111', 'A');
      await setMapping(app(), id, '222', 'B');
      const file = path.join(root, 'CLIENTS', `CLIENT_${id}`, 'sku_mapping.json');
      await fs.writeFile(file, content);
      const shown = await list(id);
      expect(shown.mappings).toEqual({ '111': 'A', '222': 'B' });
      expect(shown.warnings.join(' ')).toMatch(/could not be used .*using the backup/);
      await setMapping(app(), id, '333', 'C');
      expect(await list(id)).toMatchObject({
        mappings: { '111': 'A', '222': 'B', '333': 'C' },
        revision: 3,
        warnings: [],
      });
    });
  }

  it('with no good backup either, it stops with a clear error instead of starting empty', async () => {
    const id = await newClient();
    await setMapping(app(), id, '111', 'A');
    const clientDir = path.join(root, 'CLIENTS', `CLIENT_${id}`);
    await fs.writeFile(path.join(clientDir, 'sku_mapping.json'), '{"mappings": 12}');
    for (const name of await fs.readdir(path.join(clientDir, 'backups'))) {
      if (name.startsWith('sku_mapping_'))
        await fs.writeFile(path.join(clientDir, 'backups', name), 'garbage');
    }
    for (const args of [
      ['sku', 'list', id],
      ['sku', 'set', id, '222', 'B'],
    ]) {
      const result = await runCli([...args, '--root', root, '--json']);
      expect(result.code).toBe(8);
      expect(JSON.parse(result.stderr)).toMatchObject({
        error: 'CORRUPT',
        message: expect.stringMatching(/damaged .* no good backup/),
      });
    }
    expect(await fs.readFile(path.join(clientDir, 'sku_mapping.json'), 'utf8')).toBe('{"mappings": 12}');
  });
});
