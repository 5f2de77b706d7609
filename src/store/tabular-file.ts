// Reads a spreadsheet a person exported (CSV with any common delimiter and encoding, or .xlsx) into
// a header row plus data rows keyed by the row number the person sees in Excel, so every later
// error can say "file X, row 12, column Quantity". Problems with the file itself are ValidationErrors
// that name the file and say what to do.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { FIELD_LIMITS } from '../domain/field-limits.js';
import { columnLetter } from '../domain/spreadsheet-text.js';
import {
  decodeCsvBytes,
  forEachCsvRecord,
  sniffDelimiter,
  type CsvDelimiter,
  type CsvEncoding,
} from './tabular-csv.js';
import { readXlsxRows } from './tabular-xlsx.js';
import { DEFAULT_ZIP_LIMITS, looksLikeZip, type ZipLimits } from './zip-inspect.js';
import { storageErrorFor } from './atomic-file.js';
import { bytesSeen, type BytesSeen } from './checked-copy.js';
import { readCsvFileInPieces } from './csv-file-pieces.js';

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

export { columnLetter };

function isOldExcel(buf: Uint8Array): boolean {
  return buf.length >= 8 && buf[0] === 0xd0 && buf[1] === 0xcf && buf[2] === 0x11 && buf[3] === 0xe0;
}

const maybeSpace = (code: number) => code <= 32 || code >= 0x7f;

/** A row as cells in header order (trimmed, '' when blank): cheaper than a record per row for big files. */
export interface CellRow {
  row: number;
  cells: string[];
}

export interface CellTable {
  headers: string[];
  rows: CellRow[];
  headerRow: number;
}

/** Receives a file's rows as they are read: the header first, then each data row (cells in header order). */
export interface RowSink {
  header(headers: string[], headerRow: number): void;
  row(row: number, cells: string[]): void;
}

/**
 * Checks rows as a person's spreadsheet has them and passes them on: blank rows are skipped (but keep
 * their numbers), the first other row is the header (no empty or repeated names), and a value in a
 * column without a header is refused. Cells are trimmed.
 */
class CheckedRows {
  private headers: string[] | null = null;
  private rows = 0;
  constructor(
    private readonly fileName: string,
    private readonly sink: RowSink,
  ) {}

  push(rowNumber: number, raw: string[]): void {
    let blank = true;
    for (let i = 0; i < raw.length; i++) {
      const c = raw[i]!;
      if (c.length > FIELD_LIMITS.cellChars && c.trim().length > FIELD_LIMITS.cellChars)
        throw new ValidationError(
          `${this.fileName}, row ${rowNumber}: the cell in column ${columnLetter(i)} has ${c.trim().length} characters; a cell may have at most ${FIELD_LIMITS.cellChars}. Check that the right file was exported.`,
          { file: this.fileName, row: rowNumber, column: columnLetter(i) },
        );
      // Most cells need no trimming; only allocate a new string when one might (ASCII space and
      // control characters, or anything non-ASCII, which trim() then judges exactly).
      const t =
        c.length > 0 && (maybeSpace(c.charCodeAt(0)) || maybeSpace(c.charCodeAt(c.length - 1)))
          ? c.trim()
          : c;
      raw[i] = t;
      if (t !== '') blank = false;
    }
    if (blank) return;
    const cells = raw;
    const fileName = this.fileName;
    const headers = this.headers;
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
      this.headers = cells;
      this.sink.header(cells, rowNumber);
      return;
    }
    for (let i = headers.length; i < cells.length; i++) {
      if (cells[i] !== '') {
        throw new ValidationError(
          `${fileName}, row ${rowNumber}: there is a value in column ${columnLetter(i)}, which has no header. Add a header or remove the value.`,
          { file: fileName, row: rowNumber, column: columnLetter(i) },
        );
      }
    }
    if (++this.rows > FIELD_LIMITS.tableRows)
      throw new ValidationError(
        `${fileName} has more than ${FIELD_LIMITS.tableRows.toLocaleString('en')} rows; split it into several files.`,
        { file: fileName, row: rowNumber },
      );
    this.sink.row(rowNumber, cells);
  }

  end(): void {
    if (this.headers === null) {
      throw new ValidationError(
        `${this.fileName} has no header row: every row is blank. Export the list again.`,
        {
          file: this.fileName,
        },
      );
    }
  }
}

function collectingSink(): RowSink & { table(): CellTable } {
  let headers: string[] = [];
  let headerRow = 0;
  const rows: CellRow[] = [];
  return {
    header(h, r) {
      headers = h;
      headerRow = r;
    },
    row(row, cells) {
      rows.push({ row, cells });
    },
    table: () => ({ headers, rows, headerRow }),
  };
}

function recordOf(headers: string[], r: CellRow): TabularRow {
  const values: Record<string, string> = {};
  headers.forEach((h, i) => {
    values[h] = r.cells[i] ?? '';
  });
  return { row: r.row, values };
}

export type CellTableData = CellTable & Omit<TabularData, 'headers' | 'rows' | 'headerRow'>;

/** Parses file bytes already in memory (`fileName` decides nothing but the messages and the .xlsx/.csv hint). */
export async function parseTabular(
  buf: Buffer,
  fileName: string,
  options: TabularOptions = {},
): Promise<TabularData> {
  const table = await parseCellTable(buf, fileName, options);
  return { ...table, rows: table.rows.map((r) => recordOf(table.headers, r)) };
}

/** Like parseTabular, with rows as cell arrays in header order. */
export async function parseCellTable(
  buf: Buffer,
  fileName: string,
  options: TabularOptions = {},
): Promise<CellTableData> {
  const sink = collectingSink();
  const about = await scanTabular(buf, fileName, sink, options);
  return { ...about, ...sink.table() };
}

export type TabularAbout = Omit<TabularData, 'headers' | 'rows' | 'headerRow'> & { rows: number };

/** A CSV or .xlsx file on disk to read rows from, and what to tell of the bytes they were read from. */
export interface TabularFileOnDisk {
  path: string;
  maxBytes: number;
  /** Told the size and CRC-32 of the bytes the rows were read from. */
  onBytes: (seen: BytesSeen) => void;
}

/** Whether the start of a file is plain text, not a workbook or a binary file (see scanTabular). */
const plainTextHead = (head: Uint8Array) =>
  !isOldExcel(head) && !looksLikeZip(head) && !head.subarray(0, 4096).includes(0);

/**
 * Reads a CSV or .xlsx file's rows into `sink` one by one, checked (see CheckedRows), without
 * keeping them: a 200,000-order export is never held as a table of every cell of every column.
 * A plainly UTF-8 CSV file on disk is read a chunk at a time, never held whole (csv-file-pieces.ts);
 * any other file is read whole.
 */
export async function scanTabular(
  source: Buffer | TabularFileOnDisk,
  fileName: string,
  sink: RowSink,
  options: TabularOptions = {},
): Promise<TabularAbout> {
  const ext = path.extname(fileName).toLowerCase();
  let count = 0;
  const counting: RowSink = {
    header: (h, r) => sink.header(h, r),
    row: (r, c) => {
      count++;
      sink.row(r, c);
    },
  };
  const checked = new CheckedRows(fileName, counting);
  let rowNumber = 0;
  let buf: Buffer;
  if (Buffer.isBuffer(source)) buf = source;
  else {
    const file = source.path;
    await withImportFileErrors(file, fileName, () => checkImportFile(file, fileName, source.maxBytes));
    const pieces =
      ext === '.xlsx' || ext === '.xlsm'
        ? null
        : await readCsvFileInPieces(file, fileName, plainTextHead, (record) =>
            checked.push(++rowNumber, record),
          );
    if (pieces) {
      checked.end();
      source.onBytes(pieces.seen);
      return { format: 'csv', encoding: pieces.encoding, delimiter: pieces.delimiter, rows: count };
    }
    buf = await readImportFile(file, fileName, source.maxBytes);
    source.onBytes(bytesSeen(buf));
  }
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
    for (const [rowNumber, raw] of rows) checked.push(rowNumber, raw);
    checked.end();
    return { format: 'xlsx', sheet, rows: count };
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
  forEachCsvRecord(text, delimiter, fileName, (record) => checked.push(++rowNumber, record));
  checked.end();
  const warnings =
    badLines && badLines.length > 0
      ? [
          `${fileName} is UTF-8 but has bytes that are not, shown as "\uFFFD", in row${badLines.length > 1 ? 's' : ''} ${badLines.slice(0, 20).join(', ')}${badLines.length > 20 ? ` and ${badLines.length - 20} more` : ''}; check those rows.`,
        ]
      : undefined;
  return { format: 'csv', encoding, delimiter, rows: count, ...(warnings ? { warnings } : {}) };
}

/**
 * Reads a file a person chose to import (a packing list, a mapping sheet), refusing folders, files
 * over `maxBytes` and missing files with messages that name the file as the person knows it.
 */
export async function readImportFile(file: string, fileName: string, maxBytes: number): Promise<Buffer> {
  return withImportFileErrors(file, fileName, async () => {
    await checkImportFile(file, fileName, maxBytes);
    return await fs.readFile(file);
  });
}

/** Refuses what is not a file, or is larger than `maxBytes`, before it is read. */
async function checkImportFile(file: string, fileName: string, maxBytes: number): Promise<void> {
  const stat = await fs.stat(file);
  if (!stat.isFile()) throw new ValidationError(`${fileName} is not a file.`, { file: fileName });
  if (stat.size > maxBytes) {
    throw new ValidationError(
      `${fileName} is too large (${Math.round(stat.size / 1024 / 1024)} MB; the limit is ${Math.round(maxBytes / 1024 / 1024)} MB).`,
      { file: fileName },
    );
  }
}

/** `read`, with a missing file or a failed read reported as a person importing it needs to hear. */
async function withImportFileErrors<T>(file: string, fileName: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
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
