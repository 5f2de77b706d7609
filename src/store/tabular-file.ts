// Reads a spreadsheet a person exported (CSV with any common delimiter and encoding, or .xlsx) into
// a header row plus data rows keyed by the row number the person sees in Excel, so every later
// error can say "file X, row 12, column Quantity". Problems with the file itself are ValidationErrors
// that name the file and say what to do.
import { FIELD_LIMITS } from '../domain/field-limits.js';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import {
  decodeCsvBytes,
  parseCsvRecords,
  sniffDelimiter,
  type CsvDelimiter,
  type CsvEncoding,
} from './tabular-csv.js';
import { readXlsxRows } from './tabular-xlsx.js';
import { DEFAULT_ZIP_LIMITS, looksLikeZip, type ZipLimits } from './zip-inspect.js';
import { storageErrorFor } from './atomic-file.js';

export interface TabularRow {
  /** 1-based, as the user sees it in Excel (the header is usually row 1). */
  row: number;
  /** Header → trimmed cell text ('' when blank). Every header is present. */
  values: Record<string, string>;
}

export interface TabularData {
  headers: string[];
  rows: TabularRow[];
  /** Row number of the header row. */
  headerRow: number;
  format: 'csv' | 'xlsx';
  encoding?: CsvEncoding;
  /** What reading noticed but did not refuse, for the person importing (e.g. bad bytes in some rows). */
  warnings?: string[];
  delimiter?: CsvDelimiter;
  sheet?: string;
}

export interface TabularOptions {
  /** How the file is named in messages; defaults to its base name. */
  displayName?: string;
  /** Largest file accepted, in bytes (default 200 MB). */
  maxFileBytes?: number;
  zipLimits?: ZipLimits;
}

const DEFAULT_MAX_FILE_BYTES = 200 * 1024 * 1024;

export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

function isOldExcel(buf: Uint8Array): boolean {
  return buf.length >= 8 && buf[0] === 0xd0 && buf[1] === 0xcf && buf[2] === 0x11 && buf[3] === 0xe0;
}

/** Builds header + rows from raw cell rows, checking the header. Blank rows are skipped but keep their numbers. */
export function toTabular(
  cellRows: Iterable<[number, string[]]>,
  fileName: string,
): Pick<TabularData, 'headers' | 'rows' | 'headerRow'> {
  let headers: string[] | null = null;
  let headerRow = 0;
  const rows: TabularRow[] = [];
  for (const [rowNumber, raw] of cellRows) {
    const cells = raw.map((c) => c.trim());
    const long = cells.findIndex((c) => c.length > FIELD_LIMITS.cellChars);
    if (long >= 0)
      throw new ValidationError(
        `${fileName}, row ${rowNumber}: the cell in column ${columnLetter(long)} has ${cells[long]!.length} characters; a cell may have at most ${FIELD_LIMITS.cellChars}. Check that the right file was exported.`,
        { file: fileName, row: rowNumber, column: columnLetter(long) },
      );
    if (rows.length >= FIELD_LIMITS.tableRows)
      throw new ValidationError(
        `${fileName} has more than ${FIELD_LIMITS.tableRows.toLocaleString('en')} rows; split it into several files.`,
        { file: fileName, row: rowNumber },
      );
    if (cells.every((c) => c === '')) continue;
    if (headers === null) {
      while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
      const seen = new Map<string, number>();
      cells.forEach((h, i) => {
        if (h === '') {
          throw new ValidationError(
            `${fileName}: the header row (row ${rowNumber}) has an empty header in column ${columnLetter(i)}. Give every column a name.`,
            { file: fileName, row: rowNumber, column: columnLetter(i) },
          );
        }
        const key = h.toLowerCase();
        const first = seen.get(key);
        if (first !== undefined) {
          throw new ValidationError(
            `${fileName}: the header "${h}" appears twice (columns ${columnLetter(first)} and ${columnLetter(i)}). Rename or remove one of them.`,
            { file: fileName, row: rowNumber, column: h },
          );
        }
        seen.set(key, i);
      });
      headers = cells;
      headerRow = rowNumber;
      continue;
    }
    const extra = cells.findIndex((c, i) => i >= headers!.length && c !== '');
    if (extra >= 0) {
      throw new ValidationError(
        `${fileName}, row ${rowNumber}: there is a value in column ${columnLetter(extra)}, which has no header. Add a header or remove the value.`,
        { file: fileName, row: rowNumber, column: columnLetter(extra) },
      );
    }
    const values: Record<string, string> = {};
    headers.forEach((h, i) => {
      values[h] = cells[i] ?? '';
    });
    rows.push({ row: rowNumber, values });
  }
  if (headers === null) {
    throw new ValidationError(`${fileName} has no header row: every row is blank. Export the list again.`, {
      file: fileName,
    });
  }
  return { headers, rows, headerRow };
}

function* numbered(records: string[][]): Generator<[number, string[]]> {
  for (let i = 0; i < records.length; i++) yield [i + 1, records[i]!];
}

/** Parses file bytes already in memory (`fileName` decides nothing but the messages and the .xlsx/.csv hint). */
export async function parseTabular(
  buf: Buffer,
  fileName: string,
  options: TabularOptions = {},
): Promise<TabularData> {
  const ext = path.extname(fileName).toLowerCase();
  if (buf.length === 0) {
    throw new ValidationError(`${fileName} is empty. Export the list again.`, { file: fileName });
  }
  if (isOldExcel(buf)) {
    throw new ValidationError(
      `${fileName} is an old Excel 97-2003 (.xls) file. Open it in Excel and save it as .xlsx or CSV.`,
      {
        file: fileName,
      },
    );
  }
  if (looksLikeZip(buf)) {
    const { sheet, rows } = await readXlsxRows(buf, fileName, options.zipLimits ?? DEFAULT_ZIP_LIMITS);
    return { ...toTabular(rows, fileName), format: 'xlsx', sheet };
  }
  if (ext === '.xlsx' || ext === '.xlsm') {
    throw new ValidationError(
      `${fileName} is not a real Excel .xlsx file (its content is not a workbook). Open it in Excel and save it as .xlsx, or export CSV.`,
      {
        file: fileName,
      },
    );
  }
  if (buf.subarray(0, 4096).includes(0) && !(buf[0] === 0xff || buf[0] === 0xfe)) {
    throw new ValidationError(`${fileName} is not a text (CSV) file or an .xlsx workbook.`, {
      file: fileName,
    });
  }
  const { text, encoding, badLines } = decodeCsvBytes(buf);
  if (text.trim() === '')
    throw new ValidationError(`${fileName} is empty. Export the list again.`, { file: fileName });
  const delimiter = sniffDelimiter(text);
  const records = parseCsvRecords(text, delimiter, fileName);
  const warnings =
    badLines && badLines.length > 0
      ? [
          `${fileName} is UTF-8 but has bytes that are not, shown as "\uFFFD", in row${badLines.length > 1 ? 's' : ''} ${badLines.slice(0, 20).join(', ')}${badLines.length > 20 ? ` and ${badLines.length - 20} more` : ''}; check those rows.`,
        ]
      : undefined;
  return {
    ...toTabular(numbered(records), fileName),
    format: 'csv',
    encoding,
    delimiter,
    ...(warnings ? { warnings } : {}),
  };
}

/**
 * Reads a file a person chose to import (a packing list, a mapping sheet), refusing folders, files
 * over `maxBytes` and missing files with messages that name the file as the person knows it.
 */
export async function readImportFile(file: string, fileName: string, maxBytes: number): Promise<Buffer> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) throw new ValidationError(`${fileName} is not a file.`, { file: fileName });
    if (stat.size > maxBytes) {
      throw new ValidationError(
        `${fileName} is too large (${Math.round(stat.size / 1024 / 1024)} MB; the limit is ${Math.round(maxBytes / 1024 / 1024)} MB).`,
        { file: fileName },
      );
    }
    return await fs.readFile(file);
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new NotFoundError(`${fileName} was not found. Check the file name and folder.`, {
        file: fileName,
      });
    }
    throw storageErrorFor(err, `read ${fileName}`, file);
  }
}

/** Reads a CSV or .xlsx file from disk (see parseTabular). */
export async function readTabularFile(file: string, options: TabularOptions = {}): Promise<TabularData> {
  const fileName = options.displayName ?? path.basename(file);
  const buf = await readImportFile(file, fileName, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
  return parseTabular(buf, fileName, options);
}
