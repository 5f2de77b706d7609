// Reading the first worksheet of an .xlsx into rows of display strings. The zip is checked for
// decompression bombs from its directory before exceljs inflates anything.
import type ExcelJS from 'exceljs';
import { ValidationError } from '../domain/errors.js';
import {
  assertNotZipBomb,
  assertSizesHonest,
  readZipDirectory,
  type ZipLimits,
  DEFAULT_ZIP_LIMITS,
} from './zip-inspect.js';

/** A cell as the user reads it in Excel, not as exceljs models it. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  // Excel shows at most 15 significant digits, so 0.1+0.2 reads "0.3" there and here.
  if (typeof value === 'number')
    return Number.isInteger(value) ? value.toFixed(0) : String(Number(value.toPrecision(15)));
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
  }
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText))
      return value.richText.map((r) => r.text).join('');
    if ('formula' in value || 'sharedFormula' in value)
      return cellText((value as { result?: ExcelJS.CellValue }).result ?? null);
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('error' in value) return String(value.error);
  }
  return String(value);
}

/** Returns the first worksheet as rows of cells, keyed by Excel row number (1-based). */
export async function readXlsxRows(
  buf: Buffer,
  fileName: string,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Promise<{ sheet: string; rows: Map<number, string[]> }> {
  const entries = readZipDirectory(buf, fileName);
  const names = new Set(entries.map((e) => e.name));
  if (!names.has('[Content_Types].xml') || !names.has('xl/workbook.xml')) {
    throw new ValidationError(
      `${fileName} is a zip archive, not an Excel workbook. Open it in Excel and save it as .xlsx, or export CSV.`,
      {
        file: fileName,
      },
    );
  }
  assertNotZipBomb(entries, buf.length, fileName, limits);
  assertSizesHonest(buf, entries, fileName);

  // Loaded when a workbook is read, not when a command starts: exceljs alone costs more than the rest of start-up.
  const { Workbook } = (await import('exceljs')).default;
  const workbook = new Workbook();
  try {
    await workbook.xlsx.load(buf as unknown as ArrayBuffer);
  } catch (err) {
    throw new ValidationError(
      `${fileName} could not be opened as an Excel workbook (${(err as Error).message}). Save it again from Excel and retry.`,
      {
        file: fileName,
      },
    );
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new ValidationError(`${fileName} has no worksheet.`, { file: fileName });
  const rows = new Map<number, string[]>();
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      cells[col - 1] = cellText(cell.value);
    });
    for (let i = 0; i < cells.length; i++) cells[i] ??= '';
    rows.set(rowNumber, cells);
  });
  return { sheet: sheet.name, rows };
}
